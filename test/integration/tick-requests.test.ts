/**
 * What the daily tick's reminder steps ask of DynamoDB, counted by a middleware on the SDK client the
 * store uses, on the embedded stack (dynalite) with both plans and the demo roster loaded.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../functions/adapters/aws-clients.ts';
import { DynamoStore } from '../../functions/adapters/dynamo-store.ts';
import {
  createForwardingReminderRenderer,
  createReminderRenderer,
} from '../../functions/adapters/email-renderer.ts';
import { MemoryMailer } from '../../functions/adapters/memory/memory-mailer.ts';
import { startOfBeijingDay } from '../../functions/domain/plain-date.ts';
import { prcCalendar } from '../../functions/domain/working-days.ts';
import { DEMO_ROSTER, readSeedFiles } from '../../functions/local/seed-files.ts';
import { importRoster } from '../../functions/use-cases/import-roster.ts';
import { loadSeeds } from '../../functions/use-cases/load-seeds.ts';
import { sendTickReminders } from '../../functions/use-cases/run-tick.ts';
import { TestLeaseClock } from '../support/lease-clock.ts';
import { startTestStack, type TestStack } from './support/test-stack.ts';

const nineOclock = (day: string) => new Date(startOfBeijingDay(day).getTime() + 9 * 3600_000);

let t: TestStack;
let clients: ReturnType<typeof createAwsClients>;
let store: DynamoStore;
/** The commands sent while `counting`, by name. */
let requests: string[] = [];
let counting = false;

beforeAll(async () => {
  t = await startTestStack();
  await loadSeeds(t.store, await readSeedFiles());
  await importRoster(t.store, { name: DEMO_ROSTER, text: await readFile(DEMO_ROSTER, 'utf8') });
  clients = createAwsClients(t.stack.config);
  clients.documents.middlewareStack.add(
    (next, context) => async (args) => {
      if (counting) requests.push(context.commandName ?? 'unknown');
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
  store = new DynamoStore(clients.documents, t.stack.config.tableName);
}, 120_000);

afterAll(async () => {
  clients?.destroy();
  await t?.stop();
});

/** Both reminder steps of `day` at 09:00, as the daily tick runs them; the requests they made. */
async function tick(day: string) {
  const common = {
    store,
    mailer: new MemoryMailer(),
    calendar: prcCalendar,
    clock: () => nineOclock(day),
    leaseClock: new TestLeaseClock(nineOclock(day)),
    sender: 'bangfu@example.org',
    runId: `run-${Math.random().toString(36).slice(2)}`,
    options: { claimLeaseMs: 120_000 },
  };
  requests = [];
  counting = true;
  try {
    const result = await sendTickReminders(
      {
        reminders: { ...common, renderer: createReminderRenderer() },
        forwardingReminders: { ...common, renderer: createForwardingReminderRenderer() },
      },
      day,
    );
    return { ...result, requests: [...requests] };
  } finally {
    counting = false;
  }
}

describe('the reminder steps’ DynamoDB requests', () => {
  it('a quiet day (Friday 15 July 2022, between Fujian §三(一) and §三(二)) is the programmes and the due indexes: at most five queries', async () => {
    const { reminders, forwardings, requests } = await tick('2022-07-15');
    expect(reminders.due + forwardings.due).toBe(0);
    expect(requests.length).toBeLessThanOrEqual(5);
    expect(new Set(requests)).toEqual(new Set(['QueryCommand']));
  });

  it('Monday 21 February 2022 (Fujian §三(一)) costs two writes a message; a rerun writes nothing and reads in batches', async () => {
    const first = await tick('2022-02-21');
    const messages = first.reminders.messages.length + first.forwardings.messages.length;
    expect(messages).toBe(63 + 8);
    // The first run: two writes a message (its claim and its outcome), whatever its addresses, and
    // its share of the page's batched reads; a city commission's reminder reads its own.
    expect(first.requests.filter((r) => r === 'UpdateItemCommand')).toHaveLength(2 * messages);
    expect(first.requests.filter((r) => r === 'PutItemCommand')).toEqual([]);
    expect(first.requests.length / messages).toBeLessThanOrEqual(3);
    const { reminders, forwardings, requests } = await tick('2022-02-21');
    expect([...reminders.messages, ...forwardings.messages]).toEqual([]);
    const due = reminders.due + forwardings.due;
    // A page's obligations and their stages' logs are two BatchGets for each plan, not two reads per
    // obligation; a city commission's forwarding is read alone (a GetItem and its log's Query). The
    // rest is per run: the programmes, the indexes, the batched pairings and institutions, and their
    // contacts (one item per institution told, 100 to a BatchGet), not a read for each address.
    expect(requests.filter((r) => r === 'GetItemCommand')).toHaveLength(forwardings.due);
    expect(requests.length).toBeLessThan(60);
    expect(due).toBe(63 + 8);
    for (const write of ['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand'])
      expect(requests).not.toContain(write);
  });
});
