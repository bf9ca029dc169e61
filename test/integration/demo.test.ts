/**
 * `bangfu demo` over the 2022 agreement deadline (Fujian §三(一), Jiangsu §七(三)): two runs with the
 * same seed on two fresh homes, then the summary checked against `bangfu status --json` and
 * `bangfu outbox --json` of the same home.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoSummary, emailLevel, submissionColumn } from '../../functions/local/demo/summary.ts';
import type { OutboxMessage } from '../../functions/local/outbox.ts';
import { readClockState } from '../../functions/local/simulated-clock.ts';
import type { ObligationStatus } from '../../functions/use-cases/programme-status.ts';
import { bangfu } from './support/bangfu-cli.ts';

// From just before the first reminders (21 January) to after the cities' 28 February.
const WINDOW = ['--seed', '7', '--from', '2022-01-20', '--to', '2022-03-10', '--json'];
const PROGRAMMES = ['fj-2021', 'js-2022'];

let homes: string[] = [];
let first: DemoSummary;
let second: DemoSummary;
let outbox: OutboxMessage[];
let rows: ObligationStatus[];

beforeAll(async () => {
  homes = await Promise.all([0, 1].map(() => mkdtemp(join(tmpdir(), 'bangfu-demo-'))));
  const runs = await Promise.all(homes.map((home) => bangfu(home, 'demo', ...WINDOW)));
  for (const run of runs) expect(run.code, run.stderr).toBe(0);
  [first, second] = runs.map((run) => JSON.parse(run.stdout) as DemoSummary) as [DemoSummary, DemoSummary];
  const home = homes[0] as string;
  // One after the other: without `bangfu up`, each command opens the home's own stand-ins, which
  // one process at a time may hold.
  rows = [];
  for (const p of PROGRAMMES) {
    const status = await bangfu(home, 'status', '--programme', p, '--at', first.at, '--json');
    expect(status.code, status.stderr).toBe(0);
    rows.push(...(JSON.parse(status.stdout) as ObligationStatus[]));
  }
  outbox = JSON.parse((await bangfu(home, 'outbox', '--json')).stdout) as OutboxMessage[];
}, 240_000);
afterAll(async () => {
  await Promise.all(homes.map((home) => rm(home, { recursive: true, force: true })));
});

/** What a seed determines: everything but the wall-clock time taken and the home's own path. */
const determined = ({ elapsedSeconds: _, documents, ...rest }: DemoSummary) => ({
  ...rest,
  documents: { ...documents, folder: undefined },
});
const stateOf = (obligationId: string) => rows.find((r) => r.obligationId === obligationId)?.state;
const obligationsWith = (stage: string) => [
  ...new Set(outbox.filter((m) => m.stage === stage).map((m) => m.obligation as string)),
];

describe('bangfu demo over the 2022 agreements (Fujian §三(一), Jiangsu §七(三))', () => {
  it('gives the same summary for the same seed on two fresh homes', () => {
    expect(determined(second)).toEqual(determined(first));
    expect(first.uploads.uploads).toBeGreaterThan(40);
  });

  it('counts the emails by stage and level as bangfu outbox lists them', () => {
    const counts = new Map<string, number>();
    for (const m of outbox) {
      const key = `${emailLevel(m)}|${m.stage ?? '(none)'}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(first.emailTotal).toBe(outbox.length);
    expect(new Map(first.emails.map((e) => [`${e.level}|${e.stage}`, e.count]))).toEqual(counts);
    expect(first.emails.some((e) => e.level === 'commission' && e.stage.startsWith('T'))).toBe(true);
  });

  it('counts submissions on time, late, missing and exempt as bangfu status gives their states', () => {
    for (const entry of first.submissions) {
      const mine = rows.filter((r) => r.programme === entry.programmeId && r.kind === entry.kind);
      const columns = { onTime: 0, late: 0, missing: 0, exempt: 0, pending: 0 };
      for (const row of mine) columns[submissionColumn(row)]++;
      expect({ ...columns, total: mine.length }).toEqual({
        onTime: entry.onTime,
        late: entry.late,
        missing: entry.missing,
        exempt: entry.exempt,
        pending: entry.pending,
        total: entry.total,
      });
    }
    const agreements = first.submissions.filter((s) => s.kind === 'agreement');
    expect(agreements.reduce((n, s) => n + s.onTime, 0)).toBeGreaterThan(0);
    expect(agreements.reduce((n, s) => n + s.late, 0)).toBeGreaterThan(0);
  });

  it('a bad file was rejected by the check, then a good one was submitted for the same obligation', () => {
    const rejected = obligationsWith('rejection');
    expect(first.badFiles.rejected).toBe(outbox.filter((m) => m.stage === 'rejection').length);
    expect(
      rejected.filter((id) => ['submitted', 'late', 'accepted'].includes(stateOf(id) ?? '')),
    ).not.toEqual([]);
    expect(first.badFiles.thenSubmitted).toBeGreaterThan(0);
  });

  it('a city reviewer returned a submission and the hospital submitted it again', () => {
    const returned = obligationsWith('returned');
    expect(first.returns.notices).toBe(outbox.filter((m) => m.stage === 'returned').length);
    expect(returned.length).toBe(first.returns.returned);
    expect(
      returned.filter((id) => ['submitted', 'late', 'accepted'].includes(stateOf(id) ?? '')),
    ).not.toEqual([]);
    expect(first.returns.resubmitted).toBeGreaterThan(0);
  });

  it("counts each city commission's forwardings as bangfu status shows them (Fujian §三(一))", () => {
    const forwardings = new Map(
      rows.flatMap((r) => (r.forwarding ? [[r.forwarding.forwardingId, r.forwarding] as const] : [])),
    );
    const expected = new Map<
      string,
      { onTime: number; late: number; notForwarded: number; accepted: number }
    >();
    for (const f of forwardings.values()) {
      const entry = expected.get(f.commissionId) ?? { onTime: 0, late: 0, notForwarded: 0, accepted: 0 };
      const column = submissionColumn({
        state: f.state,
        ...(f.forwardedAt ? { submittedAt: f.forwardedAt } : {}),
        effectiveDueDate: f.effectiveDueDate,
      });
      if (column === 'onTime') entry.onTime++;
      if (column === 'late') entry.late++;
      if (column === 'missing') entry.notForwarded++;
      if (f.state === 'accepted') entry.accepted++;
      expected.set(f.commissionId, entry);
    }
    expect(
      new Map(
        first.forwarding.map((f) => [
          f.commissionId,
          { onTime: f.onTime, late: f.late, notForwarded: f.notForwarded, accepted: f.accepted },
        ]),
      ),
    ).toEqual(expected);
    // Every collecting city forwarded its 2022 agreements; one per programme was returned once.
    expect(first.forwarding.every((f) => f.onTime + f.late >= 1)).toBe(true);
    expect(first.forwarding.reduce((n, f) => n + f.returned, 0)).toBe(
      outbox.filter((m) => m.stage === 'forwarding-returned').length,
    );
  });

  it('leaves the home at the end of the replay, for bangfu up to open', async () => {
    expect((await readClockState(homes[0] as string))?.now).toBe(first.at);
  });
});
