// Offline schema validation of the rendered manifests with the schemas the project carries: the
// Kubernetes OpenAPI schemas compiled into the kubernetes-models packages (core, prometheus-operator,
// KEDA; pinned devDependencies). No cluster, no network. An object whose apiVersion/kind has no schema
// here fails too, so a typo in a kind cannot pass unchecked. Limits: like `kubectl apply
// --validate=false`, fields the schema does not know are not rejected (the OpenAPI schemas allow them).
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Service } from 'kubernetes-models/v1/Service';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { TriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication';

type Model = new (data: never) => { validate(): void };

const MODELS: Record<string, Model> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'monitoring.coreos.com/v1/PodMonitor': PodMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject,
  'keda.sh/v1alpha1/TriggerAuthentication': TriggerAuthentication,
};

/** kustomize's own file: not an API object; checked for its shape only. */
const KUSTOMIZATION = 'kustomize.config.k8s.io/v1beta1/Kustomization';

/** Problems of one object (empty: valid). `where` names it in messages (file and index). */
export function validateObject(object: unknown, where: string): string[] {
  if (typeof object !== 'object' || object === null) return [`${where}: not an object`];
  const o = object as {
    apiVersion?: unknown;
    kind?: unknown;
    metadata?: { name?: unknown };
    resources?: unknown;
  };
  const key = `${String(o.apiVersion)}/${String(o.kind)}`;
  const name = `${where} ${key} ${typeof o.metadata?.name === 'string' ? o.metadata.name : '(no name)'}`;
  if (typeof o.metadata?.name !== 'string' || o.metadata.name === '')
    return [`${name}: metadata.name is required`];
  if (key === KUSTOMIZATION)
    return Array.isArray(o.resources) && o.resources.every((r) => typeof r === 'string')
      ? []
      : [`${name}: resources must be a list of paths`];
  const model = MODELS[key];
  if (!model) return [`${name}: no schema for ${key} (unknown apiVersion/kind)`];
  try {
    new model(object as never).validate();
    return [];
  } catch (err) {
    return [`${name}: ${err instanceof Error ? err.message : String(err)}`];
  }
}
