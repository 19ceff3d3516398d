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

/** A TCP port from the environment, with its default. */
export const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);
export const str = (fallback: string) => z.string().min(1).default(fallback);
export const num = (fallback: number) => z.coerce.number().default(fallback);
