/**
 * The SES mailer's pacing: never above the rate it is given, which for a reminder worker is its share
 * of the account's maximum send rate, under one a second on a sandbox shared by two workers.
 */
import { describe, expect, it } from 'vitest';
import { pacingOf } from '../../functions/adapters/ses-mailer.ts';

describe('pacing sends to a rate a second', () => {
  it('sends whole messages a second at one a second and above, rounding a fraction down', () => {
    expect(pacingOf(10)).toEqual({ intervalCap: 10, interval: 1000 });
    expect(pacingOf(1)).toEqual({ intervalCap: 1, interval: 1000 });
    expect(pacingOf(2.5)).toEqual({ intervalCap: 2, interval: 1000 });
  });

  it('under one a second, sends one message per 1/rate seconds (half a sandbox: one every 2 s)', () => {
    expect(pacingOf(0.5)).toEqual({ intervalCap: 1, interval: 2000 });
    expect(pacingOf(0.3)).toEqual({ intervalCap: 1, interval: 3334 });
    for (const rate of [0.5, 0.3, 0.125, 0.999]) {
      const { intervalCap, interval } = pacingOf(rate);
      expect((intervalCap * 1000) / interval, String(rate)).toBeLessThanOrEqual(rate);
    }
  });

  it('refuses a rate that would never send', () => {
    expect(() => pacingOf(0)).toThrow(RangeError);
    expect(() => pacingOf(Number.NaN)).toThrow(RangeError);
  });
});
