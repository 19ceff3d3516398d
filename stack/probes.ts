// Readiness probes: a component is ready when it answers, not after a fixed sleep.
import { connect } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

export type Probe =
  | {
      readonly kind: 'http';
      readonly url: string;
      readonly expect?: (status: number, body: string) => boolean;
    }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number }
  | { readonly kind: 'check'; readonly describe: string; readonly run: () => Promise<void> };

export function describeProbe(probe: Probe): string {
  switch (probe.kind) {
    case 'http':
      return `GET ${probe.url}`;
    case 'tcp':
      return `tcp ${probe.host}:${probe.port}`;
    case 'check':
      return probe.describe;
  }
}

function tcpOpen(host: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.setTimeout(timeoutMs);
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(new Error(`timeout connecting to ${host}:${port}`));
    });
    socket.once('error', reject);
  });
}

/** One attempt: resolves when ready, rejects with the reason it is not. */
export async function probeOnce(probe: Probe, timeoutMs = 2000): Promise<void> {
  switch (probe.kind) {
    case 'tcp':
      return tcpOpen(probe.host, probe.port, timeoutMs);
    case 'check':
      return probe.run();
    case 'http': {
      const res = await fetch(probe.url, { signal: AbortSignal.timeout(timeoutMs) });
      const body = await res.text();
      const ok = probe.expect ? probe.expect(res.status, body) : res.ok;
      if (!ok) throw new Error(`HTTP ${res.status}: ${body.slice(0, 200)}`);
    }
  }
}

export interface WaitOptions {
  readonly timeoutMs: number;
  /** Checked between attempts; a dead process fails the wait at once instead of at the timeout. */
  readonly stillStarting?: () => Promise<string | undefined>;
}

export async function waitReady(probe: Probe, { timeoutMs, stillStarting }: WaitOptions): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no attempt';
  for (let attempt = 0; ; attempt++) {
    try {
      await probeOnce(probe);
      return;
    } catch (err) {
      lastError = (err as Error).message;
    }
    const dead = await stillStarting?.();
    if (dead) throw new Error(dead);
    if (Date.now() > deadline) {
      throw new Error(
        `not ready after ${Math.round(timeoutMs / 1000)} s (${describeProbe(probe)}: ${lastError})`,
      );
    }
    await delay(Math.min(100 * 2 ** attempt, 1000)); // poll interval between probe attempts
  }
}
