/**
 * Counts what a DynamoDB client asks of the table: requests per command and the items each read.
 * Attached to a client's middleware stack by the bench only (the document client shares its base
 * client's stack, so both are counted); a request the SDK retries counts once. Items read: ScannedCount of a Query or Scan (what is read
 * before a filter drops anything, what DynamoDB charges for), the items returned by BatchGetItem and
 * TransactGetItems, 1 for a GetItem that found its item.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DynamoCounts {
  requests: number;
  itemsRead: number;
  /** Requests by command name, e.g. `QueryCommand`. */
  byCommand: Record<string, number>;
  /** Items read by access path, e.g. `Query GSI1 INSTITUTIONS` (accessPathOf). */
  itemsByPath: Record<string, number>;
  /** Requests, reads and writes, by access path, e.g. `UpdateItem PAIR SENT`. */
  requestsByPath: Record<string, number>;
}

export interface DynamoCounter {
  /** The counts since the last reset. */
  counts(): DynamoCounts;
  reset(): void;
}

const MIDDLEWARE_NAME = 'benchDynamoCounter';

interface ReadOutput {
  ScannedCount?: number;
  Count?: number;
  Item?: unknown;
  Responses?: Record<string, unknown[]> | unknown[];
}

export function itemsReadBy(command: string, output: ReadOutput): number {
  switch (command) {
    case 'QueryCommand':
    case 'ScanCommand':
      return output.ScannedCount ?? output.Count ?? 0;
    case 'GetItemCommand':
      return output.Item ? 1 : 0;
    case 'BatchGetItemCommand':
      return Object.values((output.Responses ?? {}) as Record<string, unknown[]>).reduce(
        (sum, items) => sum + items.length,
        0,
      );
    case 'TransactGetItemsCommand':
      return ((output.Responses ?? []) as { Item?: unknown }[]).filter((r) => r.Item).length;
    default:
      return 0;
  }
}

const empty = (): DynamoCounts => ({
  requests: 0,
  itemsRead: 0,
  byCommand: {},
  itemsByPath: {},
  requestsByPath: {},
});

interface RequestInput {
  IndexName?: string;
  ExpressionAttributeValues?: Record<string, unknown>;
  Key?: Record<string, unknown>;
  Item?: Record<string, unknown>;
  RequestItems?: Record<string, { Keys?: Record<string, unknown>[] }>;
}

/** The key's entity (`PROG#sy-bench` → `PROG`), so paths group by what is read, not by whose. */
const entityOf = (value: unknown) => (typeof value === 'string' ? (value.split('#')[0] ?? '') : '');

/**
 * Which access path a read took, from the document-level input (before marshalling): the command, the
 * index, and the entity of each key value, e.g. `Query GSI2 DUE`, `Query GSI1 PROG OBL`, `GetItem PAIR OBL`.
 */
export function accessPathOf(command: string, input: RequestInput): string {
  const name = command.replace(/Command$/, '');
  const keyValues = input.Key ?? input.Item ?? Object.values(input.RequestItems ?? {})[0]?.Keys?.[0];
  const values = keyValues
    ? [keyValues.PK, keyValues.SK]
    : Object.values(input.ExpressionAttributeValues ?? {}).filter((v) => typeof v === 'string');
  const entities = [...new Set(values.map(entityOf).filter((e) => e !== ''))];
  return [name, input.IndexName ?? (keyValues ? '' : 'table'), ...entities].filter((p) => p !== '').join(' ');
}

export function countDynamoRequests(client: DynamoDBClient | DynamoDBDocumentClient): DynamoCounter {
  let counts: DynamoCounts = empty();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const command = context.commandName ?? 'unknown';
      counts.requests++;
      counts.byCommand[command] = (counts.byCommand[command] ?? 0) + 1;
      const items = itemsReadBy(command, result.output as ReadOutput);
      const path = accessPathOf(command, args.input as RequestInput);
      counts.requestsByPath[path] = (counts.requestsByPath[path] ?? 0) + 1;
      counts.itemsRead += items;
      if (items > 0) counts.itemsByPath[path] = (counts.itemsByPath[path] ?? 0) + items;
      return result;
    },
    { step: 'initialize', name: MIDDLEWARE_NAME, override: true },
  );
  return {
    counts: () => ({
      ...counts,
      byCommand: { ...counts.byCommand },
      itemsByPath: { ...counts.itemsByPath },
      requestsByPath: { ...counts.requestsByPath },
    }),
    reset() {
      counts = empty();
    },
  };
}
