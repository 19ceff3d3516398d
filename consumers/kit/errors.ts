// The one place that decides what a failure means for a message:
// - permanent: the message can never be processed as it is (not Avro in Confluent wire format, unknown
//   schema id, a payload the reader schema cannot resolve, a handler that says so): dead-lettered at once;
// - infrastructure: a dependency is down, not the message's fault (schema registry unreachable, SQLite
//   busy): retried with capped backoff for as long as it takes, never dead-lettered; the partition
//   waits, as every message would fail the same way;
// - anything else (a handler bug, bad data the handler rejects): retried a few times with backoff, then
//   dead-lettered; the replay command brings it back after a fix.

export class PermanentEventError extends Error {
  override readonly name: string = 'PermanentEventError';
}

/** A dependency of processing is unavailable; retried until it is back. */
export class InfrastructureError extends Error {
  override readonly name = 'InfrastructureError';
}

/** SQLITE_BUSY (5) and SQLITE_LOCKED (6): another writer (a replay, a backup) holds the database. */
export const isDatabaseBusy = (err: unknown): boolean => {
  const code = (err as { errcode?: number }).errcode;
  return code === 5 || code === 6;
};

export const isInfrastructure = (err: unknown): boolean =>
  err instanceof InfrastructureError || isDatabaseBusy(err);

/** Processing stopped because the consumer is shutting down: no dead letter, no commit. */
export class ConsumerStoppingError extends Error {
  override readonly name = 'ConsumerStoppingError';
}

export const isPermanent = (err: unknown): boolean => err instanceof PermanentEventError;

export function describeError(err: unknown): { readonly type: string; readonly message: string } {
  if (err instanceof Error) return { type: err.name, message: err.message };
  return { type: typeof err, message: String(err) };
}
