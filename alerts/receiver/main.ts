// Entry point of the stack's alert-receiver: `node alerts/receiver/main.ts`. Environment (all optional):
// HOST (127.0.0.1), PORT (ALERT_RECEIVER_PORT, 9097), ALERT_RECEIVER_FILE (the JSONL file, by default
// <state>/data/alert-receiver/notifications.jsonl).
import { join } from 'node:path';
import { host as defaultHost, ports } from '../../platform/ports.ts';
import { statePaths } from '../../platform/paths.ts';
import { createReceiverServer } from './server.ts';
import { openNotificationLog } from './store.ts';

export const defaultNotificationsFile = join(statePaths.data, 'alert-receiver', 'notifications.jsonl');

const host = process.env.HOST || defaultHost;
const port = Number(process.env.PORT || ports.alertReceiver);
const log = openNotificationLog({ file: process.env.ALERT_RECEIVER_FILE || defaultNotificationsFile });
const server = createReceiverServer(log, { logLine: (line) => process.stdout.write(`${line}\n`) });

server.listen(port, host, () => {
  process.stdout.write(
    `${JSON.stringify({ msg: 'listening', url: `http://${host}:${port}`, file: log.file, kept: log.query().length })}\n`,
  );
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
