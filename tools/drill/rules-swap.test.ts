// The Prometheus config a drill loads: the stack's own with only the compressed copy as rules and the drill
// label, valid for promtool; and the check that tells normal rules from a drill's.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { tools } from '../../stack/tools.ts';
import { renderCompressedRules, rulesSource } from '../../alerts/render-rules.ts';
import { requireBinary, run } from '../../test/support/alerts.ts';
import { DRILL_LABEL, drillPrometheusConfig, notNormal, normalRulesGlob } from './rules-swap.ts';

const workDir = mkdtempSync(join(tmpdir(), 'orderflow-drill-prometheus-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

interface Config {
  global: { external_labels: Record<string, string> };
  rule_files: string[];
  scrape_configs: { job_name: string }[];
}

describe('the Prometheus config of a drill', () => {
  const rules = renderCompressedRules(join(workDir, 'rules', 'orderflow.rules.yml'), {
    factor: 20,
    evaluationInterval: '1s',
  });
  const text = drillPrometheusConfig('drill-test1', rules);

  it('when rendered, then the drill copy is the only rule file, the drill label is added and the scrapes stay', () => {
    const config = load(text) as Config;
    expect(config.rule_files).toEqual([rules]);
    expect(config.global.external_labels).toEqual({ stack: 'orderflow-local', [DRILL_LABEL]: 'drill-test1' });
    expect(config.scrape_configs.map((s) => s.job_name)).toEqual(
      expect.arrayContaining(['prometheus', 'alertmanager', 'kafka', 'orderflow']),
    );
  });

  it('when promtool checks it, then the config and the compressed rules it loads are valid', () => {
    const file = join(workDir, 'prometheus.yml');
    writeFileSync(file, text);
    const res = run(requireBinary(tools.prometheus, 'promtool'), ['check', 'config', file]);
    expect(res.status, res.output).toBe(0);
    expect(res.output).toContain('SUCCESS');
  });
});

describe('normal rules or a drill’s', () => {
  const normal = {
    ruleFiles: [normalRulesGlob],
    externalLabels: { stack: 'orderflow-local' },
    groupFiles: [rulesSource],
  };

  it('when Prometheus runs the source rules without the drill label, then that is normal', () => {
    expect(notNormal(normal)).toBeUndefined();
  });

  it('when anything of a drill is still loaded, then it says what', () => {
    expect(notNormal({ ...normal, ruleFiles: ['/x/drill/rules/orderflow.rules.yml'] })).toMatch(
      /^rule_files is/,
    );
    expect(notNormal({ ...normal, externalLabels: { [DRILL_LABEL]: 'drill-1' } })).toMatch(
      /drill is still set/,
    );
    expect(notNormal({ ...normal, groupFiles: [rulesSource, '/x/drill/rules/orderflow.rules.yml'] })).toMatch(
      /rule groups loaded from \/x\/drill\/rules/,
    );
    expect(notNormal({ ...normal, groupFiles: [] })).toBe('no rule groups loaded');
  });
});
