import { describe, expect, it } from 'vitest';
import { COMPATIBILITY, SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { COMPATIBILITY_LEVEL, getSubjectCompatibility, registerSchema, registerSchemas } from './registry.ts';
import { orderCompletedSchema, subjectFor, type AvroRecordSchema } from '../contracts/events/schemas.ts';
import { requireEventStack, uniqueId, urls } from '../test/support/events.ts';

const registry = new SchemaRegistry({ host: urls.schemaRegistry });
const withFields = (fields: AvroRecordSchema['fields']): AvroRecordSchema => ({
  ...orderCompletedSchema,
  fields,
});
const v1 = orderCompletedSchema;

async function freshSubject(level: COMPATIBILITY = COMPATIBILITY_LEVEL): Promise<string> {
  await requireEventStack();
  const subject = subjectFor(uniqueId('registry-test'));
  await registerSchema(registry, urls.schemaRegistry, subject, v1, level);
  return subject;
}

describe('schema registration and compatibility', () => {
  it('when the schemas are registered, then both subjects have the FULL_TRANSITIVE policy and registering again returns the same ids', async () => {
    await requireEventStack();
    const id = uniqueId('registry-test');
    const topics = { completed: `${id}.completed`, failed: `${id}.failed` };

    const first = await registerSchemas(registry, { registryUrl: urls.schemaRegistry, topics });
    const again = await registerSchemas(registry, { registryUrl: urls.schemaRegistry, topics });

    expect(again).toEqual(first);
    expect(first.completed.subject).toBe(`${id}.completed-value`);
    expect(first.failed.subject).toBe(`${id}.failed-value`);
    expect(await getSubjectCompatibility(urls.schemaRegistry, first.completed.subject)).toBe(
      'FULL_TRANSITIVE',
    );
    expect(await getSubjectCompatibility(urls.schemaRegistry, first.failed.subject)).toBe('FULL_TRANSITIVE');
  });

  it('when a new version adds a field without a default, then the registry rejects it', async () => {
    const subject = await freshSubject();
    const v2 = withFields([...v1.fields, { name: 'giftMessage', type: 'string' }]);
    await expect(registerSchema(registry, urls.schemaRegistry, subject, v2)).rejects.toMatchObject({
      status: 409,
    });
  });

  it('when a new version removes a required field, then the registry rejects it', async () => {
    const subject = await freshSubject();
    const v2 = withFields(v1.fields.filter((f) => f.name !== 'carrier'));
    await expect(registerSchema(registry, urls.schemaRegistry, subject, v2)).rejects.toMatchObject({
      status: 409,
    });
  });

  it('when a new version adds an optional field with a default, then the registry accepts it as a new version', async () => {
    const subject = await freshSubject();
    const v1Id = await registry.getLatestSchemaId(subject);
    const v2 = withFields([...v1.fields, { name: 'loyaltyTier', type: ['null', 'string'], default: null }]);

    const v2Id = await registerSchema(registry, urls.schemaRegistry, subject, v2);

    expect(v2Id).not.toBe(v1Id);
    expect(await registry.getLatestSchemaId(subject)).toBe(v2Id);
  });

  it('when a subject used plain BACKWARD, then removing a required field would pass (why the policy is FULL_TRANSITIVE)', async () => {
    // BACKWARD only promises that new readers read old data; old consumers would then fail on new events.
    const subject = await freshSubject(COMPATIBILITY.BACKWARD);
    const v2 = withFields(v1.fields.filter((f) => f.name !== 'carrier'));
    await expect(
      registerSchema(registry, urls.schemaRegistry, subject, v2, COMPATIBILITY.BACKWARD),
    ).resolves.toBeGreaterThan(0);
  });
});
