/**
 * The contracts against the real adapters: the DynamoDB store on dynalite and the S3 files on s3rver,
 * through the real SDK clients. Each case gets a table or a bucket of its own on one embedded stack.
 */
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll } from 'vitest';
import { DynamoStore } from '../../functions/adapters/dynamo-store.ts';
import { s3Documents, s3Files } from '../../functions/adapters/s3-files.ts';
import { tableDefinition } from '../../functions/adapters/table-definition.ts';
import { fileStoreContract } from '../contract/files.contract.ts';
import { storeContract } from '../contract/store.contract.ts';
import { startTestStack, type TestStack } from './support/test-stack.ts';

let t: TestStack;
let made = 0;

beforeAll(async () => {
  t = await startTestStack();
});
afterAll(() => t?.stop());

storeContract(async () => {
  const tableName = `contract-${++made}`;
  await t.clients.dynamodb.send(new CreateTableCommand(tableDefinition(tableName)));
  // dynalite answers "not found" until the new table turns ACTIVE, a moment later.
  for (;;) {
    const { Table } = await t.clients.dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') break;
  }
  return new DynamoStore(t.clients.documents, tableName);
});

fileStoreContract(async () => {
  const bucket = `contract-${++made}`;
  await t.clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    files: s3Files(t.clients.s3),
    documents: s3Documents(t.clients.s3),
    bucket,
    upload: async (key, bytes) => {
      await t.clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }));
    },
  };
});
