/**
 * The staff actions' command-line twins, each run as a person would in its own process, on a home
 * of its own: the same use case as the console, the actor a demo staff account.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bangfu } from './support/bangfu-cli.ts';

const AGREEMENT = 'fj-2021.fj-huaan-county-hospital#agreement#2022';
let home: string;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'bangfu-staff-'));
  expect((await bangfu(home, 'seed')).code).toBe(0);
}, 120_000);
afterAll(() => rm(home, { recursive: true, force: true }));

describe('bangfu exempt, extend, review and audit', () => {
  it('exempts as the provincial admin by default, shows it in the status and the audit log, and undoes it', {
    timeout: 120_000,
  }, async () => {
    const exempt = await bangfu(home, 'exempt', AGREEMENT, '--reason', '该院已撤并');
    expect(exempt.code, exempt.stderr).toBe(0);
    expect(exempt.stdout).toContain(`exempt ${AGREEMENT} by fj-provincial-commission.admin@`);

    const status = JSON.parse(
      (await bangfu(home, 'status', '--programme', 'fj-2021', '--at', '2022-02-21', '--json')).stdout,
    ) as { obligationId: string; state: string }[];
    expect(status.find((r) => r.obligationId === AGREEMENT)?.state).toBe('exempt');

    expect((await bangfu(home, 'exempt', AGREEMENT, '--reason', '误操作', '--undo')).code).toBe(0);
    const audit = JSON.parse(
      (await bangfu(home, 'audit', '--pairing', 'fj-2021.fj-huaan-county-hospital', '--json')).stdout,
    ) as {
      action: string;
      reason: string;
      actor: { role: string };
    }[];
    expect(audit.map((a) => [a.action, a.reason, a.actor.role])).toEqual([
      ['exempt', '该院已撤并', 'admin'],
      ['unexempt', '误操作', 'admin'],
    ]);
  });

  it('extends the due date with a reason', { timeout: 60_000 }, async () => {
    const extended = await bangfu(
      home,
      'extend',
      AGREEMENT,
      '--to',
      '2022-03-15',
      '--reason',
      '春节后复工延迟',
    );
    expect(extended.code, extended.stderr).toBe(0);
    expect(extended.stdout).toContain('due 2022-03-15');
  });

  it('refuses, in Chinese and without a stack trace, what the actor may not do', {
    timeout: 60_000,
  }, async () => {
    const notSubmitted = await bangfu(home, 'review', 'return', AGREEMENT, '--reason', '缺页');
    expect(notSubmitted.code).toBe(1);
    expect(notSubmitted.stderr).toContain('尚无待审核的提交材料');

    const outsider = await bangfu(
      home,
      'exempt',
      AGREEMENT,
      '--reason',
      '越权',
      '--as',
      'fj-quanzhou-health-commission.reviewer@staff.bangfu.example.org',
    );
    expect(outsider.code).toBe(1);
    expect(outsider.stderr).toContain('不在您所在卫生健康委的管辖范围内');
    expect(outsider.stderr).not.toMatch(/\n\s+at /);
  });
});
