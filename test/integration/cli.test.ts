import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bangfu } from './support/bangfu-cli.ts';

const BIN = new URL('../../bin/bangfu.js', import.meta.url).pathname;

function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`timed out waiting for ${pattern}; saw:\n${seen}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) {
        clearTimeout(timer);
        resolve(seen);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (!pattern.test(seen)) reject(new Error(`exited with ${code} before ${pattern}; saw:\n${seen}`));
    });
  });
}

describe('bangfu without a running stack', () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'bangfu-cli-'));
  });
  afterAll(() => rm(home, { recursive: true, force: true }));

  it('seed starts the stack in-process, loads, and a second run changes nothing', async () => {
    const first = await bangfu(home, 'seed');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Programme fj-2021: pairings 34 new/);
    const second = await bangfu(home, 'seed');
    expect(second.stdout).toMatch(/Programme fj-2021: pairings 0 new, 0 changed, 34 unchanged/);
  });

  it('status --json lists every obligation with its due date and state at the given instant', async () => {
    const { code, stdout, stderr } = await bangfu(
      home,
      'status',
      '--programme',
      'fj-2021',
      '--at',
      '2022-02-21T09:00+08:00',
      '--json',
    );
    expect(code, stderr).toBe(0);
    const rows = JSON.parse(stdout) as Record<string, unknown>[];
    expect(rows).toHaveLength(34 * 5);
    const agreement = rows.find((r) => r.recipient === '松溪县医院' && r.kind === 'agreement');
    expect(agreement).toMatchObject({
      programme: 'fj-2021',
      pairing: expect.any(String),
      supporters: ['福建省立医院'],
      year: 2022,
      dueDate: '2022-02-28',
      state: 'open',
    });
    expect(
      rows.find((r) => r.recipient === '松溪县医院' && r.year === 2022 && r.kind === 'annual-report'),
    ).toMatchObject({
      dueDate: '2022-12-10',
      state: 'upcoming',
    });
  });

  it('status after the due date shows the agreement overdue, in a readable table', async () => {
    const { stdout } = await bangfu(home, 'status', '--programme', 'js-2022', '--at', '2022-03-01');
    expect(stdout).toMatch(
      /js-2022 as of 2022-03-01 00:00 Beijing time: 145 obligations \(upcoming 116, overdue 29\)/,
    );
    expect(stdout).toMatch(
      // Jiangsu §七(一): led by a Suzhou city hospital, it reports to 苏州市卫健委 by 21 February.
      /^2022-02-21 星期一 +overdue +已逾期 +帮扶合作协议书 2022 +泗阳县第一人民医院 ← 苏州市第九人民医院（牵头）、江苏省人民医院$/m,
    );
  });

  it('an unknown programme and a bad instant are clear errors', async () => {
    const unknown = await bangfu(home, 'status', '--programme', 'xx-2020');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown programme "xx-2020" \(known: fj-2021, js-2022\)/);
    const badAt = await bangfu(home, 'status', '--programme', 'fj-2021', '--at', 'yesterday');
    expect(badAt.code).toBe(2);
    expect(badAt.stderr).toMatch(/must be an ISO date or instant/);
  });

  it('roster import rejects a bad file whole, naming row and field, and imports a good one once', async () => {
    const bad = join(home, 'bad.csv');
    await writeFile(
      bad,
      'institution,role,name,email\n松溪县医院,联络员,张三,zhang@example.org\n松溪县医院,联络员,李四,not-an-email\n',
    );
    const rejected = await bangfu(home, 'roster', 'import', bad);
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toContain('row 3, field "email": is not a valid email address');
    expect(rejected.stderr).toContain('nothing was written');

    const good = join(home, 'good.csv');
    await writeFile(good, 'institution,role,name,email\n松溪县医院,联络员,张三,zhang@example.org\n');
    expect((await bangfu(home, 'roster', 'import', good)).stdout).toMatch(/1 new, 0 changed, 0 unchanged/);
    expect((await bangfu(home, 'roster', 'import', good)).stdout).toMatch(/0 new, 0 changed, 1 unchanged/);
  });

  it('roster import reads a CSV that Excel saved in GBK with Chinese headers', async () => {
    // 单位,角色,姓名,邮箱 / 松溪县医院,联络员,张三,zhang@example.org, as GBK bytes.
    const excel = join(home, 'excel.csv');
    await writeFile(
      excel,
      Buffer.concat([
        Buffer.from('B5A5CEBB2CBDC7C9AB2CD0D5C3FB2CD3CACFE40D0A', 'hex'),
        Buffer.from('CBC9CFAACFD8D2BDD4BA2CC1AAC2E7D4B12CD5C5C8FD2C', 'hex'),
        Buffer.from('zhang@example.org\r\n'),
      ]),
    );
    const imported = await bangfu(home, 'roster', 'import', excel);
    expect(imported.code, imported.stderr).toBe(0);
    // The same contact as good.csv above, so nothing changes: the bytes were read as the same text.
    expect(imported.stdout).toMatch(
      /excel\.csv \(read as GB18030\): 1 contact\(s\); 0 new, 0 changed, 1 unchanged/,
    );
  });
});

describe('bangfu up', () => {
  let home: string;
  let up: ChildProcess | undefined;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'bangfu-up-'));
  });
  afterAll(async () => {
    up?.kill('SIGKILL');
    await rm(home, { recursive: true, force: true });
  });

  it('boots seeded, serves other commands from its stack, and stops cleanly on Ctrl-C', async () => {
    const ports = ['--dynamodb-port', '0', '--s3-port', '0', '--ses-port', '0', '--oidc-port', '0'];
    up = spawn(process.execPath, [BIN, 'up', ...ports], {
      env: { ...process.env, BANGFU_HOME: home },
    });
    const banner = await waitForOutput(up, /Press Ctrl-C to stop/);
    expect(banner).toMatch(/Programme fj-2021: pairings 34 new/);
    expect(banner).toMatch(/Demo roster: \d+ new/);
    expect(banner).toMatch(/DynamoDB {2}http:\/\/127\.0\.0\.1:\d+/);
    expect(existsSync(join(home, 'stack.json'))).toBe(true);

    // The on-disk state is locked by `up`: this only works because status uses the running stack.
    const status = await bangfu(home, 'status', '--programme', 'js-2022', '--at', '2022-02-01', '--json');
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toHaveLength(145);

    const again = await bangfu(home, 'up', '--dynamodb-port', '0', '--s3-port', '0', '--ses-port', '0');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already running/);

    const exited = new Promise<number | null>((resolve) => up?.once('exit', resolve));
    up.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(existsSync(join(home, 'stack.json'))).toBe(false);

    // State survives: a later command finds the data without `up`.
    const after = await bangfu(home, 'status', '--programme', 'fj-2021', '--json');
    expect(JSON.parse(after.stdout)).toHaveLength(170);
  });
});
