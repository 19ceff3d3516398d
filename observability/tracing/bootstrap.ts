// Loaded before every orderflow process's own code: `node --import ./observability/tracing/bootstrap.ts <entry>`.
// Instrumentations patch modules as they load, so this must run first. The app is ESM: CommonJS packages it
// imports (fastify, kafkajs, pg) only reach the instrumentations through import-in-the-middle's loader hook,
// registered here for exactly the modules the instrumentations ask for.
import { register } from 'node:module';
import { basename, dirname } from 'node:path';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import { startTracing } from './sdk.ts';

const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);

// OTEL_SERVICE_NAME wins (the stack sets it); otherwise name the process after its entry's folder.
const entry = process.argv[1] ?? 'orderflow';
const fallbackName =
  basename(entry).replace(/\.ts$/, '') === 'main' ? basename(dirname(entry)) : basename(entry);
const pipeline = startTracing(fallbackName.replace(/\.ts$/, ''));

await waitForAllMessagesAcknowledged();

if (pipeline) {
  // Flush what is buffered on a normal shutdown; the process's own handlers decide when to exit.
  process.once('beforeExit', () => void pipeline.shutdown());
}
