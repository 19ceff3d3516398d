// The inventory database's stock lock, simulated. Reservation writes queue for it one at a time, and with
// INVENTORY_LOCK_DELAY_MS each holds it that long: ADR-0047's "3-second inventory lock delay", including
// the queueing behind it that turned one slow write into checkout timeouts for everyone.
export type StockLock = <T>(write: () => T) => Promise<T>;

export function stockLock(delayMs: number): StockLock {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(write: () => T): Promise<T> => {
    const run = async (): Promise<T> => {
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      return write();
    };
    const result = tail.then(run);
    // The next writer waits for this one whether it succeeded or failed.
    tail = result.catch(() => undefined);
    return result;
  };
}
