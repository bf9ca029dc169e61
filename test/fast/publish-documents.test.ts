/**
 * What the tick mails commission staff (publish-documents.ts) around non-working days, on the
 * in-memory twins with the official PRC calendar: the status documents of a deadline and the weekly
 * digests go out on the next working day, once, under their business identity (the deadline, the week).
 * The renderers are stand-ins: the documents' content is not what these tests check.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createStaffMailRenderer } from '../../functions/adapters/email-renderer.ts';
import { MemoryFiles } from '../../functions/adapters/memory/memory-files.ts';
import { MemoryMailer } from '../../functions/adapters/memory/memory-mailer.ts';
import { MemoryStore } from '../../functions/adapters/memory/memory-store.ts';
import { downloadTickets } from '../../functions/adapters/upload-links.ts';
import { startOfBeijingDay } from '../../functions/domain/plain-date.ts';
import { prcCalendar } from '../../functions/domain/working-days.ts';
import { DEMO_ROSTER, readSeedFiles } from '../../functions/local/seed-files.ts';
import { importRoster } from '../../functions/use-cases/import-roster.ts';
import { loadSeeds } from '../../functions/use-cases/load-seeds.ts';
import type { ReportRenderers } from '../../functions/use-cases/ports.ts';
import { digestWeekDueOn, publishDocuments } from '../../functions/use-cases/publish-documents.ts';
import { TestLeaseClock } from '../support/lease-clock.ts';

const nineOclock = (day: string) => new Date(startOfBeijingDay(day).getTime() + 9 * 3600_000);
const pdf = async () => Buffer.from('%PDF-1.7 stand-in');
const renderers: ReportRenderers = { agreements: pdf, annual: pdf, pairing: pdf, form: pdf };
const staffMail = createStaffMailRenderer();

/**
 * Both plans and the demo roster, loaded as `bangfu seed` loads them; `annualOpens` moves the day the
 * annual reports open, so a deadline is open in the weeks a test needs.
 */
async function seeded(annualOpens?: string): Promise<MemoryStore> {
  const store = new MemoryStore();
  const input = await readSeedFiles();
  const programmes = annualOpens
    ? input.programmes.map((file) => {
        const content = structuredClone(file.content) as {
          obligationKinds: { kind: string; opens: string }[];
        };
        for (const kind of content.obligationKinds)
          if (kind.kind === 'annual-report') kind.opens = annualOpens;
        return { ...file, content };
      })
    : input.programmes;
  await loadSeeds(store, { ...input, programmes });
  await importRoster(store, { name: DEMO_ROSTER, text: await readFile(DEMO_ROSTER, 'utf8') });
  return store;
}

function ticker(store: MemoryStore) {
  const mailer = new MemoryMailer();
  const leaseClock = new TestLeaseClock(nineOclock('2022-01-24'));
  const tick = (day: string) => {
    const clock = () => nineOclock(day);
    return publishDocuments(
      {
        store,
        documents: {
          store,
          files: new MemoryFiles(clock),
          tickets: downloadTickets('test-secret-of-at-least-thirty-two-bytes'),
          clock,
          settings: {
            bucket: 'files',
            publicUrl: 'https://bangfu.example',
            downloadLinkDays: 14,
            presignedGetSeconds: 300,
          },
          renderers,
        },
        mailer,
        staffMail,
        sender: 'bangfu@example.org',
        clock,
        runId: `run-${day}-${Math.random().toString(36).slice(2)}`,
        claimLeaseMs: 120_000,
        leaseClock,
        calendar: prcCalendar,
      },
      day,
    );
  };
  /** The digest mails accepted, by their trace header (`<programme>#digest#<week>`). */
  const digests = () =>
    mailer.sent
      .filter((m) => m.headers['X-Bangfu-Stage'] === 'digest')
      .map((m) => m.headers['X-Bangfu-Obligation'] as string);
  return { tick, mailer, digests };
}

const days = (from: string, to: string) => {
  const list: string[] = [];
  for (
    let d = new Date(`${from}T00:00:00Z`);
    d <= new Date(`${to}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 1)
  ) {
    list.push(d.toISOString().slice(0, 10));
  }
  return list;
};

describe('the week a digest belongs to (official PRC calendar, 调休 included)', () => {
  it.each([
    ['2022-02-28', '2022-02-28', 'an ordinary Monday'],
    ['2022-03-01', undefined, 'the Tuesday after a working Monday'],
    ['2022-10-03', undefined, 'Monday 3 October, 国庆'],
    ['2022-10-08', '2022-10-03', 'Saturday 8 October, a 调休 working day: the first of the week'],
    ['2022-10-09', undefined, 'Sunday 9 October, working, but not the first of the week'],
    ['2022-10-10', '2022-10-10', 'the Monday after'],
    ['2022-04-06', '2022-04-04', 'Wednesday 6 April, after 清明 on Monday and Tuesday'],
    ['2022-01-29', undefined, 'Saturday 29 January, 调休 after a working Monday'],
    ['2022-02-04', undefined, 'a day of the 春节 week, which has no working day'],
    ['2022-02-07', '2022-02-07', 'the Monday after 春节'],
    ['2022-02-26', undefined, 'an ordinary Saturday'],
  ] as const)('%s is the digest day of week %s (%s)', (day, week, _why) => {
    expect(digestWeekDueOn(prcCalendar, day)).toBe(week);
  });
});

describe('the weekly digest around 国庆 2022 (Monday 3 October is off; 8–9 October are 调休 working days)', () => {
  it('goes out on Saturday 8 October under the week of 3 October, once, and the next week’s on Monday 10', async () => {
    const { tick, digests } = ticker(await seeded('09-15'));
    for (const day of days('2022-10-01', '2022-10-07')) await tick(day);
    expect(digests()).toEqual([]);

    const saturday = await tick('2022-10-08');
    expect(saturday.messages.filter((m) => m.kind === 'digest').map((m) => m.trace)).toContain(
      '2022-10-03 fj-provincial-commission',
    );
    const sent = digests().length;
    expect(sent).toBeGreaterThan(0);
    expect(new Set(digests())).toEqual(new Set(['fj-2021#digest#2022-10-03', 'js-2022#digest#2022-10-03']));

    // A rerun of the Saturday and the Sunday (working, not the week's first) send nothing more.
    const rerun = await tick('2022-10-08');
    expect(rerun.messages).toEqual([]);
    await tick('2022-10-09');
    expect(digests()).toHaveLength(sent);

    await tick('2022-10-10');
    expect(digests().filter((t) => t.endsWith('#2022-10-10')).length).toBe(sent);
  });
});

describe('the weekly digest around 春节 2022 (31 January–6 February off, 29–30 January 调休)', () => {
  it('sends the week of 24 January on its Monday, nothing on the 调休 weekend or in the holiday, then 7 February', async () => {
    const { tick, digests } = ticker(await seeded());
    for (const day of days('2022-01-24', '2022-02-07')) await tick(day);
    expect([...new Set(digests().map((t) => t.split('#').at(-1)))]).toEqual(['2022-01-24', '2022-02-07']);
  });
});

describe('the status documents of a deadline on a non-working day (annual reports due Saturday 10 December 2022)', () => {
  it('go out on Monday 12 December, as of the deadline, once; nothing on the weekend or the Tuesday', async () => {
    const { tick, mailer } = ticker(await seeded());
    const documentMails = () => mailer.sent.filter((m) => m.headers['X-Bangfu-Stage'] !== 'digest');
    for (const day of ['2022-12-10', '2022-12-11']) {
      const weekend = await tick(day);
      expect(weekend.documents).toEqual([]);
      expect(weekend.messages).toEqual([]);
    }
    const monday = await tick('2022-12-12');
    const annual = monday.documents.filter((d) => d.type === 'annual' && d.year === 2022);
    expect(annual.map((d) => d.asOf)).toContain(startOfBeijingDay('2022-12-11').toISOString());
    const sent = documentMails().length;
    expect(sent).toBeGreaterThan(0);
    await tick('2022-12-12');
    await tick('2022-12-13');
    expect(documentMails()).toHaveLength(sent);
  });
});

describe('a day with nothing to publish (no deadline just passed, no digest due)', () => {
  it('reads the programmes and nothing else: no institution or pairing, whatever the plans’ size', async () => {
    const store = await seeded();
    const reads: string[] = [];
    const counted = new Proxy(store, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          reads.push(String(property));
          return value.apply(target, args);
        };
      },
    });
    // Wednesday 13 July 2022: between the agreements and the annual reports, and not a Monday.
    const { tick, mailer } = ticker(counted);
    const result = await tick('2022-07-13');
    expect(result.documents).toEqual([]);
    expect(mailer.sent).toEqual([]);
    expect(reads).toEqual(['listProgrammes']);
  });
});
