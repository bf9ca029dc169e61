/**
 * The Lambda packages of a synthesised cloud assembly (`cdk synth -o <dir>`), and a way to run one as
 * Lambda would: a fresh Node process that imports the package's handler file from the package directory,
 * with the environment the template gives the function. Deploy-time references are replaced by the
 * local stand-ins' names; the link-signing key comes from a Secrets Manager stand-in, by ARN, as on AWS.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { AppConfig } from '../../../functions/adapters/config.ts';
import { ENV } from '../../../functions/adapters/env-names.ts';

const run = promisify(execFile);

export interface LambdaPackage {
  /** The function's construct id in the stateless stack: Tick, Api, Ingest, SesEvents. */
  name: string;
  /** The package directory in the cloud assembly. */
  dir: string;
  /** `functions/handlers/index.handler` → the file and export Lambda loads. */
  handlerFile: string;
  handlerExport: string;
  /** As the template sets it: strings, or CloudFormation references. */
  environment: Record<string, unknown>;
  /** The template's application log level (Lambda's advanced logging controls), e.g. `INFO`. */
  applicationLogLevel?: string;
}

interface TemplateResource {
  Type: string;
  Properties: {
    Code?: { S3Key?: string };
    Handler?: string;
    Environment?: { Variables: Record<string, unknown> };
    LoggingConfig?: { ApplicationLogLevel?: string };
  };
  Metadata?: Record<string, string>;
}

/** bangfu's functions in the stateless stack's template, by construct id, with their package directories. */
export function lambdaPackages(outdir: string, stack = 'BangfuStateless'): Record<string, LambdaPackage> {
  const template = JSON.parse(readFileSync(join(outdir, `${stack}.template.json`), 'utf8')) as {
    Resources: Record<string, TemplateResource>;
  };
  const packages: Record<string, LambdaPackage> = {};
  for (const resource of Object.values(template.Resources)) {
    const path = /^[^/]+\/([^/]+)\/Function\/Resource$/.exec(resource.Metadata?.['aws:cdk:path'] ?? '');
    if (resource.Type !== 'AWS::Lambda::Function' || !path) continue;
    const name = path[1] as string;
    const hash = resource.Properties.Code?.S3Key?.replace(/\.zip$/, '');
    const handler = resource.Properties.Handler ?? '';
    const dot = handler.lastIndexOf('.');
    packages[name] = {
      name,
      dir: join(outdir, `asset.${hash}`),
      handlerFile: `${handler.slice(0, dot)}.mjs`,
      handlerExport: handler.slice(dot + 1),
      environment: resource.Properties.Environment?.Variables ?? {},
      ...(resource.Properties.LoggingConfig?.ApplicationLogLevel
        ? { applicationLogLevel: resource.Properties.LoggingConfig.ApplicationLogLevel }
        : {}),
    };
  }
  return packages;
}

/** Every file under `dir`, as sorted POSIX paths relative to it. */
export function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((entry) => {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      return entry.isDirectory() ? filesUnder(dir, path) : [path];
    })
    .sort();
}

/** A repository path (file or directory) as the files it holds. */
export function repositoryFiles(root: string, path: string): string[] {
  return statSync(join(root, path)).isDirectory() ? filesUnder(root, path) : [path];
}

export interface SecretsManagerStandIn {
  endpoint: string;
  /** The SecretId of every GetSecretValue received. */
  readonly requests: string[];
  stop(): Promise<void>;
}

/** Answers GetSecretValue for one ARN with `secret`; anything else is a 400, as an unknown secret. */
export async function startSecretsManagerStandIn(
  arn: string,
  secret: string,
): Promise<SecretsManagerStandIn> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      const target = request.headers['x-amz-target'];
      const { SecretId } = JSON.parse(body || '{}') as { SecretId?: string };
      if (SecretId) requests.push(SecretId);
      response.setHeader('content-type', 'application/x-amz-json-1.1');
      if (target !== 'secretsmanager.GetSecretValue' || SecretId !== arn) {
        response.statusCode = 400;
        response.end(
          JSON.stringify({ __type: 'ResourceNotFoundException', message: `no secret ${SecretId}` }),
        );
        return;
      }
      response.end(
        JSON.stringify({ ARN: arn, Name: 'LinkSigningKey', SecretString: secret, VersionId: 'v1' }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface LocalTargets {
  config: AppConfig;
  secretArn: string;
  secretsManagerEndpoint: string;
  /**
   * The staff sign-in provider the API function is pointed at.
   * @default - an issuer on loopback port 1, where nothing listens (the runs here sign no one in)
   */
  staffSignIn?: { issuer: string; clientId: string; logoutUrl: string };
}

/**
 * The function's environment with each deploy-time reference replaced by its local counterpart, plus
 * what only a local run needs (endpoints, the stand-ins' credentials). A variable the template sets by
 * reference that is not mapped here fails the run, so a new one is never silently left out.
 */
export function localEnvironment(pkg: LambdaPackage, local: LocalTargets): Record<string, string> {
  const { config } = local;
  const byReference: Record<string, string> = {
    [ENV.tableName]: config.tableName,
    [ENV.bucketName]: config.bucketName,
    [ENV.publicUrl]: config.uploads.publicUrl,
    [ENV.ticketSecretArn]: local.secretArn,
    [ENV.sesConfigurationSet]: 'bangfu-local',
    // No SQS here: the packaged tick sends its pages inline (unset is how it runs without a queue),
    // and the worker package is run on the SQS event itself.
    [ENV.reminderQueueUrl]: '',
    [ENV.staffIssuer]: config.staffSignIn?.issuer ?? local.staffSignIn?.issuer ?? 'http://127.0.0.1:1',
    [ENV.staffClientId]: config.staffSignIn?.clientId ?? local.staffSignIn?.clientId ?? 'bangfu-console',
    [ENV.staffLogoutUrl]:
      config.staffSignIn?.logoutEndpoint ?? local.staffSignIn?.logoutUrl ?? 'http://127.0.0.1:1/logout',
  };
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(pkg.environment)) {
    if (typeof value === 'string') environment[name] = value;
    else if (byReference[name] !== undefined) environment[name] = byReference[name];
    else throw new Error(`${pkg.name}: no local value for ${name} = ${JSON.stringify(value)}`);
  }
  return {
    ...environment,
    [ENV.region]: config.region,
    [ENV.dynamodbEndpoint]: config.endpoints.dynamodb ?? '',
    [ENV.s3Endpoint]: config.endpoints.s3 ?? '',
    [ENV.sesEndpoint]: config.endpoints.ses ?? '',
    // The local SES takes any rate; the deployed default (10/s) would only slow the test down.
    [ENV.sesMaxSendRate]: '500',
    AWS_ACCESS_KEY_ID: config.credentials?.accessKeyId ?? 'local',
    AWS_SECRET_ACCESS_KEY: config.credentials?.secretAccessKey ?? 'local',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: local.secretsManagerEndpoint,
    // What the Lambda runtime sets: an execution environment started by an invocation, and the
    // template's log level, which Powertools' logger takes over its own settings.
    AWS_LAMBDA_FUNCTION_NAME: pkg.name,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    ...(pkg.applicationLogLevel ? { AWS_LAMBDA_LOG_LEVEL: pkg.applicationLogLevel } : {}),
    // Nothing from this machine's AWS configuration.
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    PATH: process.env.PATH ?? '/usr/bin:/bin',
  };
}

export type InvocationResult = { ok: true; value: unknown } | { ok: false; error: string };

const RUNNER = `
import { readFileSync, writeFileSync } from 'node:fs';
const [eventsFile, resultsFile, handlerUrl, handlerExport] = process.argv.slice(1);
const handler = (await import(handlerUrl))[handlerExport];
const results = [];
const name = process.env.AWS_LAMBDA_FUNCTION_NAME;
let invocation = 0;
for (const event of JSON.parse(readFileSync(eventsFile, 'utf8'))) {
  invocation += 1;
  const context = {
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:' + name,
    memoryLimitInMB: '512',
    awsRequestId: name + '-request-' + invocation,
    getRemainingTimeInMillis: () => 60000,
  };
  try {
    results.push({ ok: true, value: await handler(event, context) });
  } catch (error) {
    results.push({ ok: false, error: String(error?.stack ?? error) });
  }
}
writeFileSync(resultsFile, JSON.stringify(results));
`;

/**
 * One cold start of the package in a new Node process (cwd = the package, as /var/task on Lambda), then
 * each event in turn, as warm invocations. Throws with the process's output if the cold start fails.
 * Each line the process wrote (standard output, then standard error: what Lambda sends to the log
 * group) is added to `output`.
 */
export async function invokePackage(
  pkg: LambdaPackage,
  environment: Record<string, string>,
  events: readonly unknown[],
  output: string[] = [],
): Promise<InvocationResult[]> {
  const work = await mkdtemp(join(tmpdir(), `bangfu-invoke-${pkg.name}-`));
  try {
    const eventsFile = join(work, 'events.json');
    const resultsFile = join(work, 'results.json');
    await writeFile(eventsFile, JSON.stringify(events));
    const handlerUrl = pathToFileURL(join(pkg.dir, pkg.handlerFile)).href;
    try {
      const { stdout, stderr } = await run(
        process.execPath,
        ['--input-type=module', '-e', RUNNER, eventsFile, resultsFile, handlerUrl, pkg.handlerExport],
        { cwd: pkg.dir, env: environment, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
      );
      output.push(...`${stdout}\n${stderr}`.split('\n').filter(Boolean));
    } catch (error) {
      const failed = error as Error & { stderr?: string; stdout?: string };
      throw new Error(`${pkg.name} did not start or crashed: ${failed.stderr || failed.message}`);
    }
    return JSON.parse(await readFile(resultsFile, 'utf8')) as InvocationResult[];
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
