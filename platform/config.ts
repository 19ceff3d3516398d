// Config is parsed once per process from the environment, validated, frozen and typed. Every key has a
// default that makes the local stack work untouched; a bad value stops the process with a clear message.
import { z } from 'zod';

export function loadConfig<S extends z.ZodRawShape>(
  service: string,
  shape: S,
  env: NodeJS.ProcessEnv = process.env,
): Readonly<z.infer<z.ZodObject<S>>> {
  const result = z.object(shape).safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`${service}: invalid configuration\n${problems}`);
  }
  return Object.freeze(result.data);
}

const tcpPort = z.coerce.number().int().min(1).max(65535);

/** A TCP port from the environment, with its default (inside a loadConfig shape). */
export const port = (fallback: number) => tcpPort.default(fallback);

/**
 * The one reader of a single port variable outside a loadConfig shape (the port tables: ports.ts,
 * downstream.ts, the consumer registry): unset or empty means the default; anything else must be a port.
 */
export function envPort(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const parsed = tcpPort.safeParse(raw);
  if (!parsed.success) throw new Error(`${name}=${raw} is not a TCP port (1-65535)`);
  return parsed.data;
}

/** `order-api` → `ORDER_API`: the prefix of a process's own variables (`<NAME>_PORT`, `<NAME>_URL`). */
export const envPrefix = (processName: string): string => processName.toUpperCase().replaceAll('-', '_');
export const str = (fallback: string) => z.string().min(1).default(fallback);
export const num = (fallback: number) => z.coerce.number().default(fallback);
