/**
 * The one table every store module reads and writes, through the document client: reads (consistent
 * where one can be), queries with paging, batch reads and writes with their retries, the item-size
 * guard, and conditional writes. A condition that does not hold is a refusal its caller designed, not
 * a failure: it becomes a return value here, in one place, and every other error is rethrown.
 *
 * Entities are stored as top-level attributes next to their keys (dynamo-keys.ts) and an `itemType`.
 */
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConcurrentChangeError } from '../../domain/errors.ts';
import { assertEachFits } from '../dynamo-item-size.ts';
import { type ItemKeys, TABLE_KEYS } from '../dynamo-keys.ts';

export type Item = Record<string, unknown> & ItemKeys;
export type Key = { PK: string; SK: string };

/** An expression with the attribute names and values it refers to. */
export interface Expression {
  expression: string;
  names?: Record<string, string>;
  values?: Record<string, unknown>;
}

/** The item's key is not taken yet. */
const ABSENT: Expression = { expression: 'attribute_not_exists(PK)' };

/** A secondary index as TABLE_KEYS names it. */
type Index = { indexName: string; partitionKey: string; sortKey: string };

/** Attributes of the item, not of the entity (`itemType` labels items; entities may have a `type`). */
const KEY_ATTRIBUTES = new Set([
  'PK',
  'SK',
  'GSI1PK',
  'GSI1SK',
  'GSI2PK',
  'GSI2SK',
  'itemType',
  'itemVersion',
  TABLE_KEYS.timeToLive,
]);

export { ConcurrentChangeError };

const REFUSED = Symbol('condition did not hold');

export class Table {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly name: string,
  ) {}

  /** One item by its key, read consistently: a write a moment ago is seen. */
  async get(key: Key): Promise<Item | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.name, Key: key, ConsistentRead: true }),
    );
    return Item as Item | undefined;
  }

  /** The items of partition `pk` whose sort key starts with `prefix`, in sort-key order. */
  partition(pk: string, prefix: string, options: { consistent: boolean }): Promise<Item[]> {
    return this.query({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
      ...(options.consistent ? { ConsistentRead: true } : {}),
    });
  }

  /**
   * The items of one index partition (sort key starting with `prefix`, where given), in sort-key
   * order; those `filter` holds for, where given (DynamoDB reads the others but does not return them).
   */
  index(index: Index, partition: string, prefix?: string, filter?: Expression): Promise<Item[]> {
    return this.query({
      IndexName: index.indexName,
      KeyConditionExpression: prefix ? '#pk = :pk AND begins_with(#sk, :prefix)' : '#pk = :pk',
      ExpressionAttributeNames: {
        '#pk': index.partitionKey,
        ...(prefix ? { '#sk': index.sortKey } : {}),
        ...filter?.names,
      },
      ExpressionAttributeValues: {
        ':pk': partition,
        ...(prefix ? { ':prefix': prefix } : {}),
        ...filter?.values,
      },
      ...(filter ? { FilterExpression: filter.expression } : {}),
    });
  }

  /**
   * The sparse due-date index between two dates, ends included, a page at a time: one GSI2 partition
   * per due year (`partitionOf(year)`), so a window across New Year reads two.
   */
  async *dueIndexPages(
    partitionOf: (year: number) => string,
    from: string,
    to: string,
    pageSize?: number,
  ): AsyncGenerator<Item[]> {
    const index = TABLE_KEYS.openByDueDate;
    for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year++) {
      yield* this.queryPages({
        IndexName: index.indexName,
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey },
        ExpressionAttributeValues: {
          ':pk': partitionOf(year),
          ':from': from,
          // '~' sorts after '#', so every `${date}#${id}` of the last day is included.
          ':to': `${to}~`,
        },
        ...(pageSize ? { Limit: pageSize } : {}),
      });
    }
  }

  /** The due-date index between two dates, every page at once. */
  async dueIndex(partitionOf: (year: number) => string, from: string, to: string): Promise<Item[]> {
    const items: Item[] = [];
    for await (const page of this.dueIndexPages(partitionOf, from, to)) items.push(...page);
    return items;
  }

  /** Every page of a query, at once: for results bounded by the data's shape, not by the day's work. */
  async query(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): Promise<Item[]> {
    const items: Item[] = [];
    for await (const page of this.queryPages(input)) items.push(...page);
    return items;
  }

  /**
   * A query one page at a time (at most `Limit` items, where given), so a caller can finish with a
   * page before the next is read and hold no more than one in memory. Empty pages are skipped.
   */
  async *queryPages(
    input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
  ): AsyncGenerator<Item[]> {
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({ ...input, TableName: this.name, ExclusiveStartKey }),
      );
      const items = (page.Items ?? []) as Item[];
      if (items.length > 0) yield items;
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  }

  /** The items of these keys that exist, in no particular order, 100 to a request. */
  async batchGet(keys: readonly Key[], options: { consistent?: boolean } = {}): Promise<Item[]> {
    const items: Item[] = [];
    for (let i = 0; i < keys.length; i += 100) {
      let pending: Record<string, unknown>[] = keys.slice(i, i + 100);
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 0) await sleep(Math.min(1000, 25 * 2 ** attempt));
        if (attempt > 8) throw new Error('DynamoDB kept keys unprocessed; try again');
        const result = await this.client.send(
          new BatchGetCommand({
            RequestItems: {
              [this.name]: { Keys: pending, ...(options.consistent ? { ConsistentRead: true } : {}) },
            },
          }),
        );
        items.push(...((result.Responses?.[this.name] ?? []) as Item[]));
        pending = (result.UnprocessedKeys?.[this.name]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    return items;
  }

  /**
   * Writes items 25 to a request. Every item is measured first: a request DynamoDB refuses would
   * leave the batches before it written, and a stand-in that measures differently might accept it.
   */
  async batchPut(items: readonly Item[]): Promise<void> {
    assertEachFits(items);
    for (let i = 0; i < items.length; i += 25) {
      let requests = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 0) await sleep(Math.min(1000, 25 * 2 ** attempt));
        const result = await this.client.send(
          new BatchWriteCommand({ RequestItems: { [this.name]: requests } }),
        );
        requests = (result.UnprocessedItems?.[this.name] ?? []) as typeof requests;
        if (attempt > 8 && requests.length > 0) throw new Error('DynamoDB kept items unprocessed; try again');
      }
    }
  }

  /** Deletes the items of these keys (an absent one is no error), 25 to a request. */
  async batchDelete(keys: readonly Key[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 25) {
      let requests = keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 0) await sleep(Math.min(1000, 25 * 2 ** attempt));
        const result = await this.client.send(
          new BatchWriteCommand({ RequestItems: { [this.name]: requests } }),
        );
        requests = (result.UnprocessedItems?.[this.name] ?? []) as typeof requests;
        if (attempt > 8 && requests.length > 0) throw new Error('DynamoDB kept keys unprocessed; try again');
      }
    }
  }

  /** Writes the item whatever was there. */
  async put(item: Item): Promise<void> {
    assertEachFits([item]);
    await this.client.send(new PutCommand({ TableName: this.name, Item: item }));
  }

  /** Writes the item unless one with its key exists; false when it did (a repeat, or another writer). */
  putIfAbsent(item: Item): Promise<boolean> {
    return this.putIf(item, ABSENT);
  }

  /** Writes the item if `condition` holds for the one stored under its key; false when it did not. */
  async putIf(item: Item, condition: Expression): Promise<boolean> {
    assertEachFits([item]);
    const written = await this.unlessRefused(() =>
      this.client.send(
        new PutCommand({
          TableName: this.name,
          Item: item,
          ConditionExpression: condition.expression,
          ...attributes(condition),
        }),
      ),
    );
    return written !== REFUSED;
  }

  /** Applies `update` whatever is stored (creating the item if absent). */
  async update(key: Key, update: Expression): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.name,
        Key: key,
        UpdateExpression: update.expression,
        ...attributes(update),
      }),
    );
  }

  /** Applies `update` if `condition` holds: the item as it is after, or undefined when refused. */
  async updateIf(key: Key, update: Expression, condition: Expression): Promise<Item | undefined> {
    const updated = await this.unlessRefused(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.name,
          Key: key,
          UpdateExpression: update.expression,
          ConditionExpression: condition.expression,
          ...attributes(update, condition),
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    return updated === REFUSED ? undefined : (updated.Attributes as Item);
  }

  /** Deletes the item if `condition` holds; false when it did not. */
  async deleteIf(key: Key, condition: Expression): Promise<boolean> {
    const deleted = await this.unlessRefused(() =>
      this.client.send(
        new DeleteCommand({
          TableName: this.name,
          Key: key,
          ConditionExpression: condition.expression,
          ...attributes(condition),
        }),
      ),
    );
    return deleted !== REFUSED;
  }

  /** The one place a refused condition is told apart from a failure (caught by its name). */
  private async unlessRefused<T>(write: () => Promise<T>): Promise<T | typeof REFUSED> {
    try {
      return await write();
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return REFUSED;
      throw error;
    }
  }
}

/** `SET #a = :a, #b = :b …` for each defined field, with its names and values. */
export function setFields(fields: object): Expression {
  const defined = Object.entries(fields).filter(([, v]) => v !== undefined);
  return {
    expression: `SET ${defined.map(([k]) => `#${k} = :${k}`).join(', ')}`,
    names: Object.fromEntries(defined.map(([k]) => [`#${k}`, k])),
    values: Object.fromEntries(defined.map(([k, v]) => [`:${k}`, v])),
  };
}

/** The entity an item holds: the item less its key attributes. */
export function entity<T>(item: Item): T {
  return Object.fromEntries(Object.entries(item).filter(([k]) => !KEY_ATTRIBUTES.has(k))) as T;
}

/** The names and values of expressions sent together, merged (absent when there are none). */
function attributes(...expressions: Expression[]) {
  const names = Object.assign({}, ...expressions.map((e) => e.names ?? {}));
  const values = Object.assign({}, ...expressions.map((e) => e.values ?? {}));
  return {
    ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
    ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
