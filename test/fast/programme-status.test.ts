/**
 * `bangfu status`'s use case on the in-memory twin with both plans loaded: the pairings' obligations
 * with their collectors, and the city commissions' forwardings at the CLI's instant.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { MemoryStore } from '../../functions/adapters/memory/memory-store.ts';
import { programmeChainStatus, programmeStatus } from '../../functions/use-cases/programme-status.ts';
import { seededMemoryStore } from '../support/seeded-store.ts';

const bj = (local: string) => new Date(`${local}+08:00`);
const XIAMEN = 'fj-xiamen-health-commission';
const FUZHOU = 'fj-fuzhou-health-commission';
const ZHANGZHOU = 'fj-zhangzhou-health-commission';
const SONGXI = 'fj-2021.fj-songxi-county-hospital';

let store: MemoryStore;
beforeEach(async () => {
  store = await seededMemoryStore();
});

async function pairingsOf(commissionId: string): Promise<string[]> {
  const stored = await store.getForwarding('fj-2021', commissionId, 'agreement-forwarding', 2022);
  return stored?.forwarding.pairingIds ?? [];
}

describe('bangfu status shows both levels of the reporting chain (Fujian §三(一))', () => {
  it('gives city-routed pairings the hospitals’ date and direct ones the plan’s, naming the collector', async () => {
    const rows = await programmeStatus(store, 'fj-2021', bj('2022-02-21T09:00:00'));
    const [xiamenPairing] = await pairingsOf(XIAMEN);
    const routed = rows.find((r) => r.pairing === xiamenPairing && r.kind === 'agreement');
    expect(routed).toMatchObject({
      dueDate: '2022-02-21',
      state: 'open',
      collectorId: XIAMEN,
      collector: '厦门市卫生健康委员会',
      reportsDirectly: false,
      forwarding: {
        commissionId: XIAMEN,
        kind: 'agreement-forwarding',
        dueDate: '2022-02-28',
        state: 'open',
        pairingDueDates: ['2022-02-21'],
        tally: { pairings: 7, accepted: 0, awaitingReview: 0, outstanding: 7, exempt: 0 },
      },
    });
    const direct = rows.find((r) => r.pairing === SONGXI && r.kind === 'agreement');
    expect(direct).toMatchObject({
      dueDate: '2022-02-28',
      collectorId: 'fj-provincial-commission',
      reportsDirectly: true,
    });
    expect(direct).not.toHaveProperty('forwarding');
  });

  it('counts each commission’s pairings accepted, awaiting review and outstanding, and the forwarding’s state', async () => {
    const [first, second, third] = await pairingsOf(XIAMEN);
    await store.recordObligationFacts(first as string, 'agreement', 2022, {
      submittedAt: bj('2022-02-18T10:00:00').toISOString(),
      review: { outcome: 'accepted', at: bj('2022-02-22T10:00:00').toISOString() },
    });
    await store.recordObligationFacts(second as string, 'agreement', 2022, {
      submittedAt: bj('2022-02-23T10:00:00').toISOString(),
    });
    await store.recordObligationFacts(third as string, 'agreement', 2022, {
      exemptedAt: bj('2022-02-20T10:00:00').toISOString(),
    });
    // Xiamen forwards on time; Zhangzhou forwards after 28 Feb; Fuzhou's is returned; the rest forward nothing.
    await store.recordForwardingFacts(
      { programmeId: 'fj-2021', commissionId: XIAMEN, kind: 'agreement-forwarding', year: 2022 },
      { submittedAt: bj('2022-02-25T16:00:00').toISOString() },
    );
    await store.recordForwardingFacts(
      { programmeId: 'fj-2021', commissionId: ZHANGZHOU, kind: 'agreement-forwarding', year: 2022 },
      { submittedAt: bj('2022-03-01T08:00:00').toISOString() },
    );
    await store.recordForwardingFacts(
      { programmeId: 'fj-2021', commissionId: FUZHOU, kind: 'agreement-forwarding', year: 2022 },
      {
        submittedAt: bj('2022-02-24T16:00:00').toISOString(),
        review: { outcome: 'returned', at: bj('2022-02-25T09:00:00').toISOString(), reason: '缺少盖章页' },
      },
    );

    const status = await programmeChainStatus(store, 'fj-2021', bj('2022-03-01T09:00:00'));
    const agreementForwardings = status.forwardings.filter((f) => f.kind === 'agreement-forwarding');
    expect(
      agreementForwardings.map((f) => [f.commissionId, f.state, f.tally, f.returnedReason ?? null]),
    ).toEqual([
      [
        FUZHOU,
        'returned',
        { pairings: 4, accepted: 0, awaitingReview: 0, outstanding: 4, exempt: 0 },
        '缺少盖章页',
      ],
      [
        'fj-quanzhou-health-commission',
        'overdue',
        { pairings: 1, accepted: 0, awaitingReview: 0, outstanding: 1, exempt: 0 },
        null,
      ],
      [XIAMEN, 'submitted', { pairings: 7, accepted: 1, awaitingReview: 1, outstanding: 4, exempt: 1 }, null],
      [ZHANGZHOU, 'late', { pairings: 1, accepted: 0, awaitingReview: 0, outstanding: 1, exempt: 0 }, null],
    ]);
    expect(agreementForwardings.find((f) => f.commissionId === XIAMEN)?.forwardedAt).toBe(
      bj('2022-02-25T16:00:00').toISOString(),
    );
    // The obligations' rows carry the same forwarding, so `--json` consumers see it per pairing.
    const row = status.obligations.find((r) => r.pairing === first && r.kind === 'agreement');
    expect(row?.state).toBe('accepted');
    expect(row?.forwarding?.state).toBe('submitted');
    expect(status.direct.find((d) => d.forwards === 'agreement' && d.year === 2022)).toMatchObject({
      pairingDueDates: ['2022-02-28'],
      tally: { pairings: 21, accepted: 0, awaitingReview: 0, outstanding: 21, exempt: 0 },
    });
  });

  it('keeps the obligations list whole: one row per obligation, as `--json` consumers count them', async () => {
    const rows = await programmeStatus(store, 'fj-2021', bj('2022-02-21T09:00:00'));
    expect(rows).toHaveLength(34 * 5);
    expect(rows.filter((r) => r.forwarding).length).toBe(13 * 5);
  });
});
