// audit-log-consumer process: consumer group audit-log-consumer, both topics, HTTP on AUDIT_LOG_CONSUMER_PORT (8204).
import { runConsumerProcess } from '../kit/process.ts';
import { consumers } from '../registry.ts';
import { auditLogConsumer } from './consumer.ts';

await runConsumerProcess(auditLogConsumer, consumers.auditLog);
