// The workers' log lines as JSON, like every other orderflow process: one object per line with the
// service, level, message and whatever Temporal attaches — workflow/activity ids and, from the
// OpenTelemetry interceptors, `trace_id` and `span_id` of the span the line was written in.
import { DefaultLogger, type LogEntry } from '@temporalio/worker';
import type { LogLevel } from '@temporalio/common';

const PINO_LEVELS: Readonly<Record<LogLevel, number>> = {
  TRACE: 10,
  DEBUG: 20,
  INFO: 30,
  WARN: 40,
  ERROR: 50,
};

/** JSON-safe: bigints as strings, errors as their message and stack. */
function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return { type: value.name, message: value.message, stack: value.stack };
  return value;
}

export function jsonWorkerLogger(service: string, level: LogLevel = 'INFO'): DefaultLogger {
  return new DefaultLogger(level, (entry: LogEntry) => {
    const line = {
      level: PINO_LEVELS[entry.level],
      time: Number(entry.timestampNanos / 1_000_000n),
      service,
      message: entry.message,
      ...entry.meta,
    };
    process.stdout.write(`${JSON.stringify(line, jsonSafe)}\n`);
  });
}
