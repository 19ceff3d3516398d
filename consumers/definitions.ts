// Every consumer definition by process name: for the replay command and the tests.
import { analyticsConsumer } from './analytics-consumer/consumer.ts';
import { auditLogConsumer } from './audit-log-consumer/consumer.ts';
import { emailConsumer } from './email-consumer/consumer.ts';
import { type ConsumerDefinition } from './kit/definition.ts';
import { loyaltyConsumer } from './loyalty-consumer/consumer.ts';

export const definitions: Readonly<Record<string, ConsumerDefinition>> = {
  [loyaltyConsumer.name]: loyaltyConsumer,
  [analyticsConsumer.name]: analyticsConsumer,
  [emailConsumer.name]: emailConsumer,
  [auditLogConsumer.name]: auditLogConsumer,
};
