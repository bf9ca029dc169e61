/**
 * The daily tick fanned out through the reminder work queue, on the embedded stack: the in-process
 * queue runs each page through the deployed reminder worker's code (composition/reminder-worker.ts)
 * against dynalite and the SES stand-in. Fujian §三(一) and Jiangsu's agreements make the days: Monday
 * 21 February 2022 (T0 of the hospitals reporting to a city, T-7 of those reporting directly) and
 * Friday 25 February.
 */
import { readFile } from 'node:fs/promises';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeDuePage } from '../../functions/adapters/due-page-messages.ts';
import { DynamoStore } from '../../functions/adapters/dynamo-store.ts';
import { tableDefinition } from '../../functions/adapters/table-definition.ts';
import { reminderWorker } from '../../functions/composition/reminder-worker.ts';
import { createWiring, duePagePorts, runTick, type Wiring } from '../../functions/composition/wiring.ts';
import { startOfBeijingDay } from '../../functions/domain/plain-date.ts';
import { type OutboxMessage, readOutbox } from '../../functions/local/outbox.ts';
import { DEMO_ROSTER, readSeedFiles } from '../../functions/local/seed-files.ts';
import { importRoster } from '../../functions/use-cases/import-roster.ts';
import { loadSeeds } from '../../functions/use-cases/load-seeds.ts';
import type { DuePage } from '../../functions/use-cases/ports.ts';
import type { SentMessage } from '../../functions/use-cases/send-due-reminders.ts';
import { startTestStack, type TestStack } from './support/test-stack.ts';

const nineOclock = (day: string) => new Date(startOfBeijingDay(day).getTime() + 9 * 3600_000);
/** The second table: the same plans and roster, ticked inline to compare with. */
const INLINE_TABLE = 'bangfu-inline';

let t: TestStack;
let fanOut: Wiring;
let inline: Wiring;

beforeAll(async () => {
  t = await startTestStack();
  await t.clients.dynamodb.send(new CreateTableCommand(tableDefinition(INLINE_TABLE)));
  const seeds = await readSeedFiles();
  const roster = { name: DEMO_ROSTER, text: await readFile(DEMO_ROSTER, 'utf8') };
  for (const store of [t.store, new DynamoStore(t.clients.documents, INLINE_TABLE)]) {
    await loadSeeds(store, seeds);
    await importRoster(store, roster);
  }
  // A live run's claims hold for the production lease (two minutes).
  fanOut = createWiring({ ...t.stack.config, claimLeaseSeconds: 120 }, { reminderWork: 'in-process' });
  inline = createWiring({ ...t.stack.config, tableName: INLINE_TABLE, claimLeaseSeconds: 120 });
}, 120_000);
afterAll(async () => {
  fanOut?.destroy();
  inline?.destroy();
  await t?.stop();
});

/** Each send as (obligation, stage, addresses): what two runs are compared on, message ids aside. */
const sends = (messages: readonly SentMessage[]) =>
  messages.map((m) => `${m.obligationId} ${m.stage} ${[...m.to, ...m.cc].sort().join(',')}`).sort();

/** The outbox once it holds every message of `messages` (the SES stand-in records a moment after answering). */
async function outboxHolding(messages: readonly SentMessage[]): Promise<OutboxMessage[]> {
  const ids = new Set(messages.map((m) => m.messageId));
  for (let tries = 0; tries < 250; tries++) {
    const outbox = await readOutbox(t.home);
    if ([...ids].every((id) => outbox.some((m) => m.messageId === id))) return outbox;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the SES stand-in did not record every message');
}

/** Each (obligation, stage, address) among `outbox`'s reminders, with how many times it was received. */
function deliveries(outbox: readonly OutboxMessage[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of outbox.filter((x) => x.stage?.startsWith('T'))) {
    for (const address of [...m.to, ...m.cc]) {
      const key = `${m.obligation} ${m.stage} ${address}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

describe('the tick through the in-process work queue (Fujian §三(一), 21 February 2022)', () => {
  it('sends the same reminders as the inline tick, each address once', async () => {
    const queued = await runTick(fanOut, nineOclock('2022-02-21'));
    // The 63 pairings' reminders went through 1 page (200 to a page), and the 8 collecting commissions'
    // own (Fujian §三(一)) from the tick itself.
    expect(queued.enqueued).toEqual({ pages: expect.any(Number), obligations: 63 });
    expect(queued.enqueued?.pages).toBeGreaterThanOrEqual(1);
    expect(queued.failed).toEqual([]);
    expect(queued.messages).toHaveLength(63 + 8);
    const counts = deliveries(await outboxHolding(queued.messages));
    // Every address of every message, and each once: no message of the tick went out twice.
    expect(counts.size).toBe(queued.messages.reduce((n, m) => n + m.to.length + m.cc.length, 0));
    expect(counts.size).toBeGreaterThan(63 * 2);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);

    const direct = await runTick(inline, nineOclock('2022-02-21'));
    expect(direct.enqueued).toBeUndefined();
    expect(sends(queued.messages)).toEqual(sends(direct.messages));

    const rerun = await runTick(fanOut, nineOclock('2022-02-21'));
    expect(rerun.messages).toEqual([]);
    expect(direct.alreadySent).toBe(0);
    expect(rerun.alreadySent).toBe(counts.size);
  });
});

describe('a page delivered twice, and twice at once (Fujian §三(一), 25 February 2022)', () => {
  it('sends each (obligation, stage, address) once however often its page arrives', async () => {
    const pages: DuePage[] = [];
    const capture = { enqueue: async (p: readonly DuePage[]) => void pages.push(...p) };
    const ticked = await runTick(fanOut, nineOclock('2022-02-25'), {
      workQueue: capture,
      options: { batchSize: 20 },
    });
    expect(pages.length).toBeGreaterThan(1);
    expect(ticked.enqueued?.obligations).toBe(pages.reduce((n, p) => n + p.obligations.length, 0));
    const before = new Set((await readOutbox(t.home)).map((m) => m.messageId));

    const work = reminderWorker(
      () => duePagePorts(fanOut),
      () => undefined,
    );
    const batch = (round: string) =>
      pages.map((page, n) => ({ messageId: `${round}-${n}`, body: encodeDuePage(page) }));
    // Two deliveries of every page at once (two workers), then a redelivery of each.
    const concurrent = await Promise.all([work(batch('a')), work(batch('b'))]);
    const redelivered = await work(batch('c'));
    const outcomes = [...concurrent.flatMap((c) => c.outcomes), ...redelivered.outcomes];
    expect([...concurrent, redelivered].flatMap((c) => c.retry)).toEqual([]);
    const messages = outcomes.flatMap((o) => o.result?.messages ?? []);
    expect(new Set(messages.map((m) => m.obligationId)).size).toBe(ticked.enqueued?.obligations);
    expect(messages).toHaveLength(ticked.enqueued?.obligations ?? -1);
    expect(redelivered.outcomes.flatMap((o) => o.result?.messages ?? [])).toEqual([]);

    const outbox = (await outboxHolding(messages)).filter((m) => !before.has(m.messageId));
    expect(outbox).toHaveLength(messages.length);
    expect([...deliveries(outbox).values()].every((n) => n === 1)).toBe(true);
  });
});
