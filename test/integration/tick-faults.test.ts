import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWiring, runTick, type Wiring } from '../../functions/composition/wiring.ts';
import type { OutboundEmail } from '../../functions/domain/email.ts';
import { startOfBeijingDay } from '../../functions/domain/plain-date.ts';
import { readOutbox } from '../../functions/local/outbox.ts';
import { DEMO_ROSTER, readSeedFiles } from '../../functions/local/seed-files.ts';
import { importRoster } from '../../functions/use-cases/import-roster.ts';
import { loadSeeds } from '../../functions/use-cases/load-seeds.ts';
import type { Mailer } from '../../functions/use-cases/ports.ts';
import { type SesFaultProxy, startSesFaultProxy } from './support/ses-fault-proxy.ts';
import { startTestStack, type TestStack } from './support/test-stack.ts';

const nineOclock = (day: string) => new Date(startOfBeijingDay(day).getTime() + 9 * 3600_000);
const LEASE_MS = 300;

let t: TestStack;
let wiring: Wiring;

beforeEach(async () => {
  t = await startTestStack();
  await loadSeeds(t.store, await readSeedFiles());
  await importRoster(t.store, { name: DEMO_ROSTER, text: await readFile(DEMO_ROSTER, 'utf8') });
  wiring = createWiring({ ...t.stack.config, claimLeaseSeconds: LEASE_MS / 1000 });
});
afterEach(async () => {
  wiring?.destroy();
  await t?.stop();
});

/** Each (obligation, stage, address) the local SES received, with how many times. */
/** The pairings' own reminders, without the city commissions' (whose ids hold their collection's '~'). */
const pairingsOf = <T extends { obligationId: string }>(list: readonly T[]) =>
  list.filter((m) => !m.obligationId.includes('~'));

async function deliveries() {
  const counts = new Map<string, number>();
  for (const m of (await readOutbox(t.home)).filter((x) => x.stage?.startsWith('T'))) {
    for (const address of [...m.to, ...m.cc]) {
      const key = `${m.obligation} ${m.stage} ${address}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

/** A mailer that dies after `n` sends: every later call hangs forever, as in a process that froze. */
function dyingAfter(n: number, real: Mailer): Mailer & { sent: number } {
  let started = 0;
  const mailer = {
    /** Messages the real mailer accepted. */
    sent: 0,
    async send(email: OutboundEmail, hooks?: { onDispatch?: () => Promise<void> }) {
      if (started >= n) return new Promise<never>(() => undefined);
      started++;
      const result = await real.send(email, hooks);
      mailer.sent++;
      return result;
    },
  };
  return mailer;
}

describe('the tick survives a crash half-way', () => {
  it('a rerun after a tick died half-way sends each missing message once and none twice', async () => {
    const dying = dyingAfter(10, wiring.mailer);
    // Never finishes: it "died". Its stuck sends fail once the stack stops, which is of no interest here.
    runTick(wiring, nineOclock('2022-02-21'), { mailer: dying }).catch(() => undefined);
    while (dying.sent < 10) await new Promise((r) => setTimeout(r, 20));
    // The SES stand-in records what it accepted a moment after answering: wait until all ten are there.
    const reminders = async () => (await readOutbox(t.home)).filter((m) => m.stage?.startsWith('T'));
    for (let tries = 0; (await reminders()).length < 10 && tries < 250; tries++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const halfway = await reminders();
    expect(halfway).toHaveLength(10);

    const rerun = await runTick(wiring, nineOclock('2022-02-21'));
    // The 63 pairings' reminders and the 8 collecting commissions' own (Fujian §三(一)).
    expect(rerun.messages).toHaveLength(63 + 8 - 10);
    const counts = await deliveries();
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    const obligations = new Set(
      (await readOutbox(t.home)).filter((m) => m.stage?.startsWith('T')).map((m) => m.obligation),
    );
    expect(obligations.size).toBe(63 + 8);

    const third = await runTick(wiring, nineOclock('2022-02-21'));
    expect(third.messages).toEqual([]);
  });

  it('two overlapping ticks for the same day send each address once', async () => {
    // A live run's claims hold for the production lease; the short test lease is for dead runs only.
    const live = createWiring({ ...t.stack.config, claimLeaseSeconds: 60 });
    const [a, b] = await Promise.all([
      runTick(live, nineOclock('2022-02-25')),
      runTick(live, nineOclock('2022-02-25')),
    ]).finally(() => live.destroy());
    const counts = await deliveries();
    expect(counts.size).toBeGreaterThan(63 * 3);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(a.messages.length + b.messages.length).toBeGreaterThanOrEqual(63);
  });
});

describe('SES faults', () => {
  let proxy: SesFaultProxy;
  let faulty: Wiring;
  beforeEach(async () => {
    proxy = await startSesFaultProxy(t.stack.endpoints.ses);
    faulty = createWiring({
      ...t.stack.config,
      claimLeaseSeconds: LEASE_MS / 1000,
      endpoints: { ...t.stack.config.endpoints, ses: proxy.url },
    });
  });
  afterEach(async () => {
    faulty?.destroy();
    await proxy?.close();
  });

  it('retries with backoff on throttling and 5xx, and sends each message once', async () => {
    proxy.faults.throttleNext = 2;
    proxy.faults.unavailableNext = 1;
    const result = await runTick(faulty, nineOclock('2022-02-25'));
    expect(result.failed).toEqual([]);
    expect(pairingsOf(result.messages)).toHaveLength(63);
    expect(proxy.calls).toBe(result.messages.length + 3);
    expect([...(await deliveries()).values()].every((n) => n === 1)).toBe(true);
  });

  it('marks and reports a rejected address, and the rest still go out', async () => {
    const refused = 'fj-huaan-county-government@example.org';
    proxy.faults.rejectAddresses = [refused];
    const result = await runTick(faulty, nineOclock('2022-02-21'));
    expect(result.rejected).toEqual([
      expect.objectContaining({
        obligationId: 'fj-2021.fj-huaan-county-hospital#agreement#2022',
        email: refused,
      }),
    ]);
    const huaan = (await readOutbox(t.home)).filter(
      (m) => m.obligation === 'fj-2021.fj-huaan-county-hospital#agreement#2022',
    );
    expect(huaan.flatMap((m) => m.to).sort()).toEqual(
      ['fj-huaan-county-hospital@example.org', 'fj-xmu-first-affiliated-hospital@example.org'].sort(),
    );
    expect(pairingsOf(result.messages).filter((m) => !m.obligationId.includes('huaan'))).toHaveLength(62);
    expect(await t.store.addressStatuses([refused])).toEqual([
      expect.objectContaining({ email: refused, source: 'send' }),
    ]);

    const nextStage = await runTick(faulty, nineOclock('2022-02-25'));
    expect(nextStage.suppressed).toEqual([expect.objectContaining({ email: refused })]);
    expect(nextStage.rejected).toEqual([]);
  });

  it('a message that keeps failing is released and sent by the next run', async () => {
    proxy.faults.unavailableNext = 1_000;
    const failing = await runTick(faulty, nineOclock('2022-02-21'));
    expect(failing.messages).toEqual([]);
    expect(pairingsOf(failing.failed)).toHaveLength(63);
    proxy.faults.unavailableNext = 0;
    const retry = await runTick(faulty, nineOclock('2022-02-21'));
    expect(pairingsOf(retry.messages)).toHaveLength(63);
    expect([...(await deliveries()).values()].every((n) => n === 1)).toBe(true);
  });
});

describe('submitted obligations', () => {
  it('get no further reminders', async () => {
    await runTick(wiring, nineOclock('2022-02-21'));
    await t.store.recordObligationFacts('fj-2021.fj-huaan-county-hospital', 'agreement', 2022, {
      submittedAt: '2022-02-23T02:00:00.000Z',
    });
    const result = await runTick(wiring, nineOclock('2022-02-25'));
    expect(pairingsOf(result.messages)).toHaveLength(62);
    expect(result.messages.some((m) => m.obligationId.includes('huaan'))).toBe(false);
    const due = await t.store.openObligationsDueBetween('fj-2021', '2022-02-28', '2022-02-28');
    expect(due.some((o) => o.obligation.pairingId === 'fj-2021.fj-huaan-county-hospital')).toBe(false);
  });
});
