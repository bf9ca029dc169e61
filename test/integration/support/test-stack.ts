/** An embedded stack per test file: random loopback ports, a fresh temporary BANGFU_HOME. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { type AwsClients, createAwsClients } from '../../../functions/adapters/aws-clients.ts';
import { DynamoStore } from '../../../functions/adapters/dynamo-store.ts';
import { type EmbeddedStack, startEmbeddedStack } from '../../../functions/local/embedded-stack.ts';

export interface TestStack {
  home: string;
  stack: EmbeddedStack;
  clients: AwsClients;
  store: DynamoStore;
  /** Every item in the table: for tests only, to prove what was (not) written. */
  allItems(): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

export async function startTestStack(options: { persistent?: boolean } = {}): Promise<TestStack> {
  const home = await mkdtemp(join(tmpdir(), 'bangfu-test-'));
  const stack = await startEmbeddedStack({ home, persistent: options.persistent ?? false });
  const clients = createAwsClients(stack.config);
  const store = new DynamoStore(clients.documents, stack.config.tableName);
  return {
    home,
    stack,
    clients,
    store,
    async allItems() {
      const items: Record<string, unknown>[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await clients.documents.send(
          new ScanCommand({ TableName: stack.config.tableName, ExclusiveStartKey }),
        );
        items.push(...(page.Items ?? []));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return items;
    },
    async stop() {
      clients.destroy();
      await stack.stop();
      await rm(home, { recursive: true, force: true });
    },
  };
}
