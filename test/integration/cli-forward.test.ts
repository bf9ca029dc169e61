/**
 * `bangfu forward` and `bangfu forwarding return|accept`, each run as a person would in its own
 * process on a home of its own: the same use case as the console's chain pages (Fujian §三(一)).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bangfu } from './support/bangfu-cli.ts';

const XIAMEN = 'fj-xiamen-health-commission';
let home: string;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'bangfu-forward-'));
  expect((await bangfu(home, 'seed')).code).toBe(0);
}, 120_000);
afterAll(() => rm(home, { recursive: true, force: true }));

describe('bangfu forward and bangfu forwarding (Fujian §三(一))', () => {
  it('a city commission forwards once; the province returns it with a reason; the city forwards again', {
    timeout: 180_000,
  }, async () => {
    const as = ['--as', `${XIAMEN}.reviewer@staff.bangfu.example.org`];
    const forwarded = await bangfu(home, 'forward', 'fj-2021', 'agreement', '2022', '--generate', ...as);
    expect(forwarded.code, forwarded.stderr).toBe(0);
    expect(forwarded.stdout).toContain(
      `forward fj-2021~${XIAMEN}#agreement-forwarding#2022 by ${XIAMEN}.reviewer@`,
    );
    expect(forwarded.stdout).toContain('outstanding: 7');

    const twice = await bangfu(home, 'forward', 'fj-2021', 'agreement-forwarding', '2022', ...as);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('不能重复转报');

    const returned = await bangfu(
      home,
      'forwarding',
      'return',
      'fj-2021',
      XIAMEN,
      'agreement-forwarding',
      '2022',
      '--reason',
      '缺少两家医院的协议书',
    );
    expect(returned.code, returned.stderr).toBe(0);
    expect(returned.stdout).toContain('return ');
    expect(returned.stdout).toContain('by fj-provincial-commission.admin@');
    // `bangfu seed` imports no roster: the commission has no contact, so nobody could be emailed.
    expect(returned.stdout.trimEnd().split('\n').at(-1)).toBe(
      '  通知邮件未能发送：未登记联系人邮箱，请另行通知',
    );

    const again = await bangfu(home, 'forward', 'fj-2021', 'agreement-forwarding', '2022', ...as);
    expect(again.code, again.stderr).toBe(0);
  });
});
