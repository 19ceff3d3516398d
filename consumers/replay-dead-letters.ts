// Replays a consumer's dead letters to that consumer (its group, its database, the fixed code).
//
//   node consumers/replay-dead-letters.ts <consumer> [--dry-run]
//
// <consumer> is a name from consumers/registry.ts (e.g. loyalty-consumer). --dry-run lists what would be
// replayed and changes nothing. Safe while the consumer runs: processing is idempotent by event id, and
// SQLite serialises the two writers. Environment: KAFKA_BROKERS, SCHEMA_REGISTRY_URL, DATA_DIR,
// CONSUMER_GROUP, as for the consumer. Exit code 0 when everything replayed, 2 when some failed again.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadEventsConfig } from '../events/config.ts';
import { createKafkaClient, createSchemaRegistryClient } from '../events/kafka.ts';
import { definitions } from './definitions.ts';
import { openConsumerDatabase } from './kit/database.ts';
import { loadConsumerConfig, retryPolicyOf } from './kit/process.ts';
import { replayDeadLetters, type ReplayReport } from './kit/replay.ts';
import { consumerByName, consumers } from './registry.ts';

export function formatReport(report: ReplayReport): string {
  const lines = [
    `${report.dryRun ? 'dry run: ' : ''}${report.entries.length} dead letter(s) on ${report.deadLetterTopic} for group ${report.group} (progress group ${report.replayGroup})`,
  ];
  for (const e of report.entries) {
    lines.push(
      `  ${report.deadLetterTopic}[${e.dlqPartition}]@${e.dlqOffset} <- ${e.originalTopic}[${e.originalPartition}]@${e.originalOffset} event ${e.eventId ?? '?'}: ` +
        (e.outcome
          ? `${e.outcome}${e.newError ? ` (${e.newError})` : ''}`
          : `failed after ${e.attempts} attempt(s): ${e.error}`),
    );
  }
  if (!report.dryRun)
    lines.push(
      `processed ${report.processed}, duplicates ${report.duplicates}, dead-lettered again ${report.deadLetteredAgain}`,
    );
  return lines.join('\n');
}

if (import.meta.main) {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { 'dry-run': { type: 'boolean', default: false } },
  });
  const name = positionals[0];
  const info = name ? consumerByName(name) : undefined;
  const definition = name ? definitions[name] : undefined;
  if (!info || !definition || positionals.length !== 1) {
    console.error(
      `usage: node consumers/replay-dead-letters.ts <consumer> [--dry-run]\n  consumers: ${Object.values(
        consumers,
      )
        .map((c) => c.name)
        .join(', ')}`,
    );
    process.exit(64);
  }
  const config = loadConsumerConfig(info);
  const events = loadEventsConfig();
  const db = openConsumerDatabase(join(config.DATA_DIR, `${definition.name}.db`), definition);
  try {
    const report = await replayDeadLetters({
      definition,
      kafka: createKafkaClient({ clientId: `${definition.name}-replay`, brokers: events.kafkaBrokers }),
      registry: createSchemaRegistryClient(events.schemaRegistryUrl),
      db,
      groupId: config.CONSUMER_GROUP,
      topics: events.topics,
      retry: retryPolicyOf(config),
      dryRun: values['dry-run'],
    });
    console.log(formatReport(report));
    process.exitCode = report.deadLetteredAgain > 0 ? 2 : 0;
  } catch (err) {
    console.error(`replay failed: ${(err as Error).message}`);
    process.exitCode = 1;
  } finally {
    db.close();
  }
}
