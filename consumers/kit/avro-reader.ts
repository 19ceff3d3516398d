// Avro decoding with a consumer's reader schema, the reader type and each writer→reader resolver built
// once. The schema registry client's `decode(buffer, { AVRO: { readerSchema } })` parses the reader schema
// and builds a resolver on every message (Type.forSchema and createResolver per call): profiled under load,
// that was the largest part of a consumer's CPU per event after kafkajs itself. The writer's type is the
// client's, cached by schema id; the wire format (magic byte, schema id) is checked by the caller.
import avro from 'avsc';
import { type SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { type AvroRecordSchema } from '../../contracts/events/schemas.ts';

/** Confluent wire format: magic byte 0, then the schema id as a 4-byte big-endian integer, then Avro. */
const WIRE_HEADER_BYTES = 5;

export type AvroRead = (value: Buffer, schemaId: number, readerSchema: AvroRecordSchema) => Promise<unknown>;

export function createAvroReader(registry: Pick<SchemaRegistry, 'getSchema'>): AvroRead {
  const readers = new WeakMap<
    AvroRecordSchema,
    { type: avro.Type; resolvers: Map<number, avro.Resolver | 'same'> }
  >();
  return async (value, schemaId, readerSchema) => {
    // avsc's Type for Avro schemas (the client's AvroSchema is one).
    const writer = (await registry.getSchema(schemaId)) as unknown as avro.Type;
    let reader = readers.get(readerSchema);
    if (!reader) {
      reader = { type: avro.Type.forSchema(readerSchema as avro.Schema), resolvers: new Map() };
      readers.set(readerSchema, reader);
    }
    let resolver = reader.resolvers.get(schemaId);
    if (!resolver) {
      resolver = reader.type.equals(writer) ? 'same' : reader.type.createResolver(writer);
      reader.resolvers.set(schemaId, resolver);
    }
    const payload = value.subarray(WIRE_HEADER_BYTES);
    const decoded: unknown =
      resolver === 'same' ? reader.type.fromBuffer(payload) : reader.type.fromBuffer(payload, resolver);
    return decoded;
  };
}
