/**
 * The table as the local stack creates it. `infra/` declares the same keys and indexes from
 * TABLE_KEYS, so the two cannot drift apart.
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { TABLE_KEYS } from './dynamo-keys.ts';

export function tableDefinition(tableName: string): CreateTableCommandInput {
  const gsi = (index: { indexName: string; partitionKey: string; sortKey: string }) => ({
    IndexName: index.indexName,
    KeySchema: [
      { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'ALL' as const },
  });
  const attributeNames = [
    TABLE_KEYS.partitionKey,
    TABLE_KEYS.sortKey,
    TABLE_KEYS.byProgramme.partitionKey,
    TABLE_KEYS.byProgramme.sortKey,
    TABLE_KEYS.openByDueDate.partitionKey,
    TABLE_KEYS.openByDueDate.sortKey,
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: attributeNames.map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [gsi(TABLE_KEYS.byProgramme), gsi(TABLE_KEYS.openByDueDate)],
  };
}
