// A fresh cluster has no namespace: the dev server creates `default` and registers the order search
// attributes from its flags; here the same happens through the frontend's APIs once it answers, and is a
// no-op on every later start.
import { setTimeout as delay } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import protoPackage from '@temporalio/proto';
import { ORDER_SEARCH_ATTRIBUTES } from '../../contracts/order/definitions.ts';
import { runLogged } from '../exec.ts';
import { tools } from '../tools.ts';

const proto = protoPackage.temporal; // CommonJS package: no named ESM export
const { IndexedValueType } = proto.api.enums.v1;

/** `Keyword` → INDEXED_VALUE_TYPE_KEYWORD: the CLI's type names, as ORDER_SEARCH_ATTRIBUTES holds them. */
export function indexedValueType(cliType: string): number {
  const value = (IndexedValueType as unknown as Record<string, number>)[
    `INDEXED_VALUE_TYPE_${cliType.toUpperCase()}`
  ];
  if (value === undefined || value === 0)
    // 0: INDEXED_VALUE_TYPE_UNSPECIFIED
    throw new Error(`unknown search attribute type ${cliType}`);
  return value;
}

const isNotFound = (err: unknown): boolean => (err as { code?: number }).code === 5; // gRPC NOT_FOUND

async function untilFound<T>(call: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await call();
    } catch (err) {
      if (!isNotFound(err) || Date.now() > deadline) throw err;
      await delay(500);
    }
  }
}

/** Registers `namespace` and the order search attributes when missing; returns what it created. */
export async function ensureNamespace(
  address: string,
  log: string,
  namespace = 'default',
): Promise<string[]> {
  const created: string[] = [];
  const connection = await Connection.connect({ address, connectTimeout: 5000 });
  try {
    try {
      await connection.workflowService.describeNamespace({ namespace });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      // The pinned CLI (its default retention, 72 h): the SDK's request wants a protobuf Long.
      await runLogged(
        tools.temporal.bins.temporal,
        ['operator', 'namespace', 'create', '--namespace', namespace, '--address', address],
        log,
      );
      created.push(`namespace ${namespace}`);
    }
    // A namespace created a moment ago reaches the frontend's namespace cache within its refresh interval.
    const { customAttributes } = await untilFound(() =>
      connection.operatorService.listSearchAttributes({ namespace }),
    );
    const missing = Object.entries(ORDER_SEARCH_ATTRIBUTES).filter(
      ([name]) => customAttributes?.[name] === undefined,
    );
    if (missing.length > 0) {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(missing.map(([name, type]) => [name, indexedValueType(type)])),
      });
      created.push(...missing.map(([name, type]) => `search attribute ${name} (${type})`));
    }
    return created;
  } finally {
    await connection.close();
  }
}
