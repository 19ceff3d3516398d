// The checkout's one deadline, and what a single call may spend of it: its own timeout, or less when the
// request has less left. A synchronous pipeline has no other budget: each step waits for the one before.
export class Deadline {
  readonly at: number;
  readonly #now: () => number;

  constructor(ms: number, now: () => number = Date.now) {
    this.#now = now;
    this.at = now() + ms;
  }

  remainingMs(): number {
    return Math.max(0, this.at - this.#now());
  }

  get expired(): boolean {
    return this.remainingMs() === 0;
  }

  /** A call's budget: its timeout, capped by the deadline; `deadlineBound` says which one ends it. */
  budget(callTimeoutMs: number): { readonly ms: number; readonly deadlineBound: boolean } {
    const left = this.remainingMs();
    return left <= callTimeoutMs
      ? { ms: left, deadlineBound: true }
      : { ms: callTimeoutMs, deadlineBound: false };
  }
}
