/**
 * The real command line, offline: `npx cdk synth` runs infra/app.ts through tsx, bundles every function
 * with the local esbuild (no Docker), runs cdk-nag, and writes a cloud assembly a deploy could use. Then
 * the Lambda packages in it: exactly the files each function reads, their sizes, and each one run as
 * Lambda runs it (a fresh Node process, the template's environment, the key fetched by ARN) against the
 * local stand-ins.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { zipSync } from 'fflate';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeDuePage } from '../../functions/adapters/due-page-messages.ts';
import { ENV } from '../../functions/adapters/env-names.ts';
import { createWiring, type Wiring } from '../../functions/composition/wiring.ts';
import { type EmbeddedStack, startEmbeddedStack } from '../../functions/local/embedded-stack.ts';
import { readOutbox } from '../../functions/local/outbox.ts';
import { DEMO_ROSTER, readSeedFiles } from '../../functions/local/seed-files.ts';
import { importRoster } from '../../functions/use-cases/import-roster.ts';
import { loadSeeds } from '../../functions/use-cases/load-seeds.ts';
import { requestUploadSlot } from '../../functions/use-cases/upload-slots.ts';
import { FUNCTION_FILES } from '../../infra/constructs/function-files.ts';
import { PDFKIT_RUNTIME_FILES, REPO_ROOT } from '../../infra/defaults.ts';
import {
  filesUnder,
  type InvocationResult,
  invokePackage,
  type LambdaPackage,
  lambdaPackages,
  localEnvironment,
  repositoryFiles,
  type SecretsManagerStandIn,
  startSecretsManagerStandIn,
} from './support/lambda-packages.ts';

const run = promisify(execFile);
const outdir = mkdtempSync(join(tmpdir(), 'bangfu-cdk-cli-'));
let packages: Record<string, LambdaPackage>;
let synthSeconds = '';

beforeAll(async () => {
  const started = Date.now();
  await run('npx', ['cdk', 'synth', '--quiet', '-o', outdir], {
    cwd: REPO_ROOT,
    env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' },
    timeout: 120_000,
  });
  synthSeconds = ((Date.now() - started) / 1000).toFixed(1);
  packages = lambdaPackages(outdir);
}, 120_000);
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** What each package holds besides its bundle: the files its code reads at run time, nothing else. */
const EXPECTED_ASSETS: Record<string, readonly string[]> = {
  Tick: [...FUNCTION_FILES.email, ...FUNCTION_FILES.cjkFont, ...PDFKIT_RUNTIME_FILES.assets],
  // The console generates documents on demand: the API renders PDFs as the tick does.
  Api: [
    ...FUNCTION_FILES.email,
    ...FUNCTION_FILES.pages,
    ...FUNCTION_FILES.cjkFont,
    ...PDFKIT_RUNTIME_FILES.assets,
  ],
  Ingest: FUNCTION_FILES.email,
  ReminderWorker: FUNCTION_FILES.email,
  SesEvents: FUNCTION_FILES.email,
};

/**
 * `new URL('<relative>', import.meta.url)` in bundled code that resolves to nothing in a package, each
 * with why no deployed function reaches it. Any other such URL must name a file the package holds.
 */
const UNREACHED_FILE_URLS: Record<string, string> = {
  // pdfkit: the colour profile of PDF/A documents; bangfu makes none (no `subset: 'PDF/A-…'`).
  './data/sRGB_IEC61966_2_1.icc': 'pdfkit PDF/A only',
};

describe('npx cdk synth', () => {
  it('synthesises both stacks with a clean validation report', () => {
    for (const stack of ['BangfuStateful', 'BangfuStateless']) {
      expect(existsSync(join(outdir, `${stack}.template.json`)), stack).toBe(true);
    }
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports).toEqual([]);
    console.info(`npx cdk synth (bundling five functions, cdk-nag): ${synthSeconds} s`);
  });

  it('packages each function with its bundle and exactly the files it reads at run time', () => {
    expect(Object.keys(packages).sort()).toEqual(Object.keys(EXPECTED_ASSETS).sort());
    for (const [name, assets] of Object.entries(EXPECTED_ASSETS)) {
      const pkg = packages[name] as LambdaPackage;
      expect(pkg.handlerFile).toBe('functions/handlers/index.mjs');
      const expected = [
        'functions/handlers/index.mjs',
        'functions/handlers/index.mjs.map',
        ...assets.flatMap((asset) => repositoryFiles(REPO_ROOT, asset)),
        ...(name === 'Tick' || name === 'Api' ? ['package.json'] : []),
      ];
      expect(filesUnder(pkg.dir), name).toEqual(expected.sort());
      const bundle = readFileSync(join(pkg.dir, pkg.handlerFile), 'utf8');
      expect(bundle, name).toMatch(/^import \{ createRequire as bangfuCreateRequire \}/);
    }
    for (const renders of [packages.Tick, packages.Api]) {
      expect(JSON.parse(readFileSync(join(renders?.dir as string, 'package.json'), 'utf8'))).toEqual({
        private: true,
        imports: PDFKIT_RUNTIME_FILES.runtimeImports,
      });
    }
  });

  it('finds every file a bundled module locates by import.meta.url inside its package', () => {
    for (const pkg of Object.values(packages)) {
      const handlerDir = dirname(join(pkg.dir, pkg.handlerFile));
      const bundle = readFileSync(join(pkg.dir, pkg.handlerFile), 'utf8');
      const urls = [...bundle.matchAll(/new URL\((["'`])(\.{1,2}\/[^"'`]*)\1,\s*import\.meta\.url\)/g)].map(
        (m) => m[2] as string,
      );
      expect(urls.length, pkg.name).toBeGreaterThan(0);
      for (const url of new Set(urls)) {
        if (UNREACHED_FILE_URLS[url]) continue;
        const target = fileURLToPath(new URL(url, `file://${handlerDir}/`));
        expect(
          relative(pkg.dir, target).startsWith(`..${sep}`),
          `${pkg.name}: ${url} leaves the package`,
        ).toBe(false);
        expect(existsSync(target), `${pkg.name}: ${url} is not in the package`).toBe(true);
      }
    }
  });

  it('keeps every package far below the Lambda limits, and says how big each is', () => {
    const rows: string[] = [];
    for (const pkg of Object.values(packages)) {
      const files = filesUnder(pkg.dir);
      const unzipped = files.reduce((sum, file) => sum + statSync(join(pkg.dir, file)).size, 0);
      const zipped = zipSync(
        Object.fromEntries(files.map((file) => [file, new Uint8Array(readFileSync(join(pkg.dir, file)))])),
        { level: 6 },
      ).length;
      const bundle = statSync(join(pkg.dir, pkg.handlerFile)).size;
      // Lambda: 250 MB unzipped (code deployed from S3, as CDK does), 50 MB zipped for direct upload.
      expect(unzipped, pkg.name).toBeLessThan(250 * 1024 * 1024);
      expect(zipped, pkg.name).toBeLessThan(50 * 1024 * 1024);
      const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
      rows.push(
        `${pkg.name.padEnd(9)} bundle ${mb(bundle)}, package ${mb(unzipped)} (${files.length} files), zipped ${mb(zipped)}`,
      );
    }
    console.info(`Lambda packages:\n${rows.join('\n')}`);
  });
});

/**
 * An API Gateway HTTP API (payload 2.0) request, as the routes deliver it to the function; its
 * cookies in `cookies`, where API Gateway puts them.
 */
function httpEvent(method: string, path: string, cookies?: string[]) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    ...(cookies ? { cookies } : {}),
    headers: { host: 'abc123.execute-api.ap-southeast-1.amazonaws.com', 'user-agent': 'vitest' },
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.ap-southeast-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'vitest' },
      requestId: `request-${Math.random().toString(36).slice(2)}`,
      routeKey: '$default',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
  };
}

const returned = <T>(result: InvocationResult | undefined): T => {
  if (!result?.ok) throw new Error(`invocation failed: ${result && !result.ok ? result.error : 'no result'}`);
  return result.value as T;
};

type HttpResult = { statusCode: number; headers: Record<string, string>; body?: string };

/** The JSON lines of a package's output: Powertools' log entries and its EMF documents. */
function jsonLines(output: readonly string[]): Record<string, unknown>[] {
  return output.flatMap((line) => {
    try {
      const value = JSON.parse(line) as unknown;
      return value && typeof value === 'object' ? [value as Record<string, unknown>] : [];
    } catch {
      return [];
    }
  });
}
const logEntriesOf = (output: readonly string[]) => jsonLines(output).filter((l) => !('_aws' in l));
/** Each EMF document, as its namespace, dimension set and values. */
const metricsOf = (output: readonly string[]) =>
  jsonLines(output)
    .filter((l) => '_aws' in l)
    .map(({ _aws, ...values }) => {
      const [directive] = (_aws as { CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] })
        .CloudWatchMetrics;
      return { namespace: directive?.Namespace, dimensions: directive?.Dimensions, values };
    });
/** An address as a person would recognise it: word characters right before the @. */
const FULL_ADDRESS = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/;

describe('the Lambda packages, each run as Lambda runs it, against the local stand-ins', () => {
  const secretArn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:LinkSigningKey-AbCdEf';
  /** 09:00 Beijing time on 1 March 2022: the tick after the Fujian agreements were due (28 February). */
  const tickTime = new Date('2022-03-01T01:00:00.000Z');
  let home: string;
  let stack: EmbeddedStack;
  let wiring: Wiring;
  let secrets: SecretsManagerStandIn;
  /** The lines each package wrote in its latest run, by function: what its log group would get. */
  const outputs: Record<string, string[]> = {};
  /** Every line any package wrote. */
  const written: string[] = [];
  const invoke = (
    name: string,
    events: readonly unknown[],
    extraEnvironment: Record<string, string> = {},
  ) => {
    const pkg = packages[name] as LambdaPackage;
    const environment = {
      ...localEnvironment(pkg, {
        config: stack.config,
        secretArn,
        secretsManagerEndpoint: secrets.endpoint,
      }),
      ...extraEnvironment,
    };
    const output: string[] = [];
    outputs[name] = output;
    return invokePackage(pkg, environment, events, output).finally(() => written.push(...output));
  };

  beforeAll(async () => {
    // Node resolves bare imports by walking up from the package: nothing above it may hold modules.
    for (let dir = outdir; dir !== dirname(dir); dir = dirname(dir)) {
      expect(existsSync(join(dirname(dir), 'node_modules')), dirname(dir)).toBe(false);
    }
    home = mkdtempSync(join(tmpdir(), 'bangfu-packages-'));
    stack = await startEmbeddedStack({
      home,
      persistent: false,
      ports: { dynamodb: 0, s3: 0, ses: 0, api: 0 },
    });
    // The test's own wiring lives on the tick's day, to open an upload slot as a person would that day.
    wiring = createWiring(stack.config, { clock: () => new Date(tickTime.getTime() + 3600_000) });
    await loadSeeds(wiring.store, await readSeedFiles());
    await importRoster(wiring.store, { name: DEMO_ROSTER, text: await readFile(DEMO_ROSTER, 'utf8') });
    secrets = await startSecretsManagerStandIn(secretArn, stack.config.uploads.ticketSecret);
  }, 120_000);
  afterAll(async () => {
    wiring?.destroy();
    await secrets?.stop();
    await stack?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('the tick reads the key by ARN at cold start, sends the day’s reminders and stores CJK PDFs under documents/', {
    timeout: 120_000,
  }, async () => {
    const [result] = await invoke('Tick', [{ scheduledTime: tickTime.toISOString() }]);
    const summary = returned<{
      day: string;
      messages: number;
      failed: number;
      documents: string[];
      staffMessages: number;
    }>(result);
    expect(summary).toMatchObject({ day: '2022-03-01', failed: 0 });
    expect(summary.messages).toBeGreaterThan(0);
    expect(summary.documents.length).toBeGreaterThan(0);
    expect(secrets.requests).toContain(secretArn);
    // Powertools in the bundle: the entry with the invocation's context, the counts as EMF.
    expect(logEntriesOf(outputs.Tick ?? []).find((l) => l.message === 'tick done')).toMatchObject({
      level: 'INFO',
      service: 'tick',
      function_request_id: 'Tick-request-1',
      cold_start: true,
      messages: summary.messages,
    });
    expect(metricsOf(outputs.Tick ?? [])).toEqual([
      {
        namespace: 'bangfu',
        dimensions: [['service']],
        values: expect.objectContaining({
          service: 'tick',
          RemindersSent: summary.messages,
          RemindersFailed: 0,
          StaffMessagesSent: summary.staffMessages,
          DocumentsStored: new Set(summary.documents).size,
        }),
      },
    ]);

    const listed = await wiring.clients.s3.send(
      new ListObjectsV2Command({ Bucket: stack.config.bucketName, Prefix: 'documents/' }),
    );
    const keys = (listed.Contents ?? []).map((o) => o.Key as string);
    expect(keys).toHaveLength(new Set(summary.documents).size);
    for (const key of keys) {
      const object = await wiring.clients.s3.send(
        new GetObjectCommand({ Bucket: stack.config.bucketName, Key: key }),
      );
      const pdf = Buffer.from(
        await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
      );
      expect(pdf.subarray(0, 5).toString('latin1'), key).toBe('%PDF-');
      // The embedded (subset) CJK font: the font files travelled with the package and were found.
      expect(pdf.toString('latin1'), key).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC-Regular/);
    }
  });

  it('a reminder worker sends the page an SQS message carries, and the same message again sends nothing', {
    timeout: 120_000,
  }, async () => {
    // The direct Fujian agreements, due on the plan's 28 February (§三(一)): their T-3 reminders,
    // as a worker gets them from the tick on Friday 25 February (T-1 falls on the Sunday, so it
    // moves back to the Friday and the two stages go out as one).
    const due = await wiring.store.openObligationsDueBetween('fj-2021', '2022-02-28', '2022-02-28');
    const page = {
      programmeId: 'fj-2021',
      day: '2022-02-25',
      obligations: due.map(({ obligation: { pairingId, kind, year } }) => ({ pairingId, kind, year })),
    };
    const sqsEvent = (messageId: string) => ({
      Records: [
        {
          messageId,
          receiptHandle: `${messageId}-handle`,
          body: encodeDuePage(page),
          attributes: {},
          messageAttributes: {},
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:ReminderQueue',
          awsRegion: 'us-east-1',
        },
      ],
    });
    const before = (await readOutbox(home)).filter((m) => m.stage === 'T-3+T-1').length;

    const [first, again] = await invoke('ReminderWorker', [sqsEvent('m-1'), sqsEvent('m-1')]);

    expect(due.length).toBeGreaterThan(0);
    expect(returned(first)).toEqual({ batchItemFailures: [] });
    expect(returned(again)).toEqual({ batchItemFailures: [] });
    const sent = (await readOutbox(home)).filter((m) => m.stage === 'T-3+T-1').length - before;
    expect(sent).toBe(due.length);
    expect(metricsOf(outputs.ReminderWorker ?? []).map((m) => m.values.RemindersSent)).toEqual([
      due.length,
      0,
    ]);
  });

  it('the API redirects a document link to a presigned GET, renders its pages, and lists documents only for staff', {
    timeout: 120_000,
  }, async () => {
    const outbox = await readOutbox(home);
    const documentLink = outbox
      .filter((m) => m.stage === 'document')
      .map((m) => /\/d\/([\w.-]+)/.exec(m.text ?? '')?.[0])
      .find(Boolean);
    const uploadLink = outbox.map((m) => /\/u\/([\w.-]+)/.exec(m.text ?? '')?.[0]).find(Boolean);
    expect(documentLink).toBeDefined();
    expect(uploadLink).toBeDefined();

    // A staff session as the console's sign-in seals it, under a key derived from the link-signing
    // key the function fetches by ARN.
    const staffAccess = wiring.staff;
    if (!staffAccess || !stack.config.staffSignIn) throw new Error('the local stack has no staff sign-in');
    const { value: session } = await staffAccess.sessions.issue(
      {
        identity: {
          subject: 'staff-1',
          email: 'staff@example.org',
          name: '测试员',
          commissionId: 'fj-provincial-commission',
          role: 'viewer',
        },
        idToken: 'not.used.here',
        expiresAt: Date.now() + 3600_000,
      },
      new Date(),
    );
    // The sign-in settings the function reads: the local provider's (never reached by these requests).
    const signIn = {
      [ENV.staffIssuer]: stack.config.staffSignIn.issuer,
      [ENV.staffClientId]: stack.config.staffSignIn.clientId,
    };
    const results = await invoke(
      'Api',
      [
        httpEvent('GET', documentLink as string),
        // The 2022 links expired long ago by this machine's clock: the refusal is a page of its own.
        httpEvent('GET', uploadLink as string),
        httpEvent('GET', '/staff/documents'),
        httpEvent('GET', '/staff/documents', [`${staffAccess.sessions.sessionCookie.name}=${session}`]),
      ],
      signIn,
    );
    const [download, upload, anonymous, staff] = results.map((r) => returned<HttpResult>(r));

    expect(download?.statusCode).toBe(302);
    const pdf = await fetch(download?.headers.location as string);
    expect(pdf.status).toBe(200);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');

    expect(logEntriesOf(outputs.Api ?? [])).toEqual([
      expect.objectContaining({
        level: 'INFO',
        message: 'link refused',
        service: 'api',
        function_request_id: 'Api-request-2',
        cold_start: false,
        code: 'expired',
      }),
    ]);

    expect(upload?.statusCode).toBe(410);
    expect(upload?.headers['content-type']).toMatch(/^text\/html/);
    expect(upload?.body).toMatch(/<html/i);
    expect(anonymous?.statusCode).toBe(401);
    expect(staff?.statusCode).toBe(200);
    expect(staff?.body).toContain('/d/');
  });

  it('ingest accepts an upload from an EventBridge "Object Created" event (key as is), and a repeat changes nothing', {
    timeout: 120_000,
  }, async () => {
    const outbox = await readOutbox(home);
    const token = outbox
      .filter((m) => m.obligation?.includes('agreement'))
      .map((m) => /\/u\/([\w.-]+)/.exec(m.text ?? '')?.[1])
      .find(Boolean) as string;
    const document = await PDFDocument.create();
    document.addPage().drawText('Pairing agreement, signed');
    const bytes = await document.save();
    const slot = await requestUploadSlot(wiring.uploads, token, {
      filename: 'agreement.pdf',
      contentType: 'application/pdf',
      size: bytes.length,
    });
    const key = slot.fields.key as string;
    // As the browser's presigned POST would (the local S3 does not enforce POST policies anyway).
    await wiring.clients.s3.send(
      new PutObjectCommand({
        Bucket: stack.config.bucketName,
        Key: key,
        Body: bytes,
        ContentType: 'application/pdf',
      }),
    );
    const event = {
      version: '0',
      id: '17793124-05d4-b198-2fde-7ededc63b103',
      'detail-type': 'Object Created',
      source: 'aws.s3',
      account: '123456789012',
      time: new Date().toISOString(),
      region: stack.config.region,
      resources: [`arn:aws:s3:::${stack.config.bucketName}`],
      detail: {
        version: '0',
        bucket: { name: stack.config.bucketName },
        object: {
          key,
          size: bytes.length,
          etag: 'etag',
          'version-id': 'v1',
          sequencer: '00617F08299329D189',
        },
        'request-id': 'N4N7GDK58NMKJ12R',
        requester: '123456789012',
        'source-ip-address': '192.0.2.1',
        reason: 'PostObject',
      },
    };

    const [first, repeat] = await invoke('Ingest', [event, event]);
    expect(returned(first)).toEqual([
      { outcome: 'accepted', slotId: slot.slotId, version: 1, unconfirmed: [] },
    ]);
    expect(returned(repeat)).toEqual([expect.objectContaining({ outcome: 'ignored' })]);
    expect(metricsOf(outputs.Ingest ?? []).map((m) => m.values)).toEqual([
      { service: 'ingest', UploadsAccepted: 1, UploadsRejected: 0, UploadsSetAside: 0 },
      { service: 'ingest', UploadsAccepted: 0, UploadsRejected: 0, UploadsSetAside: 0 },
    ]);
    const listed = await wiring.clients.s3.send(
      new ListObjectsV2Command({ Bucket: stack.config.bucketName }),
    );
    const keys = (listed.Contents ?? []).map((o) => o.Key as string);
    expect(keys).not.toContain(key);
    expect(keys.filter((k) => k.startsWith('submissions/') && k.includes(slot.slotId))).toHaveLength(1);
  });

  it('ses-events records a bounce from the EventBridge event SES sends', { timeout: 120_000 }, async () => {
    const bounce = JSON.parse(
      await readFile(join(REPO_ROOT, 'test/fixtures/events/ses-bounce.json'), 'utf8'),
    ) as unknown;
    const [result] = await invoke('SesEvents', [bounce]);
    expect(returned<{ failed: unknown[] }>(result).failed).toEqual([]);
    expect(metricsOf(outputs.SesEvents ?? []).map((m) => m.values)).toEqual([
      expect.objectContaining({ service: 'ses-events', BouncesMarked: 1, ComplaintsMarked: 0 }),
    ]);
  });

  it('ses-events refuses a bounce with no time at all: logged and counted, the invocation fails', {
    timeout: 120_000,
  }, async () => {
    const bounce = JSON.parse(
      await readFile(join(REPO_ROOT, 'test/fixtures/events/ses-bounce.json'), 'utf8'),
    ) as { time?: string; detail: { bounce: { timestamp?: string }; mail: { timestamp?: string } } };
    delete bounce.time;
    delete bounce.detail.bounce.timestamp;
    delete bounce.detail.mail.timestamp;
    const [result] = await invoke('SesEvents', [bounce]);
    expect(result).toEqual({ ok: false, error: expect.stringContaining('MalformedEventError') });
    expect(logEntriesOf(outputs.SesEvents ?? [])).toEqual([
      expect.objectContaining({
        level: 'ERROR',
        message: 'malformed event',
        service: 'ses-events',
        eventId: 'a6d2d8f4-6f0e-4b4a-9f43-3a1f0b3c2d11',
      }),
    ]);
    expect(metricsOf(outputs.SesEvents ?? []).map((m) => m.values)).toEqual([
      { service: 'ses-events', MalformedEvents: 1 },
    ]);
  });

  it('no package wrote an address in full to its log', () => {
    expect(Object.keys(outputs).sort()).toEqual(['Api', 'Ingest', 'ReminderWorker', 'SesEvents', 'Tick']);
    expect(logEntriesOf(written).length).toBeGreaterThan(5);
    expect(written.filter((line) => FULL_ADDRESS.test(line))).toEqual([]);
  });
});
