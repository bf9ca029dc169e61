import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ROSTER } from '../../functions/local/seed-files.ts';
import { bangfu, bangfuWithEnv } from './support/bangfu-cli.ts';

let home: string;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'bangfu-tick-'));
  expect((await bangfu(home, 'seed')).code).toBe(0);
  expect((await bangfu(home, 'roster', 'import', DEMO_ROSTER)).code).toBe(0);
});
afterAll(() => rm(home, { recursive: true, force: true }));

const outboxLines = async () => {
  try {
    return (await readFile(join(home, 'outbox.jsonl'), 'utf8')).split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
};

describe('bangfu tick, killed half-way', () => {
  it('a rerun after kill -9 sends each missing message once and no message twice', async () => {
    const BIN = new URL('../../bin/bangfu.js', import.meta.url).pathname;
    // Paced at 10 messages a second, the 63 agreement reminders of 21 Feb 2022 take about 6 s.
    const tick: ChildProcess = spawn(process.execPath, [BIN, 'tick', '--at', '2022-02-21T09:00+08:00'], {
      env: { ...process.env, BANGFU_HOME: home, BANGFU_SES_MAX_SEND_RATE: '10' },
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => tick.once('exit', resolve));
    while ((await outboxLines()) < 10) await new Promise((r) => setTimeout(r, 25));
    tick.kill('SIGKILL');
    await exited;
    const atKill = await outboxLines();
    expect(atKill).toBeLessThan(63);

    // The dead run's claims block its unsent addresses until their lease runs out (1 s here).
    const rerun = await bangfuWithEnv(
      home,
      { BANGFU_CLAIM_LEASE_SECONDS: '1' },
      'tick',
      '--at',
      '2022-02-21T09:00+08:00',
      '--json',
    );
    expect(rerun.code, rerun.stderr).toBe(0);
    const result = JSON.parse(rerun.stdout) as {
      messages: unknown[];
      unconfirmed: { obligationId: string }[];
    };

    const outbox = JSON.parse((await bangfu(home, 'outbox', '--json')).stdout) as {
      obligation: string;
      stage: string;
      to: string[];
      cc: string[];
    }[];
    const seen = new Map<string, number>();
    const reminders = outbox.filter((m) => m.stage !== 'digest');
    for (const m of reminders) {
      expect(m.stage).toBe('T-7');
      for (const address of [...m.to, ...m.cc]) {
        const key = `${m.obligation} ${address}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
      }
    }
    expect([...seen.values()].filter((n) => n > 1)).toEqual([]);
    // A message the dead run had already handed to SES is never repeated: it went out, or it is
    // reported as unconfirmed for a person to check.
    const covered = new Set([
      ...reminders.map((m) => m.obligation),
      ...result.unconfirmed.map((u) => u.obligationId),
    ]);
    expect(covered.size).toBe(63);
  }, 120_000);

  it('prints what it sent, in a readable summary', async () => {
    const again = await bangfu(home, 'tick', '--at', '2022-02-21T09:00+08:00');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(
      /^Tick 2022-02-21 \(星期一\): 63 obligation\(s\) due a reminder; 0 message\(s\) sent/,
    );
  });
});
