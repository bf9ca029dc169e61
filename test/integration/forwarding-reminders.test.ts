/**
 * Fujian's 2022 agreement season replayed day by day on the embedded stack with the demo roster:
 * the hospitals owe their city commission by Monday 21 February, the city commissions owe the province
 * by Monday 28 February (Fujian §三(一)). Zhangzhou forwards on 22 February; Xiamen never does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../functions/domain/plain-date.ts';
import { type OutboxMessage, readOutbox } from '../../functions/local/outbox.ts';
import type { DailyTickResult } from '../../functions/use-cases/run-tick.ts';
import { nineOclock, type ReplayApp, startReplayApp } from './support/replay-app.ts';

const FIRST = '2022-01-20';
const LAST = '2022-03-10';
const FORWARDED_ON = '2022-02-22';

const XIAMEN = 'fj-2021~fj-xiamen-health-commission#agreement-forwarding#2022';
const ZHANGZHOU = 'fj-2021~fj-zhangzhou-health-commission#agreement-forwarding#2022';
const HUAAN = 'fj-2021.fj-huaan-county-hospital#agreement#2022';
const SONGXI = 'fj-2021.fj-songxi-county-hospital#agreement#2022';
const PROVINCE = ['fj-provincial-commission.lead@example.org', 'fj-provincial-commission@example.org'];
const mail = (id: string) => `${id}@example.org`;

let replay: ReplayApp;
let outbox: OutboxMessage[];
const results = new Map<string, DailyTickResult>();

beforeAll(async () => {
  replay = await startReplayApp('forwarding-reminders', { at: nineOclock(FIRST) });
  for (let day = FIRST; day <= LAST; day = addDays(day, 1)) {
    results.set(day, await replay.tickAt(day));
    if (day === FORWARDED_ON) {
      // Zhangzhou's staff forward an hour after the tick of 22 February.
      await replay.app.wiring.store.recordForwardingFacts(
        {
          programmeId: 'fj-2021',
          commissionId: 'fj-zhangzhou-health-commission',
          kind: 'agreement-forwarding',
          year: 2022,
        },
        {
          submittedAt: new Date(nineOclock(day).getTime() + 3600_000).toISOString(),
          forwarded: {
            by: 'zhangzhou-staff',
            accepted: [],
            outstanding: ['fj-2021.fj-changtai-county-hospital'],
          },
        },
      );
    }
  }
  outbox = await readOutbox(replay.home);
}, 300_000);
afterAll(async () => {
  await replay?.stop();
});

const sendsOf = (obligationId: string) =>
  outbox.filter((m) => m.obligation === obligationId).map((m) => [m.sendOn, m.stage]);
const messageOf = (obligationId: string, stage: string) =>
  outbox.find((m) => m.obligation === obligationId && m.stage === stage);

describe('Fujian §三(一): the 2022 agreement season, day by day from 20 January to 10 March', () => {
  it('hospitals are reminded before their date, Monday 21 February, and their city commission joins after it', () => {
    const sends = sendsOf(HUAAN);
    expect(sends.filter(([on]) => (on as string) < '2022-02-21').map(([, stage]) => stage)).toEqual([
      'T-30',
      'T-14',
      'T-7',
      'T-3+T-1',
    ]);
    expect(sends).toContainEqual(['2022-02-21', 'T0']);
    expect(messageOf(HUAAN, 'T0')?.to).not.toContain(mail('fj-xiamen-health-commission'));
    expect(messageOf(HUAAN, 'T+1')).toMatchObject({ sendOn: '2022-02-22' });
    expect(messageOf(HUAAN, 'T+1')?.to).toContain(mail('fj-xiamen-health-commission'));
  });

  it('a pairing that reports directly has the plan’s date and escalates to the province, not to a city', () => {
    expect(messageOf(SONGXI, 'T0')?.sendOn).toBe('2022-02-28');
    const late = messageOf(SONGXI, 'T+1');
    expect(late?.sendOn).toBe('2022-03-01');
    expect(late?.to).toContain(mail('fj-provincial-commission'));
    expect([...(late?.to ?? []), ...(late?.cc ?? [])].some((a) => /-health-commission@/.test(a))).toBe(false);
  });

  it('city commissions are reminded before their date, Monday 28 February, the commission alone', () => {
    const before = outbox.filter((m) => m.obligation === XIAMEN && (m.sendOn as string) <= '2022-02-28');
    expect(before.map((m) => [m.sendOn, m.stage])).toEqual([
      ['2022-01-29', 'T-30'], // a Saturday, but the make-up working day before Spring Festival
      ['2022-02-14', 'T-14'],
      ['2022-02-21', 'T-7'],
      ['2022-02-25', 'T-3+T-1'],
      ['2022-02-28', 'T0'],
    ]);
    for (const m of before) {
      expect(m.to).toEqual([mail('fj-xiamen-health-commission')]);
      expect(m.cc).toEqual([]);
    }
    expect(before[2]?.text).toContain('2022年2月28日（星期一）');
    expect(before[2]?.text).toContain('还有 7 天截止');
    expect(before[2]?.text).toMatch(/共 7 个帮扶关系/);
    // The commission's forwarding page: where it reviews its pairings' scans and forwards them.
    expect(before[2]?.text).toMatch(
      /http:\/\/127\.0\.0\.1:\d+\/staff\/programmes\/fj-2021\/forwardings\/agreement-forwarding\/2022/,
    );
  });

  it('a city that never forwards is escalated to the province after 28 February', () => {
    const after = outbox.filter((m) => m.obligation === XIAMEN && (m.sendOn as string) > '2022-02-28');
    expect(after.map((m) => [m.sendOn, m.stage])).toEqual([
      ['2022-03-01', 'T+1'],
      ['2022-03-07', 'T+7'],
    ]);
    for (const m of after) {
      expect(m.to).toEqual([mail('fj-xiamen-health-commission')]);
      expect([...m.cc].sort()).toEqual(PROVINCE);
      expect(m.subject).toContain('逾期督办');
    }
  });

  it('a city that forwards on 22 February gets no more reminders', () => {
    expect(sendsOf(ZHANGZHOU)).toEqual([
      ['2022-01-29', 'T-30'],
      ['2022-02-14', 'T-14'],
      ['2022-02-21', 'T-7'],
    ]);
  });

  it('the tick reports the commissions’ reminders apart, and each message once', () => {
    // 21 February: the four Fujian commissions and Jiangsu's four, all due 28 February.
    expect(results.get('2022-02-21')?.forwardings).toMatchObject({ due: 8, messages: 8 });
    expect(results.get('2022-02-25')?.forwardings.due).toBe(7);
    const keys = outbox.filter((m) => m.obligation?.includes('~')).map((m) => `${m.obligation} ${m.stage}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
