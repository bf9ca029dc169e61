/** The bench runs as `npm run bench` runs it; its figures are printed, not asserted (they are this machine's). */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const REPO = new URL('../..', import.meta.url).pathname;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bangfu-bench-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const bench = (...sections: string[]) =>
  run('npx', ['tsx', 'test/bench/bench.ts', ...sections], {
    cwd: REPO,
    env: { ...process.env, BANGFU_BENCH_OUT: join(dir, 'bench.json') },
    timeout: 120_000,
  });

describe('npm run bench', () => {
  it('prints a figure for every document and writes the same figures as JSON', async () => {
    const { stdout } = await bench('pdf');
    const written = JSON.parse(await readFile(join(dir, 'bench.json'), 'utf8'));
    const rows = written.results.pdf.rows as Record<string, number | string>[];
    expect(rows.map((r) => r.document)).toEqual([
      'agreements fj-2021',
      'annual fj-2021 2022',
      'annual js-2022 2022',
      'pairing fj-2021',
      'form fj-2021',
      'annual fj-2021 2022, 200 stints 0000–9999',
    ]);
    for (const row of rows) {
      expect(row['warm ms (median)']).toBeGreaterThan(0);
      expect(row.KB).toBeGreaterThan(10);
      expect(stdout).toContain(String(row.document));
    }
    expect(written.peakRssMb).toBeGreaterThan(0);
  });

  it('names the sections it has when asked for one it has not', async () => {
    const failed = await bench('nonesuch').catch((error: { code: number; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 2 });
    expect((failed as { stderr: string }).stderr).toContain(
      'no section nonesuch; sections: packages, tick, pdf',
    );
  });
});
