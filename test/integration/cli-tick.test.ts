import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../functions/adapters/aws-clients.ts';
import { DynamoStore } from '../../functions/adapters/dynamo-store.ts';
import { DEMO_ROSTER } from '../../functions/local/seed-files.ts';
import { withStack } from '../../functions/local/stack-session.ts';
import { leaveDispatchedByDeadRun } from '../support/dead-run.ts';
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
    // Pairings' reminders only; Fujian §三(一): T0 of those reporting through a city, T-7 of the others.
    const reminders = outbox.filter((m) => m.stage !== 'digest' && !m.obligation.includes('~'));
    for (const m of reminders) {
      expect(['T0', 'T-7']).toContain(m.stage);
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

describe('bangfu tick, after a run died while SES had the message', () => {
  it('prints the address it cannot confirm and does not send to it again', async () => {
    const obligationId = 'fj-2021.fj-huaan-county-hospital#agreement#2022';
    const handedOver = 'fj-huaan-county-hospital@example.org';
    // The home's own state, as the dead run left it (no `bangfu up` runs for this home).
    await withStack(home, async (config) => {
      const clients = createAwsClients(config);
      try {
        await leaveDispatchedByDeadRun(new DynamoStore(clients.documents, config.tableName), {
          programmeId: 'fj-2021',
          pairingId: 'fj-2021.fj-huaan-county-hospital',
          obligationId,
          kind: 'agreement',
          year: 2022,
          stage: 'T-7',
          day: '2022-02-14',
          email: handedOver,
          institutionId: 'fj-huaan-county-hospital',
          field: 'to',
        });
      } finally {
        clients.destroy();
      }
    });

    const tick = await bangfu(home, 'tick', '--at', '2022-02-14T09:00+08:00');
    expect(tick.code, tick.stderr).toBe(0);
    const unconfirmed = tick.stdout.split('\n').filter((line) => line.includes('UNCONFIRMED'));
    expect(unconfirmed).toEqual([
      `  UNCONFIRMED ${handedOver} (${obligationId} T-7): handed to SES by a run that died; check the SES log`,
    ]);

    const outbox = JSON.parse((await bangfu(home, 'outbox', '--json')).stdout) as {
      obligation: string;
      stage: string;
      to: string[];
      cc: string[];
    }[];
    const huaan = outbox.filter((m) => m.obligation === obligationId && m.stage === 'T-7');
    expect(huaan).toHaveLength(1);
    expect([...(huaan[0]?.to ?? []), ...(huaan[0]?.cc ?? [])]).not.toContain(handedOver);
  }, 60_000);
});
