import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  clearSimulatedNow,
  homeClock,
  resolveNow,
  setSimulatedNow,
} from '../../functions/local/simulated-clock.ts';

const wall = new Date('2026-12-01T12:00:00Z');
// Set at the wall instant minus one minute: a minute of simulated time has passed since.
const state = { now: '2022-02-21T00:00:00.000Z', setAt: '2026-12-01T11:59:00.000Z' };

describe('a local command’s "now": --at, then BANGFU_NOW, then the home’s simulated clock, then the wall clock', () => {
  it('--at wins over BANGFU_NOW and the simulated clock', () => {
    const at = new Date('2022-12-10T09:00+08:00');
    expect(resolveNow({ at, envNow: '2022-03-01T09:00+08:00', state }, wall)).toEqual(at);
  });

  it('BANGFU_NOW wins over the simulated clock; a plain date is the start of that Beijing day', () => {
    expect(resolveNow({ envNow: '2022-03-01T09:00+08:00', state }, wall).toISOString()).toBe(
      '2022-03-01T01:00:00.000Z',
    );
    expect(resolveNow({ envNow: '2022-03-01' }, wall).toISOString()).toBe('2022-02-28T16:00:00.000Z');
  });

  it('the simulated clock moves on with the wall clock from when it was set; without one, the wall clock', () => {
    expect(resolveNow({ state }, wall).toISOString()).toBe('2022-02-21T00:01:00.000Z');
    expect(resolveNow({ envNow: '' }, wall)).toEqual(wall);
  });

  it('a BANGFU_NOW that is not an instant is refused with its value named', () => {
    expect(() => resolveNow({ envNow: 'tomorrow' }, wall)).toThrow(/BANGFU_NOW.*"tomorrow"/);
  });
});

describe('the home’s clock as `bangfu up` reads it on every call', () => {
  let home = '';
  afterEach(() => rm(home, { recursive: true, force: true }));

  it('follows clock.json as another process sets, moves and clears it', async () => {
    home = await mkdtemp(join(tmpdir(), 'bangfu-clock-'));
    const clock = homeClock(home);
    expect(clock.simulatedNow()).toBeUndefined();
    await setSimulatedNow(home, new Date('2022-02-21T08:00+08:00'));
    expect(clock.now().getTime() - Date.parse('2022-02-21T08:00+08:00')).toBeLessThan(60_000);
    await setSimulatedNow(home, new Date('2022-02-22T09:00+08:00'));
    expect(clock.simulatedNow()?.getTime()).toBeGreaterThanOrEqual(Date.parse('2022-02-22T09:00+08:00'));
    await clearSimulatedNow(home);
    expect(clock.simulatedNow()).toBeUndefined();
    expect(clock.now().getFullYear()).toBeGreaterThan(2025);
  });
});
