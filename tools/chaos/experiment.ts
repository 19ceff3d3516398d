// A chaos experiment, in Chaos Toolkit's shape (https://chaostoolkit.org/reference/api/experiment/): a
// steady-state hypothesis of probes with tolerances, checked before, during and after; a method (the faults,
// injected at an offset into background load and held for a window); rollbacks (each injection's undo,
// journaled before it is made, so they always run, even after a kill: `npm run chaos -- --cleanup`); and what
// the verdict expects of the orders. Data only: run.ts executes it, verdict.ts judges it.
import type { Injection } from '../drill/injections.ts';
import type { MixName } from '../load/mix.ts';
import type { Outage } from './outages.ts';

export type Phase = 'before' | 'during' | 'after';

/** A PromQL probe: the query's single value must lie within the tolerance (an empty result: `empty`). */
export interface PromProbe {
  readonly kind: 'promql';
  readonly name: string;
  readonly query: string;
  readonly tolerance: { readonly min?: number; readonly max?: number };
  /** What an empty result means: no series (no traffic, no failure) usually holds the hypothesis. */
  readonly empty: 'holds' | 'breaks';
  readonly phases: readonly Phase[];
}

/** The saga's invariants (tools/reconcile) over the experiment's own orders. */
export interface InvariantProbe {
  readonly kind: 'invariants';
  readonly name: string;
  readonly phases: readonly Phase[];
}

export type Probe = PromProbe | InvariantProbe;

/**
 * Faults the design should absorb (latency, brownouts, short outages) must leave < 1% technical failures
 * among the orders accepted during the fault. Faults beyond any retry budget declare the failures they
 * cause: those must fail at the declared step and be compensated cleanly (every invariant holds for them).
 */
export type Expectation =
  | { readonly kind: 'absorbed'; readonly maxTechnicalFailureRate: number }
  | { readonly kind: 'declared-failures'; readonly step: string; readonly service: string };

export interface Experiment {
  readonly name: string;
  readonly title: string;
  /** What happens, in a sentence or two (printed, and in chaos/README.md). */
  readonly story: string;
  readonly tags: readonly string[];
  /** Background load (tools/load): an open-model k6 arrival rate. */
  readonly load: { readonly ratePerHour: number; readonly seconds: number; readonly mix: MixName };
  readonly steadyStateHypothesis: { readonly title: string; readonly probes: readonly Probe[] };
  readonly method: {
    /** Seconds after the load starts. */
    readonly startAfterSeconds: number;
    /**
     * How long the faults stay; then the rollbacks run. For a killed process (supervisord restarts it at
     * once) the window in which the orders accepted are judged.
     */
    readonly durationSeconds: number;
    /** The drill's injections, and outages (outages.ts): a proxy disabled, a process stopped or killed. */
    readonly injections: readonly (Injection | Outage)[];
  };
  readonly expect: Expectation;
  /** The alert that should fire (compressed rule timings, like the drill); absent: none is expected. */
  readonly detect?: { readonly alert: string };
  /**
   * What `diagnose --since` must name: a group of failed orders at `step` with `service`, or (no step) the
   * service's proxy among the faulty ones (a latency fault fails no order).
   */
  readonly diagnose?: { readonly step?: string; readonly service: string };
  /** How long after the load the runner waits for every order to end. */
  readonly drainSeconds: number;
}
