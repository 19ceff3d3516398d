// The Kafka contract and its publisher: what the activities, the stack runner and the consumers import.
export * from '../contracts/events/types.ts';
export { orderEventId, uuidV5, ORDER_EVENT_NAMESPACE } from '../contracts/events/event-id.ts';
export {
  orderCompletedEvent,
  orderFailedEvent,
  type OrderCompletedInput,
  type OrderFailedInput,
  type OccurredAt,
} from './order-events.ts';
export {
  SCHEMAS,
  orderCompletedSchema,
  orderFailedSchema,
  subjectFor,
  type AvroRecordSchema,
} from '../contracts/events/schemas.ts';
export * from './topics.ts';
export { loadEventsConfig, type EventsConfig } from './config.ts';
export {
  createKafkaClient,
  createSchemaRegistryClient,
  kafkaLogCreator,
  type EventLogger,
  type KafkaClientOptions,
} from './kafka.ts';
export {
  COMPATIBILITY_LEVEL,
  registerSchema,
  registerSchemas,
  setSubjectCompatibility,
  getSubjectCompatibility,
  type RegisteredOrderSchemas,
} from './registry.ts';
export { HEADERS, CONTENT_TYPE_AVRO, traceHeaders, headerString, extractTraceContext } from './headers.ts';
export {
  createOrderEventPublisher,
  InvalidOrderEventError,
  OrderEventPublishTimeoutError,
  type OrderEventPublisher,
  type OrderEventPublisherOptions,
  type PublishResult,
} from './publisher.ts';
export { setupOrderEvents, setupOrderEventsFromEnv, type SetupReport } from './setup.ts';
export { createSafeProducer, type SafeProducer } from './producer.ts';
