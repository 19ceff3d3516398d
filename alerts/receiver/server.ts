// The HTTP side of the stand-in: Alertmanager posts PagerDuty events, Slack messages and webhook JSON here,
// and gets the answers the real services give (PagerDuty 202 `{"status":"success",…}`, Slack 200 `ok`, their
// 400s for malformed payloads, which Alertmanager does not retry). Drills and people read what arrived with
// `GET /received`.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type Channel, type NotificationStatus, PARSERS, RECEIVER_PATHS } from './payloads.ts';
import { type NotificationLog, type NotificationQuery } from './store.ts';

const MAX_BODY_BYTES = 1024 * 1024;
const CHANNELS = Object.keys(RECEIVER_PATHS) as Channel[];
const channelOfPath = new Map(Object.entries(RECEIVER_PATHS).map(([channel, path]) => [path, channel]));
const STATUSES: readonly NotificationStatus[] = ['firing', 'resolved', 'acknowledged'];

class BadRequest extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BadRequest(`body larger than ${MAX_BODY_BYTES} bytes`));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const sendJson = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};

/** How each service answers, so Alertmanager logs what it would log against the real one. */
function answer(res: ServerResponse, channel: Channel, errors?: readonly string[], dedupKey?: unknown): void {
  if (channel === 'pagerduty') {
    if (errors) sendJson(res, 400, { status: 'invalid event', message: 'Event object is invalid', errors });
    else sendJson(res, 202, { status: 'success', message: 'Event processed', dedup_key: dedupKey });
  } else if (channel === 'slack') {
    res.writeHead(errors ? 400 : 200, { 'content-type': 'text/plain' }).end(errors ? errors[0] : 'ok');
  } else if (errors) sendJson(res, 400, { error: errors.join('; ') });
  else sendJson(res, 200, { status: 'ok' });
}

/** `?since=` (epoch ms or ISO time) `&after=` (seq) `&channel=` `&alertname=` `&status=`. */
export function parseQuery(params: URLSearchParams): NotificationQuery {
  const since = params.get('since');
  const after = params.get('after');
  const channel = params.get('channel');
  const status = params.get('status');
  const alertname = params.get('alertname');
  let sinceMs: number | undefined;
  if (since !== null) {
    sinceMs = /^\d+$/.test(since) ? Number(since) : Date.parse(since);
    if (Number.isNaN(sinceMs)) throw new BadRequest(`since=${since} is neither epoch ms nor an ISO time`);
  }
  if (after !== null && !/^\d+$/.test(after)) throw new BadRequest(`after=${after} is not a sequence number`);
  if (channel !== null && !CHANNELS.includes(channel as Channel))
    throw new BadRequest(`channel must be one of ${CHANNELS.join(', ')}`);
  if (status !== null && !STATUSES.includes(status as NotificationStatus))
    throw new BadRequest(`status must be one of ${STATUSES.join(', ')}`);
  return {
    ...(sinceMs !== undefined ? { sinceMs } : {}),
    ...(after !== null ? { afterSeq: Number(after) } : {}),
    ...(channel !== null ? { channel: channel as Channel } : {}),
    ...(status !== null ? { status: status as NotificationStatus } : {}),
    ...(alertname ? { alertname } : {}),
  };
}

export interface ReceiverServerOptions {
  /** One line per received or rejected notification (the process log). */
  readonly logLine?: (line: string) => void;
}

export function createReceiverServer(log: NotificationLog, options: ReceiverServerOptions = {}): Server {
  const logLine = options.logLine ?? (() => undefined);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://receiver');
    const channel = channelOfPath.get(url.pathname) as Channel | undefined;
    if (req.method === 'POST' && channel) {
      const text = await readBody(req);
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        logLine(JSON.stringify({ msg: 'rejected', channel, errors: ['body is not JSON'] }));
        answer(res, channel, channel === 'slack' ? ['invalid_payload'] : ['body is not JSON']);
        return;
      }
      const parsed = PARSERS[channel](body);
      if (!parsed.ok) {
        logLine(JSON.stringify({ msg: 'rejected', channel, errors: parsed.errors }));
        answer(res, channel, parsed.errors);
        return;
      }
      const n = log.add(parsed.notification, body);
      logLine(
        JSON.stringify({ msg: 'received', seq: n.seq, channel, status: n.status, alertname: n.alertname }),
      );
      const dedupKey = (body as { dedup_key?: unknown }).dedup_key;
      answer(res, channel, undefined, dedupKey);
      return;
    }
    if (req.method === 'GET' && url.pathname === '/received') {
      sendJson(res, 200, { notifications: log.query(parseQuery(url.searchParams)) });
      return;
    }
    if (req.method === 'GET' && (url.pathname === '/healthz' || url.pathname === '/readyz')) {
      sendJson(res, 200, { status: 'ok', received: log.query().at(-1)?.seq ?? 0 });
      return;
    }
    sendJson(res, 404, { error: `no route ${req.method ?? ''} ${url.pathname}` });
  }

  return createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return;
      const bad = err instanceof BadRequest;
      sendJson(res, bad ? 400 : 500, { error: (err as Error).message });
    });
  });
}
