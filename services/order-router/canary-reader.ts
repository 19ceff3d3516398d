// The router's view of the canary state: re-read at most once a second (the CLI's change shows within a
// second, and a burst of orders reads the file once). An unreadable state sends every new order to the legacy
// pipeline, the ADR's fallback, and says so once per distinct error.
import { canaryPercent, readCanaryState, type CanaryState } from './canary-state.ts';

export function canaryStateReader(file: string, ttlMs = 1000) {
  let cached: { at: number; state: CanaryState | undefined } | undefined;
  let lastError = '';
  let report: (err: Error) => void = () => {};
  const state = (): CanaryState | undefined => {
    const now = Date.now();
    if (cached && now - cached.at < ttlMs) return cached.state;
    let s: CanaryState | undefined;
    try {
      s = readCanaryState(file);
      lastError = '';
    } catch (err) {
      if ((err as Error).message !== lastError) report(err as Error);
      lastError = (err as Error).message;
      s = undefined;
    }
    cached = { at: now, state: s };
    return s;
  };
  return {
    state,
    percent: (): number => canaryPercent(state()),
    onError(fn: (err: Error) => void) {
      report = fn;
    },
  };
}
