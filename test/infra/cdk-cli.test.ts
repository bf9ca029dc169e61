/**
 * The real command line, offline: `npx cdk synth` runs infra/app.ts through tsx, bundles every function
 * with the local esbuild (no Docker), runs cdk-nag, and writes a cloud assembly a deploy could use.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/defaults.ts';

const run = promisify(execFile);
const outdir = mkdtempSync(join(tmpdir(), 'bangfu-cdk-cli-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

interface AssetManifest {
  files: Record<string, { source: { path: string; packaging?: string } }>;
}

describe('npx cdk synth', () => {
  it('synthesises both stacks with bundled functions and a clean validation report', {
    timeout: 120_000,
  }, async () => {
    const started = Date.now();
    await run('npx', ['cdk', 'synth', '--quiet', '-o', outdir], {
      cwd: REPO_ROOT,
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' },
      timeout: 120_000,
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);

    for (const stack of ['BangfuStateful', 'BangfuStateless']) {
      expect(existsSync(join(outdir, `${stack}.template.json`)), stack).toBe(true);
    }
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports).toEqual([]);

    // The tick's Lambda package: the bundle where the handler setting says, the templates it reads.
    const manifest: AssetManifest = JSON.parse(
      readFileSync(join(outdir, 'BangfuStateless.assets.json'), 'utf8'),
    );
    const packages = Object.values(manifest.files).filter((f) => f.source.packaging === 'zip');
    // The tick, the upload/download API and ingest (and CDK's own bucket-notifications handler).
    expect(packages.length).toBeGreaterThanOrEqual(3);
    const font = 'node_modules/@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf';
    const withFont = packages
      .map((p) => join(outdir, p.source.path))
      .filter((dir) => existsSync(join(dir, font)));
    expect(withFont).toHaveLength(1);
    const tick = withFont[0] as string;
    const bundle = join(tick, 'functions/handlers/index.mjs');
    expect(readFileSync(bundle, 'utf8')).toMatch(/^import \{ createRequire as bangfuCreateRequire \}/);
    for (const template of ['reminder.subject.hbs', 'reminder.text.hbs', 'reminder.html.hbs']) {
      expect(existsSync(join(tick, 'templates/email', template)), template).toBe(true);
    }
    console.info(`npx cdk synth: ${seconds} s; tick bundle ${(statSync(bundle).size / 1024).toFixed(0)} KiB`);
  });
});
