/**
 * Each Lambda package as `npx cdk synth` builds it: bundle, package and zip sizes against Lambda's
 * limits, and the module start-up (importing the bundle: SDK clients, templates compiled, fonts
 * located) in a fresh Node process, the part of a cold start the code controls.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { zipSync } from 'fflate';
import { ENV } from '../../functions/adapters/env-names.ts';
import { REPO_ROOT } from '../../infra/defaults.ts';
import { filesUnder, type LambdaPackage, lambdaPackages } from '../infra/support/lambda-packages.ts';
import { figures, type JudgedFigures, type JudgedRow, judge, log, mb, median } from './figures.ts';

const run = promisify(execFile);
const START_UPS = 5;
/** Lambda's limits for a package deployed from S3, as CDK deploys it. */
const LIMIT_UNZIPPED_MB = 250;
/** The target: every bundle under 2 MB; the CJK font ships beside it as a file of its own. */
const TARGET_BUNDLE_MB = 2;
const FONT_FILE = /\.(ttf|otf|woff2?)$/i;

export async function benchPackages(): Promise<JudgedFigures> {
  const outdir = await mkdtemp(join(tmpdir(), 'bangfu-bench-synth-'));
  try {
    log('npx cdk synth (bundles every function with esbuild, runs cdk-nag) …');
    const started = performance.now();
    await run('npx', ['cdk', 'synth', '--quiet', '-o', outdir], {
      cwd: REPO_ROOT,
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' },
      timeout: 300_000,
    });
    log(`  synth took ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const rows = [];
    const judged: JudgedRow[] = [];
    for (const pkg of Object.values(lambdaPackages(outdir))) {
      log(`  ${pkg.name}: sizes, ${START_UPS} module start-ups …`);
      const files = filesUnder(pkg.dir);
      const contents = await Promise.all(files.map((f) => readFile(join(pkg.dir, f))));
      const unzipped = contents.reduce((sum, c) => sum + c.length, 0);
      const zipped = zipSync(
        Object.fromEntries(files.map((f, i) => [f, new Uint8Array(contents[i] as Buffer)])),
        {
          level: 6,
        },
      ).length;
      const startUps: number[] = [];
      for (let i = 0; i < START_UPS; i++) startUps.push(await moduleStartUp(pkg));
      const sizes = files.map((file, i) => ({ file, bytes: (contents[i] as Buffer).length }));
      const fontBytes = sizes.filter((s) => FONT_FILE.test(s.file)).reduce((sum, s) => sum + s.bytes, 0);
      const bundleBytes = (await stat(join(pkg.dir, pkg.handlerFile))).size;
      const row = judge('packages', pkg.name);
      judged.push(
        row(
          'bundle MB',
          mb(bundleBytes),
          `package ${mb(unzipped)} MB of which the font ${mb(fontBytes)} MB, ${mb(zipped)} MB zipped; Lambda's limit ${LIMIT_UNZIPPED_MB} MB`,
          `< ${TARGET_BUNDLE_MB} MB`,
          bundleBytes < TARGET_BUNDLE_MB * 1024 * 1024,
          await largestSources(join(pkg.dir, pkg.handlerFile)),
        ),
        row(
          'cold import ms (median of 5)',
          Math.round(median(startUps)),
          `fastest ${Math.round(Math.min(...startUps))} ms, slowest ${Math.round(Math.max(...startUps))} ms`,
          '',
          undefined,
        ),
      );
      rows.push({
        function: pkg.name,
        'bundle MB': mb((await stat(join(pkg.dir, pkg.handlerFile))).size),
        'source map MB': mb((await stat(join(pkg.dir, `${pkg.handlerFile}.map`))).size),
        files: files.length,
        'package MB': mb(unzipped),
        'zipped MB': mb(zipped),
        '% of 250 MB': Math.round((unzipped / (LIMIT_UNZIPPED_MB * 1024 * 1024)) * 1000) / 10,
        'start-up ms (median of 5)': Math.round(median(startUps)),
      });
    }
    return { ...figures(rows), judged };
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
}

/**
 * What a bundle is made of, from its source map: each stretch of generated code is counted to the
 * source it maps to, and sources are grouped by npm package (the app's own code as bangfu).
 */
async function largestSources(bundleFile: string): Promise<string> {
  const map = JSON.parse(await readFile(`${bundleFile}.map`, 'utf8')) as {
    sources: string[];
    mappings: string;
  };
  const lineLengths = (await readFile(bundleFile, 'utf8')).split('\n').map((line) => line.length);
  const ownerOf = map.sources.map(
    (source) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source)?.[1] ?? 'bangfu',
  );
  const bytes = new Map<string, number>();
  const count = (from: { column: number; source: number }, to: number) => {
    const owner = ownerOf[from.source] ?? 'bangfu';
    bytes.set(owner, (bytes.get(owner) ?? 0) + to - from.column);
  };
  let source = 0;
  map.mappings.split(';').forEach((line, i) => {
    let column = 0;
    let previous: { column: number; source: number } | undefined;
    for (const segment of line.split(',')) {
      if (segment === '') continue;
      const [columnDelta = 0, sourceDelta] = decodeVlq(segment);
      column += columnDelta;
      if (previous) count(previous, column);
      if (sourceDelta !== undefined) source += sourceDelta;
      previous = { column, source };
    }
    if (previous) count(previous, lineLengths[i] ?? previous.column);
  });
  return [...bytes]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([owner, n]) => `${owner} ${mb(n)} MB`)
    .join('; ');
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The numbers of one source-map segment (base64 VLQ). */
function decodeVlq(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = BASE64.indexOf(char);
    value += (digit & 31) << shift;
    if (digit & 32) shift += 5;
    else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

const START_UP = `
const started = performance.now();
await import(process.argv[1]);
process.stdout.write(String(performance.now() - started));
`;

/** Milliseconds to import the handler module, cwd the package as /var/task; no AWS call is made. */
async function moduleStartUp(pkg: LambdaPackage): Promise<number> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    [ENV.region]: 'ap-southeast-1',
    [ENV.tableName]: 'bangfu-bench',
    [ENV.bucketName]: 'bangfu-files-bench',
    [ENV.sender]: 'noreply@bangfu.example.org',
    [ENV.publicUrl]: 'https://links.bangfu.example.org',
    // The key itself, so start-up makes no Secrets Manager call (on AWS it is one GetSecretValue).
    [ENV.ticketSecret]: 'bench-key-bench-key-bench-key-bench-key',
  };
  const { stdout } = await run(
    process.execPath,
    ['--input-type=module', '-e', START_UP, pathToFileURL(join(pkg.dir, pkg.handlerFile)).href],
    { cwd: pkg.dir, env, timeout: 60_000 },
  );
  return Number(stdout);
}
