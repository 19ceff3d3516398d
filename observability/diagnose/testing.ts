// Test inputs for diagnose: the histories workflow.test.ts recorded on a real Temporal server
// (workflows/order/histories), and the endpoints of the local stack.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { endpointsFromEnv } from './endpoints.ts';
import { buildTimeline, type OrderTimeline } from './timeline.ts';

const dir = join(import.meta.dirname, '..', '..', 'workflows', 'order', 'histories');

export function recordedHistory(name: string): temporal.api.history.v1.IHistory {
  return temporal.api.history.v1.History.decode(readFileSync(join(dir, `${name}.history.pb`)));
}

export const recordedTimeline = (name: string): OrderTimeline => buildTimeline(name, recordedHistory(name));

/** Fixed endpoints, so links in assertions do not depend on the environment running the tests. */
export const localEndpoints = endpointsFromEnv({});
