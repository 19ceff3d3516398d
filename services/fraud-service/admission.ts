// Admission control for CPU-bound inference. Inference runs on the event loop, so assessments are run one
// at a time from a bounded queue, each in its own macrotask: between two inferences the loop gets back to
// the sockets, so a burst is admitted or shed right away instead of every request waiting behind the whole
// burst to learn it is too late. A full queue answers 503 OVERLOADED with a Retry-After estimate.
import { AppError } from '../../platform/errors.ts';
import { FraudErrors } from './errors.ts';

export interface AdmissionStats {
  readonly waiting: number;
  readonly maxWaiting: number;
  readonly running: boolean;
  readonly completed: number;
  readonly rejected: number;
  /** Longest the queue has been since start. */
  readonly peakWaiting: number;
  /** Exponentially weighted mean of job duration, ms. */
  readonly meanJobMs: number;
}

export class OverloadedError extends AppError {
  readonly retryAfterSeconds: number;
  constructor(waiting: number, retryAfterSeconds: number) {
    super(
      FraudErrors.overloaded,
      503,
      `fraud scoring is at capacity (${waiting} assessments waiting); retry later`,
      { waiting, retryAfterSeconds },
    );
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export class AdmissionQueue {
  readonly #maxWaiting: number;
  readonly #jobs: Array<() => void> = [];
  #scheduled = false;
  #running = false;
  #completed = 0;
  #rejected = 0;
  #peakWaiting = 0;
  #meanJobMs: number;

  constructor(maxWaiting: number, expectedJobMs = 30) {
    this.#maxWaiting = maxWaiting;
    this.#meanJobMs = expectedJobMs;
  }

  /** Queues `job`, or throws OverloadedError when `maxWaiting` jobs are already waiting. */
  run<T>(job: () => T): Promise<T> {
    const waiting = this.#jobs.length;
    if (waiting >= this.#maxWaiting) {
      this.#rejected++;
      // Time to drain what is ahead, rounded up to whole seconds as Retry-After requires.
      throw new OverloadedError(waiting, Math.max(1, Math.ceil(((waiting + 1) * this.#meanJobMs) / 1000)));
    }
    return new Promise<T>((resolve, reject) => {
      this.#jobs.push(() => {
        const started = performance.now();
        this.#running = true;
        try {
          resolve(job());
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        } finally {
          this.#running = false;
          this.#completed++;
          this.#meanJobMs = 0.8 * this.#meanJobMs + 0.2 * (performance.now() - started);
        }
      });
      this.#peakWaiting = Math.max(this.#peakWaiting, this.#jobs.length);
      this.#schedule();
    });
  }

  stats(): AdmissionStats {
    return {
      waiting: this.#jobs.length,
      maxWaiting: this.#maxWaiting,
      running: this.#running,
      completed: this.#completed,
      rejected: this.#rejected,
      peakWaiting: this.#peakWaiting,
      meanJobMs: Math.round(this.#meanJobMs * 100) / 100,
    };
  }

  #schedule(): void {
    if (this.#scheduled || this.#jobs.length === 0) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#jobs.shift()?.();
      this.#peakWaiting = Math.max(this.#peakWaiting, this.#jobs.length);
      this.#schedule();
    });
  }
}
