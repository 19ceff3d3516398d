// Schema registration and the compatibility policy. Subjects follow TopicNameStrategy (`<topic>-value`).
//
// Policy: FULL_TRANSITIVE per subject. Producers (Temporal workers) and consumers deploy independently,
// and the topics keep 30 days of events that a replay or a new consumer reads from the beginning, so
// every schema version must read data of every other version, in both directions:
// - BACKWARD (new readers read old data) alone would accept removing a required field, and an old
//   consumer would then fail on every new event (registry.test.ts shows Apicurio accepting exactly that);
// - FULL adds FORWARD (old readers read new data); TRANSITIVE checks against all versions, not only the
//   latest, because 30 days of retention can hold several.
// The allowed evolution is: add or remove a field that has a default. Everything else is rejected.
import { COMPATIBILITY, SchemaType, type SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { SCHEMAS, subjectFor, type AvroRecordSchema } from '../contracts/events/schemas.ts';
import { ORDER_TOPICS, type OrderTopics } from './topics.ts';
import { type OrderEventKind } from '../contracts/events/types.ts';

export const COMPATIBILITY_LEVEL: COMPATIBILITY = COMPATIBILITY.FULL_TRANSITIVE;

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

async function registryCall(url: string, init: RequestInit): Promise<unknown> {
  const res = await fetch(url, {
    ...init,
    headers: { 'content-type': CONTENT_TYPE, accept: CONTENT_TYPE },
    signal: AbortSignal.timeout(5_000),
  });
  const text = await res.text();
  if (!res.ok)
    throw new Error(
      `schema registry ${init.method ?? 'GET'} ${url}: HTTP ${res.status} ${text.slice(0, 300)}`,
    );
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}

/** PUT /config/<subject>: the subject's compatibility level (Apicurio accepts it before the subject exists). */
export async function setSubjectCompatibility(
  registryUrl: string,
  subject: string,
  level: COMPATIBILITY = COMPATIBILITY_LEVEL,
): Promise<void> {
  await registryCall(`${registryUrl}/config/${encodeURIComponent(subject)}`, {
    method: 'PUT',
    body: JSON.stringify({ compatibility: level }),
  });
  const actual = await getSubjectCompatibility(registryUrl, subject);
  if (actual !== level)
    throw new Error(
      `schema registry kept compatibility ${actual ?? '(none)'} for ${subject}, wanted ${level}`,
    );
}

export async function getSubjectCompatibility(
  registryUrl: string,
  subject: string,
): Promise<string | undefined> {
  const body = (await registryCall(`${registryUrl}/config/${encodeURIComponent(subject)}`, {
    method: 'GET',
  })) as { compatibilityLevel?: string };
  return body.compatibilityLevel;
}

/**
 * Registers one Avro schema under a subject whose compatibility is set first, so the registry checks
 * this very registration. Idempotent: an identical schema returns the existing id. An incompatible one
 * is rejected (HTTP 409), and the error says so.
 */
export async function registerSchema(
  registry: SchemaRegistry,
  registryUrl: string,
  subject: string,
  schema: AvroRecordSchema,
  level: COMPATIBILITY = COMPATIBILITY_LEVEL,
): Promise<number> {
  await setSubjectCompatibility(registryUrl, subject, level);
  // `compatibility` must match the subject's level, or the client refuses to register.
  const { id } = await registry.register(
    { type: SchemaType.AVRO, schema: JSON.stringify(schema) },
    { subject, compatibility: level },
  );
  return id;
}

export interface RegisteredOrderSchemas {
  readonly completed: { readonly subject: string; readonly id: number };
  readonly failed: { readonly subject: string; readonly id: number };
}

export interface RegisterSchemasOptions {
  /** The registry's Confluent API base URL (compatibility is set through it). */
  readonly registryUrl: string;
  readonly topics?: OrderTopics;
  readonly compatibility?: COMPATIBILITY;
  /** Other schema versions to register instead of this folder's (tests of schema evolution). */
  readonly schemas?: Partial<Record<OrderEventKind, AvroRecordSchema>>;
}

/** Registers both subjects (`orders.completed-value`, `orders.failed-value`) with the compatibility policy. */
export async function registerSchemas(
  registry: SchemaRegistry,
  options: RegisterSchemasOptions,
): Promise<RegisteredOrderSchemas> {
  const topics = options.topics ?? ORDER_TOPICS;
  const level = options.compatibility ?? COMPATIBILITY_LEVEL;
  const one = async (kind: OrderEventKind) => {
    const subject = subjectFor(topics[kind]);
    const id = await registerSchema(
      registry,
      options.registryUrl,
      subject,
      options.schemas?.[kind] ?? SCHEMAS[kind],
      level,
    );
    return { subject, id };
  };
  return { completed: await one('completed'), failed: await one('failed') };
}
