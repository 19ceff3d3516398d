// loyalty-consumer process: consumer group loyalty-consumer, orders.completed, HTTP on LOYALTY_CONSUMER_PORT (8201).
import { runConsumerProcess } from '../kit/process.ts';
import { consumers } from '../registry.ts';
import { loyaltyConsumer } from './consumer.ts';

await runConsumerProcess(loyaltyConsumer, consumers.loyalty);
