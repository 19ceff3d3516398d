// The consumer kit: define a consumer (definition.ts), run it in-process (consumer.ts) or as a process
// (process.ts), replay its dead letters (replay.ts).
export {
  defineConsumer,
  subscribedKinds,
  type ConsumerDefinition,
  type Handler,
  type HandlerContext,
} from './definition.ts';
export {
  createEventConsumer,
  type ConsumerStatus,
  type EventConsumer,
  type EventConsumerOptions,
} from './consumer.ts';
export { openConsumerDatabase } from './database.ts';
export { PermanentEventError } from './errors.ts';
export { DLQ_HEADERS, parseDeadLetter, type DeadLetter } from './dead-letter.ts';
export { createConsumerMetrics, type ConsumerMetrics } from './metrics.ts';
export { applyOnce, isProcessed } from './processed-events.ts';
export { DEFAULT_RETRY, type RetryPolicy } from './retry.ts';
export { replayDeadLetters, replayGroupOf, type ReplayReport, type ReplayEntry } from './replay.ts';
export {
  runConsumerProcess,
  registerConsumerRoutes,
  loadConsumerConfig,
  DEFAULT_DATA_DIR,
} from './process.ts';
export { writeScrapeTarget, removeScrapeTarget } from '../../platform/scrape-targets.ts';
