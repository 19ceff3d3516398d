// Kafka and schema-registry clients with timeouts sized for orderflow: an activity's publish must fail
// fast (FinalizeOrder has 5 s per attempt and unlimited Temporal retries), so kafkajs's own retries are
// short and Temporal's retry policy is in charge.
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Kafka, logLevel, type KafkaConfig, type logCreator } from 'kafkajs';
import { loadEventsConfig } from './config.ts';
import { explainKafkaError, kafkaSecurity, type KafkaSecurity } from './security.ts';

/** The subset of a pino/fastify logger the clients log through. */
export interface EventLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug?(obj: object, msg?: string): void;
}

/**
 * kafkajs warnings that describe a deliberate choice, not a problem. Short producer retries are the
 * point (Temporal retries the activity); producer.ts explains why they cannot lose an event.
 */
const EXPECTED_WARNINGS = new Set([
  'Limiting retries for the idempotent producer may invalidate EoS guarantees',
]);

/** kafkajs log lines as JSON through the process's logger (or stderr when none is given). */
export function kafkaLogCreator(log?: EventLogger): logCreator {
  return () =>
    ({ level, log: entry }) => {
      const { message, ...rest } = entry as { message: string } & Record<string, unknown>;
      delete rest.timestamp; // the process logger stamps its own
      delete rest.logger;
      const fields = { component: 'kafkajs', ...rest };
      if (!log) {
        if (level <= logLevel.WARN && !EXPECTED_WARNINGS.has(message))
          process.stderr.write(
            `${JSON.stringify({ level: level === logLevel.ERROR ? 'error' : 'warn', message, ...fields })}\n`,
          );
        return;
      }
      if (level === logLevel.ERROR) log.error(fields, message);
      else if (level === logLevel.WARN && !EXPECTED_WARNINGS.has(message)) log.warn(fields, message);
      else if (level === logLevel.INFO) log.info(fields, message);
      else log.debug?.(fields, message);
    };
}

export interface KafkaClientOptions {
  readonly clientId: string;
  /** Defaults to KAFKA_BROKERS (through Toxiproxy on the local stack). */
  readonly brokers?: readonly string[];
  readonly log?: EventLogger;
  /** kafkajs log level; WARN by default (kafkajs is chatty at INFO). */
  readonly logLevel?: logLevel;
  /** Overrides for special cases (tests); the defaults below are the point of this module. */
  readonly overrides?: Partial<KafkaConfig>;
  /** TLS and SASL; default: this process's settings (events/security.ts, from the environment). */
  readonly security?: KafkaSecurity;
}

/**
 * A kafkajs client whose producers, consumers and admins fail `connect()` with an error naming the setting
 * to fix (KAFKA_SASL_PASSWORD, KAFKA_TLS_CA, …) instead of kafkajs's bare message.
 */
class ExplainedKafka extends Kafka {
  readonly #explain: (err: unknown) => unknown;

  constructor(config: KafkaConfig, security: KafkaSecurity) {
    super(config);
    this.#explain = (err) => explainKafkaError(err, security, config.brokers as string[]);
  }

  #wrap<T extends { connect(): Promise<void> }>(client: T): T {
    const connect = client.connect.bind(client);
    client.connect = async () => {
      try {
        await connect();
      } catch (err) {
        throw this.#explain(err);
      }
    };
    return client;
  }

  override producer(...args: Parameters<Kafka['producer']>): ReturnType<Kafka['producer']> {
    return this.#wrap(super.producer(...args));
  }

  override consumer(...args: Parameters<Kafka['consumer']>): ReturnType<Kafka['consumer']> {
    return this.#wrap(super.consumer(...args));
  }

  override admin(...args: Parameters<Kafka['admin']>): ReturnType<Kafka['admin']> {
    return this.#wrap(super.admin(...args));
  }
}

export function createKafkaClient(options: KafkaClientOptions): Kafka {
  const security = options.security ?? kafkaSecurity();
  return new ExplainedKafka(
    {
      clientId: options.clientId,
      brokers: [...(options.brokers ?? loadEventsConfig().kafkaBrokers)],
      connectionTimeout: 1_000,
      requestTimeout: 3_000,
      // Client-level retries (metadata, connections): short; callers and Temporal retry the rest.
      retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1_000 },
      logLevel: options.logLevel ?? logLevel.WARN,
      logCreator: kafkaLogCreator(options.log),
      // TLS and SASL (events/security.ts): plaintext on the local stack.
      ...security.kafka,
      ...options.overrides,
    },
    security,
  );
}

/**
 * The registry client for the Confluent-compatible API (SCHEMA_REGISTRY_URL by default). Each request
 * times out after `timeoutMs` (the client has no timeout of its own: a hung registry would hang a
 * consumer) and is retried twice, 100 ms to 1 s apart.
 */
export function createSchemaRegistryClient(
  url: string = loadEventsConfig().schemaRegistryUrl,
  timeoutMs = 5_000,
  security: KafkaSecurity = kafkaSecurity(),
): SchemaRegistry {
  // Basic auth (SCHEMA_REGISTRY_USERNAME/PASSWORD) or a bearer token (SCHEMA_REGISTRY_TOKEN), and the CA.
  const { auth, headers, agent } = security.registry;
  return new SchemaRegistry({
    host: url,
    clientId: 'orderflow',
    retry: { retries: 2, initialRetryTimeInSecs: 0.1, maxRetryTimeInSecs: 1 },
    ...(auth ? { auth: { username: auth.username, password: auth.password } } : {}),
    ...(agent ? { agent } : {}),
    middlewares: [
      () => ({
        prepareRequest: (next) =>
          next().then((request) => request.enhance({ timeout: timeoutMs, ...(headers ? { headers } : {}) })),
      }),
    ],
  });
}
