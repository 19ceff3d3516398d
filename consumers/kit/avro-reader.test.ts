import { describe, expect, it, vi } from 'vitest';
import avro from 'avsc';
import { createAvroReader } from './avro-reader.ts';
import { type AvroRecordSchema } from '../../contracts/events/schemas.ts';

const v1: AvroRecordSchema = {
  type: 'record',
  name: 'Sample',
  namespace: 'test.orderflow',
  fields: [{ name: 'orderId', type: 'string' }],
};
const v2: AvroRecordSchema = {
  ...v1,
  fields: [...v1.fields, { name: 'channel', type: 'string', default: 'web' }],
};
const incompatible: AvroRecordSchema = { ...v1, fields: [{ name: 'orderId', type: 'long' }] };

/** Confluent wire format around an Avro body. */
function wire(schemaId: number, type: avro.Type, value: unknown): Buffer {
  const header = Buffer.alloc(5);
  header.writeInt32BE(schemaId, 1);
  return Buffer.concat([header, type.toBuffer(value)]);
}

const writers: Record<number, avro.Type> = {
  1: avro.Type.forSchema(v1 as avro.Schema),
  2: avro.Type.forSchema(v2 as avro.Schema),
};
const fakeRegistry = () => ({
  getSchema: vi.fn((id: number) => Promise.resolve(writers[id] as never)),
});

describe('createAvroReader', () => {
  it('reads an event written with the reader schema as it was written', async () => {
    const read = createAvroReader(fakeRegistry());
    expect(await read(wire(2, writers[2]!, { orderId: 'o-1', channel: 'app' }), 2, v2)).toEqual({
      orderId: 'o-1',
      channel: 'app',
    });
  });

  it('resolves an older writer to the reader schema (the new field takes its default), with one resolver per schema id', async () => {
    const registry = fakeRegistry();
    const read = createAvroReader(registry);
    const resolver = vi.spyOn(avro.Type.prototype, 'createResolver');
    try {
      expect(await read(wire(1, writers[1]!, { orderId: 'o-1' }), 1, v2)).toEqual({
        orderId: 'o-1',
        channel: 'web',
      });
      const built = resolver.mock.calls.length;
      expect(built).toBeGreaterThan(0);
      expect(await read(wire(1, writers[1]!, { orderId: 'o-2' }), 1, v2)).toEqual({
        orderId: 'o-2',
        channel: 'web',
      });
      expect(resolver).toHaveBeenCalledTimes(built); // none for the second event
      expect(registry.getSchema).toHaveBeenCalledTimes(2); // the client caches by id; we ask it each time
    } finally {
      resolver.mockRestore();
    }
  });

  it('refuses a reader schema the writer cannot be resolved to, and a truncated body', async () => {
    const read = createAvroReader(fakeRegistry());
    await expect(read(wire(1, writers[1]!, { orderId: 'o-1' }), 1, incompatible)).rejects.toThrow();
    const truncated = wire(2, writers[2]!, { orderId: 'o-1', channel: 'app' }).subarray(0, 7);
    await expect(read(truncated, 2, v2)).rejects.toThrow();
  });
});
