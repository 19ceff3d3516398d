// The Avro schemas (the .avsc files beside this module are the source of truth), loaded once.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type OrderEventKind } from './types.ts';

/** An Avro record schema as JSON (what the registry client's `RawAvroSchema` accepts). */
export interface AvroRecordSchema {
  readonly type: 'record';
  readonly name: string;
  readonly namespace?: string;
  readonly doc?: string;
  fields: Array<{ name: string; type: unknown; default?: unknown; doc?: string }>;
}

function load(file: string): AvroRecordSchema {
  return JSON.parse(readFileSync(join(import.meta.dirname, file), 'utf8')) as AvroRecordSchema;
}

export const orderCompletedSchema: AvroRecordSchema = load('order-completed.avsc');
export const orderFailedSchema: AvroRecordSchema = load('order-failed.avsc');

export const SCHEMAS: Readonly<Record<OrderEventKind, AvroRecordSchema>> = {
  completed: orderCompletedSchema,
  failed: orderFailedSchema,
};

/** Confluent TopicNameStrategy: the value schema of topic T lives under subject `T-value`. */
export const subjectFor = (topic: string): string => `${topic}-value`;
