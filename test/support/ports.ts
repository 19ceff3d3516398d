// Ports for test children that must be told theirs before they start (a service's main.ts, PostgreSQL,
// Alertmanager): none of them can bind port 0 and report the port it got. An in-process server needs none
// of this: it listens on port 0 and reads server.address().
//
// freePort() asks the OS for a port that is free now and closes it again, so another process may take it
// before the child binds it. withFreePort() makes that race harmless: when the child reports that its
// port is in use (its start throws PortTakenError), it starts again on a new port.
import { createServer } from 'node:net';

const host = '127.0.0.1';

/** A port nothing listens on right now (the OS picks it); only withFreePort() hands it on. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The child could not bind the port it was given: someone took it between freePort() and the start. */
export class PortTakenError extends Error {
  readonly port: number;
  constructor(port: number, output: string) {
    super(`port ${port} was taken before the child bound it:\n${output}`);
    this.name = 'PortTakenError';
    this.port = port;
  }
}

/** How Node (EADDRINUSE), Go and PostgreSQL say that a port is taken, in a child's output. */
export const saysAddressInUse = (output: string): boolean =>
  /address already in use|EADDRINUSE/i.test(output);

/**
 * Runs `start` with `count` free ports; when it throws PortTakenError (it must have stopped its child), runs
 * it again with new ports, up to `attempts` times in all. Any other error ends it at once.
 */
export async function withFreePorts<T>(
  count: number,
  start: (ports: number[]) => Promise<T>,
  attempts = 5,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const ports: number[] = [];
    while (ports.length < count) {
      const port = await freePort();
      if (!ports.includes(port)) ports.push(port);
    }
    try {
      return await start(ports);
    } catch (err) {
      if (!(err instanceof PortTakenError) || attempt >= attempts) throw err;
    }
  }
}

/** withFreePorts with one port. */
export const withFreePort = <T>(start: (port: number) => Promise<T>, attempts = 5): Promise<T> =>
  withFreePorts(1, ([port]) => start(port!), attempts);
