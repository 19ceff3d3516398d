import { describe, expect, it } from 'vitest';
import { devServerTuningArgs, TEMPORAL_TUNING } from './temporal-tuning.ts';

describe('devServerTuningArgs', () => {
  it('gives the dev server one --dynamic-config-value per setting, the value as JSON', () => {
    const args = devServerTuningArgs({ 'matching.numTaskqueueReadPartitions': 1, 'system.x': true });
    expect(args).toEqual([
      '--dynamic-config-value',
      'matching.numTaskqueueReadPartitions=1',
      '--dynamic-config-value',
      'system.x=true',
    ]);
  });

  it('turns eager activity dispatch on and keeps one task-queue partition', () => {
    const args = devServerTuningArgs();
    expect(args).toContain('system.enableActivityEagerExecution=true');
    expect(args).toContain('matching.numTaskqueueReadPartitions=1');
    expect(args.length).toBe(Object.keys(TEMPORAL_TUNING).length * 2);
  });
});
