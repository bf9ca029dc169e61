import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWiring, runTick, type Wiring } from '../../functions/composition/wiring.ts';
import { addDays, startOfBeijingDay } from '../../functions/domain/plain-date.ts';
import { type OutboxMessage, readOutbox } from '../../functions/local/outbox.ts';
import { DEMO_ROSTER, readSeedFiles } from '../../functions/local/seed-files.ts';
import { importRoster } from '../../functions/use-cases/import-roster.ts';
import { loadSeeds } from '../../functions/use-cases/load-seeds.ts';
import type { DailyTickResult } from '../../functions/use-cases/run-tick.ts';
import { startTestStack, type TestStack } from './support/test-stack.ts';

/** 09:00 Beijing time on a day: when the scheduled tick runs. */
const nineOclock = (day: string) => new Date(startOfBeijingDay(day).getTime() + 9 * 3600_000);
const daysFrom = (from: string, to: string) => {
  const days: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
  return days;
};
const REPLAY = daysFrom('2022-01-01', '2022-03-10');

/**
 * Fujian §三(一) (Jiangsu by the same route, product dates): a pairing reporting through its city
 * commission is due five working days before the commission's Monday 28 February 2022, i.e. Monday
 * 21 February; one led by a provincially managed hospital sends to the province by the 28th. The
 * sends are fixed from the 2022 State Council calendar.
 */
const THROUGH_A_CITY_SENDS = [
  ['2022-01-21', 'T-30'], // 22 Jan is a Saturday: moved back to Friday
  ['2022-02-07', 'T-14'], // the first working day after Spring Festival
  ['2022-02-14', 'T-7'],
  ['2022-02-18', 'T-3+T-1'], // T-1 falls on Sunday 20 Feb: moved to Friday and merged with T-3
  ['2022-02-21', 'T0'],
  ['2022-02-22', 'T+1'],
  ['2022-02-28', 'T+7'],
];
const DIRECT_SENDS = [
  ['2022-01-29', 'T-30'], // a Saturday, but the make-up working day before Spring Festival
  ['2022-02-14', 'T-14'],
  ['2022-02-21', 'T-7'],
  ['2022-02-25', 'T-3+T-1'], // T-1 falls on Sunday 27 Feb: moved to Friday and merged with T-3
  ['2022-02-28', 'T0'],
  ['2022-03-01', 'T+1'],
  ['2022-03-07', 'T+7'],
];

let t: TestStack;
let wiring: Wiring;
let outbox: OutboxMessage[];
/** Everything sent, staff mail (digests, documents) included. */
let allMail: OutboxMessage[];
const firstPass: DailyTickResult[] = [];
const mail = (id: string) => `${id}@example.org`;

beforeAll(async () => {
  t = await startTestStack();
  await loadSeeds(t.store, await readSeedFiles());
  await importRoster(t.store, { name: DEMO_ROSTER, text: await readFile(DEMO_ROSTER, 'utf8') });
  wiring = createWiring(t.stack.config);
  for (const day of REPLAY) firstPass.push(await runTick(wiring, nineOclock(day)));
  allMail = await readOutbox(t.home);
  outbox = allMail.filter((m) => m.stage?.startsWith('T'));
}, 300_000);
afterAll(async () => {
  wiring?.destroy();
  await t?.stop();
});

const messagesOf = (obligationId: string) => outbox.filter((m) => m.obligation === obligationId);
/** Reminders of the pairings' own obligations (not of the city commissions' forwardings). */
const pairingReminders = () => outbox.filter((m) => !m.obligation?.includes('~'));

describe('daily ticks from 2022-01-01 to 2022-03-10', () => {
  it('every agreement of both programmes gets exactly the seven sends, each once, on its working day', async () => {
    const agreements = [
      ...(await t.store.listObligations('fj-2021')),
      ...(await t.store.listObligations('js-2022')),
    ].filter((o) => o.obligation.kind === 'agreement');
    expect(agreements).toHaveLength(63);
    const direct = new Set(['fj-provincial-commission', 'js-provincial-commission']);
    for (const { obligation } of agreements) {
      const sends = messagesOf(obligation.id).map((m) => [m.sendOn, m.stage]);
      expect(sends, obligation.id).toEqual(
        direct.has(obligation.collectorId ?? '') ? DIRECT_SENDS : THROUGH_A_CITY_SENDS,
      );
    }
    expect(agreements.filter((a) => direct.has(a.obligation.collectorId ?? ''))).toHaveLength(21 + 6);
    expect(pairingReminders()).toHaveLength(63 * 7);
  });

  it('sends nothing for the annual reports, whose first stage is in November', () => {
    expect(pairingReminders().filter((m) => !m.obligation?.endsWith('#agreement#2022'))).toEqual([]);
  });

  it('before the due date: lead supporter, recipient and county government; other supporters in copy', () => {
    const [t7] = messagesOf('fj-2021.xz-luolong-county-hospital#agreement#2022').filter(
      (m) => m.stage === 'T-7',
    );
    expect(t7?.to.sort()).toEqual(
      [
        mail('fj-quanzhou-health-commission'),
        mail('xz-luolong-county-hospital'),
        mail('xz-luolong-county-government'),
      ].sort(),
    );
    expect(t7?.cc).toHaveLength(7);
    expect(t7?.cc).toContain(mail('fj-quanzhou-first-hospital'));
  });

  it('after its due date the city commission it reports to joins, and at the last stage the province (Fujian §三(一))', () => {
    const byStage = new Map(
      messagesOf('fj-2021.fj-huaan-county-hospital#agreement#2022').map((m) => [m.stage, m]),
    );
    const acting = [
      mail('fj-xmu-first-affiliated-hospital'),
      mail('fj-huaan-county-hospital'),
      mail('fj-huaan-county-government'),
    ];
    expect(byStage.get('T0')?.to.sort()).toEqual([...acting].sort());
    expect(byStage.get('T+1')?.to.sort()).toEqual([...acting, mail('fj-xiamen-health-commission')].sort());
    expect(byStage.get('T+7')?.to.sort()).toEqual(
      [
        ...acting,
        mail('fj-xiamen-health-commission'),
        mail('fj-provincial-commission'),
        'fj-provincial-commission.lead@example.org',
      ].sort(),
    );
  });

  it('the emails say who must do what by when, in Chinese', () => {
    const [t7] = messagesOf('fj-2021.fj-huaan-county-hospital#agreement#2022').filter(
      (m) => m.stage === 'T-7',
    );
    expect(t7?.subject).toContain('华安县医院');
    expect(t7?.sendOn).toBe('2022-02-14');
    expect(t7?.text).toContain('2022年2月21日（星期一）');
    expect(t7?.text).toContain('还有 7 天截止');
    expect(t7?.text).toContain('厦门大学附属第一医院（牵头）');
    const [late] = messagesOf('fj-2021.fj-huaan-county-hospital#agreement#2022').filter(
      (m) => m.stage === 'T+7',
    );
    expect(late?.subject).toContain('逾期');
    expect(late?.text).toContain('已逾期 7 天');
  });

  it('each email is valid MIME whose .ics deadline parses with a calendar library', async () => {
    const lines = (await readFile(join(t.home, 'outbox.jsonl'), 'utf8')).split('\n').filter(Boolean);
    const first = outbox[0] as OutboxMessage;
    const line = lines.find((l) => (JSON.parse(l) as { messageId: string }).messageId === first.messageId);
    const { raw } = JSON.parse(line as string) as { raw: string };
    const parsed = await simpleParser(Buffer.from(raw, 'base64'));
    expect(parsed.headers.get('x-bangfu-stage')).toBe('T-30');
    // The first message of the replay is the T-30 of a pairing reporting through its city (21 Feb).
    const ics = parsed.attachments.find((a) => a.contentType === 'text/calendar');
    expect(ics).toBeDefined();
    const event = new ICAL.Component(
      ICAL.parse(ics?.content.toString('utf8') as string),
    ).getFirstSubcomponent('vevent');
    expect(event?.getFirstPropertyValue('dtstart')?.toString()).toBe('2022-02-21');
    expect(String(event?.getFirstPropertyValue('uid'))).toMatch(/#agreement#2022@bangfu$/);
  });

  it('every send is logged in DynamoDB with obligation, stage, recipients, message id and time', async () => {
    const log = await t.store.remindersOfProgramme('js-2022');
    // Pairings' reminders (a city commission's own are logged under its collection, `js-2022~…`).
    const pairingLog = log.filter((r) => r.pairingId !== 'js-2022' && r.level !== 'commission');
    expect(pairingLog).toHaveLength(
      outbox
        .filter((m) => m.obligation?.startsWith('js-2022.'))
        .reduce((n, m) => n + m.to.length + m.cc.length, 0),
    );
    for (const record of pairingLog) {
      expect(record.status).toBe('sent');
      expect(
        outbox.some((m) => m.messageId === record.messageId && [...m.to, ...m.cc].includes(record.email)),
      ).toBe(true);
      expect(record.sentAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    }
  });

  it('re-running any day sends nothing new', async () => {
    for (const day of REPLAY) {
      const again = await runTick(wiring, nineOclock(day));
      expect(again.messages, day).toEqual([]);
    }
    expect(await readOutbox(t.home)).toHaveLength(allMail.length);
  });

  it('reports the days with work: the tick of Saturday 29 January 2022 sent the T-30 stage of the direct pairings', () => {
    const jan29 = firstPass[REPLAY.indexOf('2022-01-29')];
    expect(jan29?.messages.filter((m) => !m.obligationId.includes('~'))).toHaveLength(21 + 6);
    const jan21 = firstPass[REPLAY.indexOf('2022-01-21')];
    expect(jan21?.messages.filter((m) => !m.obligationId.includes('~'))).toHaveLength(13 + 23);
    expect(firstPass[REPLAY.indexOf('2022-01-30')]?.messages).toEqual([]);
  });
});

describe('what commission staff receive during the replay', () => {
  it('a weekly digest on the first working day of each week while the agreement deadline is open', () => {
    const digestDays = [
      ...new Set(allMail.filter((m) => m.stage === 'digest').map((m) => m.obligation?.split('#')[2])),
    ].sort();
    // A digest is named by its week's Monday. 3 Jan 2022 is New Year's Day holiday, so that week's
    // goes out on Tuesday the 4th; the week of 31 Jan is all Spring Festival and has none.
    expect(digestDays).toEqual([
      '2022-01-03',
      '2022-01-10',
      '2022-01-17',
      '2022-01-24',
      '2022-02-07',
      '2022-02-14',
      '2022-02-21',
      '2022-02-28',
      '2022-03-07',
    ]);
    const sentOn4Jan = firstPass[REPLAY.indexOf('2022-01-04')]?.published.messages.map((m) => m.trace);
    expect(sentOn4Jan).toContain('2022-01-03 fj-provincial-commission');
  });

  it('the provincial commission’s digest counts the outstanding agreements by city, the PDF link holding the full list (one row per city keeps it small at any scale)', () => {
    const digest = allMail.find(
      (m) =>
        m.stage === 'digest' &&
        m.obligation === 'fj-2021#digest#2022-02-21' &&
        m.to.includes('fj-provincial-commission@example.org'),
    );
    expect(digest?.subject).toContain('待办 34 项');
    // 华安县 is in 漳州市: its row counts it instead of naming it.
    const lines = digest?.text?.split('\n') ?? [];
    expect(lines.filter((line) => /^漳州市｜\d+｜\d+｜\d+$/.test(line))).toHaveLength(1);
    const total = lines
      .find((line) => line.startsWith('合计｜'))
      ?.split('｜')
      .map(Number);
    expect((total?.[1] ?? 0) + (total?.[2] ?? 0)).toBe(34);
    expect(digest?.text).not.toContain('华安县医院');
    expect(digest?.text).toMatch(/\/d\/[\w-]+\.[\w-]+\.[\w-]+/);
    const xiamen = allMail.find(
      (m) =>
        m.stage === 'digest' &&
        m.obligation === 'fj-2021#digest#2022-02-21' &&
        m.to.includes('fj-xiamen-health-commission@example.org'),
    );
    expect(xiamen?.text).toContain('华安县医院');
    expect(xiamen?.text).not.toContain('松溪县医院');
  });

  it('the day after the due date, the agreement status PDF is generated and its link sent to the commissions', async () => {
    const notices = allMail.filter((m) => m.stage === 'document');
    expect(notices.map((m) => m.receivedAt.slice(0, 10)).length).toBe(2);
    const fujian = notices.find((m) => m.to.includes('fj-provincial-commission@example.org'));
    expect(fujian?.cc).toContain('fj-xiamen-health-commission@example.org');
    const link = /(http:\/\/127\.0\.0\.1:\d+\/d\/[\w.-]+)/.exec(fujian?.text ?? '')?.[1];
    expect(link).toBeDefined();
    const documents = await t.store.listDocuments();
    expect(
      documents.filter((d) => d.type === 'agreements' && d.asOf === '2022-02-28T16:00:00.000Z'),
    ).toHaveLength(2);
  });
});
