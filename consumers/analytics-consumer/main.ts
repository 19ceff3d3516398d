// analytics-consumer process: consumer group analytics-consumer, both topics, HTTP on ANALYTICS_CONSUMER_PORT (8202).
import { runConsumerProcess } from '../kit/process.ts';
import { consumers } from '../registry.ts';
import { analyticsConsumer } from './consumer.ts';

await runConsumerProcess(analyticsConsumer, consumers.analytics);
