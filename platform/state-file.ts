// A small JSON state file under the stack's state folder (the canary's phase, the shadow switch): read
// against its schema, written atomically (a temporary file renamed over it), so a reader never sees half
// of it. A missing file is "never written" (undefined); a damaged one is an error with the caller's stable
// code, never mistaken for "missing".
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { z } from 'zod';
import { AppError } from './errors.ts';

export function readStateFile<T>(file: string, schema: z.ZodType<T>, invalidCode: string): T | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new AppError(invalidCode, 500, `${file} is not JSON: ${(err as Error).message}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    throw new AppError(invalidCode, 500, `${file}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

export function writeStateFile<T>(file: string, schema: z.ZodType<T>, state: T): void {
  const valid = schema.parse(state);
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(valid, null, 2)}\n`);
  renameSync(tmp, file);
}
