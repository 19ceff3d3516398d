// email-consumer process: consumer group email-consumer, both topics, HTTP on EMAIL_CONSUMER_PORT (8203).
import { runConsumerProcess } from '../kit/process.ts';
import { consumers } from '../registry.ts';
import { emailConsumer } from './consumer.ts';

await runConsumerProcess(emailConsumer, consumers.email);
