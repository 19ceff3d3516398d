import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { readStateFile, writeStateFile } from './state-file.ts';

const schema = z.object({ version: z.literal(1), enabled: z.boolean() });
const dir = () => mkdtempSync(join(tmpdir(), 'orderflow-state-'));

describe('state files', () => {
  it('reads back what was written, and leaves no temporary file behind', () => {
    const d = dir();
    const file = join(d, 'nested', 'state.json');
    writeStateFile(file, schema, { version: 1, enabled: true });
    expect(readStateFile(file, schema, 'X_INVALID')).toEqual({ version: 1, enabled: true });
    expect(readdirSync(join(d, 'nested'))).toEqual(['state.json']);
  });

  it('reads a missing file as never written', () => {
    expect(readStateFile(join(dir(), 'none.json'), schema, 'X_INVALID')).toBeUndefined();
  });

  it('refuses a damaged file with the caller’s code, never as missing', () => {
    const d = dir();
    writeFileSync(join(d, 'a.json'), '{"version": 1, "enab');
    writeFileSync(join(d, 'b.json'), '{"version": 2, "enabled": true}');
    expect(() => readStateFile(join(d, 'a.json'), schema, 'X_INVALID')).toThrow(/is not JSON/);
    expect(() => readStateFile(join(d, 'a.json'), schema, 'X_INVALID')).toThrow(
      expect.objectContaining({ code: 'X_INVALID' }),
    );
    expect(() => readStateFile(join(d, 'b.json'), schema, 'X_INVALID')).toThrow(
      expect.objectContaining({ code: 'X_INVALID' }),
    );
  });

  it('refuses to write a state its schema rejects', () => {
    const file = join(dir(), 'state.json');
    expect(() => writeStateFile(file, schema, { version: 2 } as never)).toThrow();
    expect(readStateFile(file, schema, 'X_INVALID')).toBeUndefined();
  });
});
