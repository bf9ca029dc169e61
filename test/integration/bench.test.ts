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

const bench = (sections: string[], env: Record<string, string> = {}) =>
  run('npx', ['tsx', 'test/bench/bench.ts', ...sections], {
    cwd: REPO,
    env: { ...process.env, BANGFU_BENCH_OUT: join(dir, 'bench.json'), ...env },
    timeout: 120_000,
  });

describe('npm run bench', () => {
  it('prints a figure for every document and writes the same figures as JSON', async () => {
    const { stdout } = await bench(['pdf']);
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

  it('judges every target of the scale section (Fujian §三(一) busy day, a quiet day) with PASS or MISS', async () => {
    // 60 pairings keep the test quick; the figures are this machine's, so only the table's shape is asserted.
    const { stdout } = await bench(['scale'], { BANGFU_BENCH_SCALES: '60' });
    const written = JSON.parse(await readFile(join(dir, 'bench.json'), 'utf8'));
    const rows = written.results.scale.rows as Record<string, number | string>[];
    expect(Object.keys(rows[0] ?? {})).toEqual([
      'pairings',
      'figure',
      'measured',
      'baseline',
      'target',
      'result',
      'what bounds it',
    ]);
    const judged = rows.filter((r) => r.target !== '');
    expect(judged.map((r) => String(r.figure).replace(/ \d{4}-\d{2}-\d{2}/, ''))).toEqual([
      'busy tick: items read',
      'busy tick: requests per message',
      'busy tick: time',
      'busy tick: peak RSS MB',
      'rerun of the busy day: messages',
      'quiet tick: items read',
    ]);
    for (const row of judged) {
      expect(row.pairings).toBe(60);
      expect(row.result).toMatch(/^(PASS|MISS)$/);
      if (row.result === 'MISS') expect(row['what bounds it']).not.toBe('');
    }
    expect(rows.find((r) => String(r.figure).startsWith('busy tick 2022'))?.figure).toBe(
      'busy tick 2022-02-18: items read',
    );
    expect(stdout).toContain('## scale');
  });

  it('names the sections it has when asked for one it has not', async () => {
    const failed = await bench(['nonesuch']).catch((error: { code: number; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 2 });
    expect((failed as { stderr: string }).stderr).toContain(
      'no section nonesuch; sections: packages, tick, pdf, scale',
    );
  });
});
