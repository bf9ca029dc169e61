import { describe, expect, it } from 'vitest';
import { nextReminderDay, tickDaysBetween, tickInstantOf } from '../../functions/domain/simulated-days.ts';
import { prcCalendar } from '../../functions/domain/working-days.ts';

const DEFAULT_STAGES = [-30, -14, -7, -3, -1, 0, 1, 7];
const next = (after: string, dueDates: string[]) =>
  nextReminderDay(after, dueDates, DEFAULT_STAGES, prcCalendar);

describe('the next reminder stage a simulated clock can jump to', () => {
  it('Fujian §三(一) city-routed agreement due Mon 21 Feb 2022: after the due day comes T+1 on Tuesday', () => {
    expect(next('2022-02-21', ['2022-02-21'])).toBe('2022-02-22');
  });

  it('a T-1 on Sunday is sent with T-3 on the Friday before, so the next stage after Mon 14 Feb is Fri 18 Feb', () => {
    expect(next('2022-02-14', ['2022-02-21'])).toBe('2022-02-18');
  });

  it('Fujian §三(一) two levels: after Tue 22 Feb the forwarding due Mon 28 Feb has T-3+T-1 on Fri 25 Feb, before the pairing’s T+7', () => {
    expect(next('2022-02-22', ['2022-02-21', '2022-02-28'])).toBe('2022-02-25');
  });

  it('no stage is left once the last (T+7) has passed, or with nothing open', () => {
    expect(next('2022-02-28', ['2022-02-21'])).toBeUndefined();
    expect(next('2022-02-21', [])).toBeUndefined();
  });
});

describe('the daily ticks a move of the simulated clock passes (the schedule runs at 09:00 Beijing time)', () => {
  const at = (iso: string) => new Date(iso);

  it('08:00 Mon 21 Feb 2022 to the next day 09:00 passes both days’ ticks, in order', () => {
    expect(tickDaysBetween(at('2022-02-21T08:00+08:00'), tickInstantOf('2022-02-22'))).toEqual([
      '2022-02-21',
      '2022-02-22',
    ]);
  });

  it('from just after a tick, that day’s tick is not run again; a week’s jump runs every day, weekend included', () => {
    expect(tickDaysBetween(at('2022-02-21T09:00+08:00'), tickInstantOf('2022-02-22'))).toEqual([
      '2022-02-22',
    ]);
    expect(tickDaysBetween(at('2022-02-21T10:00+08:00'), tickInstantOf('2022-02-28'))).toHaveLength(7);
  });

  it('moving backwards or not at all passes no tick', () => {
    expect(tickDaysBetween(tickInstantOf('2022-02-22'), tickInstantOf('2022-02-21'))).toEqual([]);
    expect(tickDaysBetween(tickInstantOf('2022-02-22'), tickInstantOf('2022-02-22'))).toEqual([]);
  });

  it('a tick instant is 09:00 Beijing time, 01:00 UTC', () => {
    expect(tickInstantOf('2022-02-21').toISOString()).toBe('2022-02-21T01:00:00.000Z');
  });
});
