/**
 * `bangfu --aws`: the command line acting on a deployment with the functions' own environment. The
 * "deployment" here is an embedded stack started by the test; the CLI runs in its own process with an
 * empty BANGFU_HOME, so anything it did must have gone through the environment's endpoints.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppConfig } from '../../functions/adapters/config.ts';
import { ENV } from '../../functions/adapters/env-names.ts';
import { readOutbox } from '../../functions/local/outbox.ts';
import { DEMO_ROSTER } from '../../functions/local/seed-files.ts';
import { bangfuWithEnv } from './support/bangfu-cli.ts';
import { pdfPages, squash } from './support/pdf-tools.ts';
import { startTestStack, type TestStack } from './support/test-stack.ts';

/** What the functions' environment holds on AWS, plus the endpoints and keys of the stand-ins. */
function functionEnvironment(config: AppConfig): NodeJS.ProcessEnv {
  return {
    [ENV.region]: config.region,
    [ENV.tableName]: config.tableName,
    [ENV.bucketName]: config.bucketName,
    [ENV.sender]: config.sender,
    [ENV.publicUrl]: config.uploads.publicUrl,
    [ENV.ticketSecret]: config.uploads.ticketSecret,
    [ENV.dynamodbEndpoint]: config.endpoints.dynamodb,
    [ENV.s3Endpoint]: config.endpoints.s3,
    [ENV.sesEndpoint]: config.endpoints.ses,
    [ENV.sesMaxSendRate]: '500',
    AWS_ACCESS_KEY_ID: config.credentials?.accessKeyId,
    AWS_SECRET_ACCESS_KEY: config.credentials?.secretAccessKey,
  };
}

/** An environment with no AWS configuration at all: no credentials, no region, no metadata service. */
const NO_AWS: NodeJS.ProcessEnv = {
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_REGION: '',
  AWS_DEFAULT_REGION: '',
  AWS_PROFILE: '',
  AWS_ACCESS_KEY_ID: '',
  AWS_SECRET_ACCESS_KEY: '',
};

let deployment: TestStack;
let cliHome: string;
let env: NodeJS.ProcessEnv;
const aws = (...args: string[]) => bangfuWithEnv(cliHome, env, '--aws', ...args);

beforeAll(async () => {
  deployment = await startTestStack();
  cliHome = await mkdtemp(join(tmpdir(), 'bangfu-cli-aws-'));
  env = { ...NO_AWS, ...functionEnvironment(deployment.stack.config) };
});
afterAll(async () => {
  await deployment?.stop();
  await rm(cliHome, { recursive: true, force: true });
});

describe('bangfu --aws with the functions’ environment', () => {
  it('loads the plans and a roster into the deployment’s table, and starts nothing locally', async () => {
    const seeded = await aws('seed');
    expect(seeded.code, seeded.stderr).toBe(0);
    expect(seeded.stderr).toContain(`On AWS: table ${deployment.stack.config.tableName}`);
    expect(seeded.stdout).toMatch(/Programme fj-2021: pairings 34 new/);
    expect(seeded.stdout).toMatch(/Programme js-2022: pairings 29 new/);

    const roster = await aws('roster', 'import', DEMO_ROSTER);
    expect(roster.code, roster.stderr).toBe(0);
    expect(roster.stdout).toMatch(/contact\(s\); \d+ new, 0 changed, 0 unchanged/);

    const again = await aws('seed');
    expect(again.stdout).toMatch(/Programme fj-2021: pairings 0 new, 0 changed, 34 unchanged/);
    expect(await deployment.store.listPairings('fj-2021')).toHaveLength(34);
    // Nothing local: no stack state, no outbox, no table on disk under the CLI's own home.
    expect(existsSync(join(cliHome, 'stack.json'))).toBe(false);
    expect(existsSync(join(cliHome, 'outbox.jsonl'))).toBe(false);
  });

  it('runs a tick whose reminders go out through the deployment’s SES, and reports its status', async () => {
    const tick = await aws('tick', '--at', '2022-02-21T09:00+08:00', '--json');
    expect(tick.code, tick.stderr).toBe(0);
    const result = JSON.parse(tick.stdout) as { messages: unknown[]; published: { messages: unknown[] } };
    expect(result.messages.length).toBeGreaterThan(0);
    // The deployment's SES stand-in recorded them (its outbox sits in the deployment's home), each
    // reminder with a link to the deployment's pages.
    const outbox = await readOutbox(deployment.home);
    expect(outbox).toHaveLength(result.messages.length + result.published.messages.length);
    // Staff mail (the weekly digests of 21 Feb) carries no upload link; reminders do.
    const reminders = outbox.filter((m) => m.stage !== 'digest');
    expect(reminders).toHaveLength(result.messages.length);
    // A pairing's reminder links its upload page; a city commission's own (Fujian §三(一)) its
    // forwarding page in the console.
    for (const reminder of reminders) {
      expect(reminder.text).toContain(
        reminder.obligation?.includes('~')
          ? `${deployment.stack.config.uploads.publicUrl}/staff/programmes/`
          : `${deployment.stack.config.uploads.publicUrl}/u/`,
      );
    }
    expect(reminders.some((m) => m.obligation?.includes('~'))).toBe(true);

    const status = await aws('status', '--programme', 'fj-2021', '--at', '2022-02-21T09:00+08:00', '--json');
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toHaveLength(34 * 5);
  });

  it('renders a report from the deployment’s records to a local file', async () => {
    const out = join(cliHome, 'agreements.pdf');
    const report = await aws(
      'report',
      'agreements',
      '--programme',
      'fj-2021',
      '--at',
      '2022-03-01',
      '--out',
      out,
    );
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toContain(out);
    const pdf = await readFile(out);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // 34 pairings' agreements, all still awaiting submission on 1 March 2022 in the deployment's table.
    expect(squash((await pdfPages(pdf)).join(''))).toContain('松溪县医院');
  });

  it('refuses the local-only commands, saying what to do on AWS instead', async () => {
    const up = await aws('up');
    expect(up.code).toBe(1);
    expect(up.stderr).toContain('bangfu up is local only');
    const outbox = await aws('outbox');
    expect(outbox.code).toBe(1);
    expect(outbox.stderr).toContain('bangfu outbox is local only');
  });
});

describe('bangfu --aws without a deployment to act on', () => {
  it('says that no region is set, before anything else', async () => {
    const { code, stderr } = await bangfuWithEnv(
      cliHome,
      NO_AWS,
      '--aws',
      'status',
      '--programme',
      'fj-2021',
    );
    expect(code).toBe(1);
    expect(stderr).toContain('bangfu: no AWS region: set AWS_REGION or a region in your AWS profile');
  });

  it('says it could not read the stack, and why, without credentials', async () => {
    const { code, stderr } = await bangfuWithEnv(
      cliHome,
      { ...NO_AWS, AWS_REGION: 'ap-southeast-1' },
      '--aws',
      'status',
      '--programme',
      'fj-2021',
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /bangfu: could not read stack BangfuStateless in ap-southeast-1: CredentialsProviderError/,
    );
  });

  it('names the variable that is missing when the environment names a table but not the rest', async () => {
    const { code, stderr } = await bangfuWithEnv(
      cliHome,
      { ...NO_AWS, [ENV.region]: 'ap-southeast-1', [ENV.tableName]: 'bangfu' },
      '--aws',
      'seed',
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(/bangfu: invalid configuration: .*BANGFU_BUCKET/);
  });
});
