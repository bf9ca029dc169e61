/**
 * Real-protocol stand-ins for DynamoDB (dynalite), S3 (s3rver), SES (aws-ses-v2-local) and the staff
 * identity provider (an OpenID Connect provider in Cognito's place), started in this process on
 * loopback. The application reaches them only through the real SDK and OpenID Connect clients, built
 * from the config this returns.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo, Server } from 'node:net';
import { join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { createAwsClients } from '../adapters/aws-clients.ts';
import { type AppConfig, appConfigSchema } from '../adapters/config.ts';
import { tableDefinition } from '../adapters/table-definition.ts';
import { staffSignInUrls } from '../adapters/web/staff-paths.ts';
import { userFacingError } from '../domain/errors.ts';
import { type ApiHost, type HttpHandler, startApiHost } from './api-host.ts';
import { demoStaffAccounts } from './demo-staff.ts';
import type { LocalOidcProvider, StaffAccount } from './oidc-provider.ts';
import { outboxFilePath } from './outbox.ts';
import { startSesRecorder } from './ses-recorder.ts';

const require = createRequire(import.meta.url);

export const LOOPBACK = '127.0.0.1';

export interface StackPorts {
  dynamodb: number;
  s3: number;
  ses: number;
  /** The upload and download endpoints and the console (API Gateway on AWS). */
  api: number;
  /** The staff sign-in provider (Cognito managed login on AWS). */
  oidc: number;
}

export interface EmbeddedStackOptions {
  /** Where state lives (BANGFU_HOME). */
  home: string;
  /** 0 picks a free port. */
  ports?: Partial<StackPorts>;
  /** Keep DynamoDB on disk under `home` (default); tests may run it in memory. */
  persistent?: boolean;
  /** Operational knobs (SES send rate, claim lease) for the config this stack hands out. */
  tuning?: Partial<Pick<AppConfig, 'ses' | 'claimLeaseSeconds'>>;
  /** Base of the links in emails; defaults to this stack's API endpoint. */
  publicUrl?: string;
  /**
   * Start the staff sign-in provider with the demo accounts (default); a command that serves no
   * console (`withStack`) goes without.
   */
  staffSignIn?: boolean;
}

export interface EmbeddedStack {
  config: AppConfig;
  endpoints: StackEndpoints;
  /** Who can sign in to the console here, with their passwords (none without the provider). */
  staffAccounts: readonly StaffAccount[];
  /** Serves the API handler on `endpoints.api`. */
  serve(handler: HttpHandler): void;
  /** S3 ObjectCreated notifications, shaped as real S3 sends them (keys URL-encoded). */
  onObjectCreated(listener: (event: S3Event) => void): void;
  stop(): Promise<void>;
}

export interface StackEndpoints {
  dynamodb: string;
  s3: string;
  ses: string;
  api: string;
  /** The sign-in provider's issuer URL, when it runs. */
  oidc?: string;
}

/** Names and credentials of the local stack; nothing secret: the stand-ins accept any signature. */
export const LOCAL_DEFAULTS = {
  region: 'us-east-1',
  tableName: 'bangfu',
  bucketName: 'bangfu-files',
  sender: 'noreply@bangfu.example.org',
  credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  maxSendRate: 500,
} as const;

export class StackStartError extends userFacingError('stack-start-failed') {
  override readonly name = 'StackStartError';
}

export async function startEmbeddedStack(options: EmbeddedStackOptions): Promise<EmbeddedStack> {
  const persistent = options.persistent ?? true;
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    await mkdir(options.home, { recursive: true });
    const dynamodbPort = await startDynalite(options, persistent, stops);
    const listeners: ((event: S3Event) => void)[] = [];
    const s3Port = await startS3rver(options, stops, (event) => {
      for (const listener of listeners) listener(event);
    });
    const sesPort = await startSes(options, stops);
    let api: ApiHost;
    try {
      api = await startApiHost(LOOPBACK, options.ports?.api ?? 0);
    } catch (error) {
      throw portError('API', options.ports?.api, error);
    }
    stops.push(() => api.close());
    const apiUrl = `http://${LOOPBACK}:${api.port}`;
    const staff = options.staffSignIn === false ? undefined : await startStaffSignIn(options, apiUrl, stops);
    const endpoints: StackEndpoints = {
      dynamodb: `http://${LOOPBACK}:${dynamodbPort}`,
      s3: `http://${LOOPBACK}:${s3Port}`,
      ses: `http://${LOOPBACK}:${sesPort}`,
      api: apiUrl,
      ...(staff ? { oidc: staff.provider.issuer } : {}),
    };
    const config = localConfig(endpoints, {
      ticketSecret: await localTicketSecret(options.home),
      ...(options.tuning ? { tuning: options.tuning } : {}),
      ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
      ...(staff ? { staffSignIn: { issuer: staff.provider.issuer, clientId: staff.provider.clientId } } : {}),
    });
    await provision(config);
    return {
      config,
      endpoints,
      staffAccounts: staff?.accounts ?? [],
      serve: (handler) => api.serve(handler),
      onObjectCreated: (listener) => listeners.push(listener),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

export interface LocalConfigOptions {
  ticketSecret: string;
  tuning?: Partial<Pick<AppConfig, 'ses' | 'claimLeaseSeconds'>>;
  /** Where people open links; defaults to the API endpoint. */
  publicUrl?: string;
  /** The staff sign-in provider, when one runs. */
  staffSignIn?: { issuer: string; clientId: string };
}

export function localConfig(endpoints: StackEndpoints, options: LocalConfigOptions): AppConfig {
  return appConfigSchema.parse({
    region: LOCAL_DEFAULTS.region,
    tableName: LOCAL_DEFAULTS.tableName,
    bucketName: LOCAL_DEFAULTS.bucketName,
    sender: LOCAL_DEFAULTS.sender,
    endpoints: { dynamodb: endpoints.dynamodb, s3: endpoints.s3, ses: endpoints.ses },
    credentials: { ...LOCAL_DEFAULTS.credentials },
    // The stand-in has no sending quota; AWS accounts keep the config default (10/s).
    ses: { maxSendRate: LOCAL_DEFAULTS.maxSendRate },
    uploads: { publicUrl: options.publicUrl ?? endpoints.api, ticketSecret: options.ticketSecret },
    ...(options.staffSignIn ? { staffSignIn: options.staffSignIn } : {}),
    ...options.tuning,
  });
}

/**
 * The key that signs upload links on this machine: made once per BANGFU_HOME, readable only by its
 * owner, never in the repository (on AWS it comes from a secret store).
 */
export async function localTicketSecret(home: string): Promise<string> {
  return localSecretFile(join(home, 'ticket-secret'), 48);
}

async function localSecretFile(path: string, bytes: number): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    const secret = randomBytes(bytes).toString('base64url');
    await writeFile(path, `${secret}\n`, { mode: 0o600, flag: 'wx' }).catch(() => undefined);
    return (await readFile(path, 'utf8')).trim();
  }
}

/**
 * The local OpenID Connect provider with the demo staff accounts, its redirect URIs on the public
 * URL the console is opened at (the API endpoint unless another is given).
 */
async function startStaffSignIn(
  options: EmbeddedStackOptions,
  apiUrl: string,
  stops: (() => Promise<void>)[],
): Promise<{ provider: LocalOidcProvider; accounts: StaffAccount[] }> {
  const accounts = await demoStaffAccounts(options.home);
  const urls = staffSignInUrls(options.publicUrl ?? apiUrl);
  // Loaded only here: the library warns on stderr when it loads on Node 20, and the commands that
  // start a stack without the console (`withStack`) should not print that.
  const { startLocalOidcProvider } = await import('./oidc-provider.ts');
  let provider: LocalOidcProvider;
  try {
    provider = await startLocalOidcProvider({
      home: options.home,
      accounts,
      redirectUris: [urls.callback],
      postLogoutRedirectUris: [urls.afterSignOut],
      port: options.ports?.oidc ?? 0,
      host: LOOPBACK,
    });
  } catch (error) {
    throw portError('staff sign-in (OpenID Connect)', options.ports?.oidc, (error as Error).cause ?? error);
  }
  stops.push(() => provider.close());
  return { provider, accounts };
}

async function startDynalite(
  options: EmbeddedStackOptions,
  persistent: boolean,
  stops: (() => Promise<void>)[],
): Promise<number> {
  const dynalite = require('dynalite') as (opts: object) => Server;
  const path = persistent ? join(options.home, 'dynamodb') : undefined;
  if (path) await mkdir(path, { recursive: true });
  const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const port = await listen(server, options.ports?.dynamodb ?? 0, 'DynamoDB (dynalite)', path);
  stops.push(() => closeServer(server));
  return port;
}

async function startS3rver(
  options: EmbeddedStackOptions,
  stops: (() => Promise<void>)[],
  emit: (event: S3Event) => void,
): Promise<number> {
  const S3rver = require('s3rver') as new (
    opts: object,
  ) => {
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
    on(event: 'event', listener: (event: S3Event) => void): void;
    /** Koa's middleware, composed when the server starts listening. */
    middleware: ((ctx: S3rverContext, next: () => Promise<void>) => Promise<void>)[];
    store: { existsObject(bucket: string, key: string): Promise<boolean> };
  };
  const directory = join(options.home, 's3');
  await mkdir(directory, { recursive: true });
  const server = new S3rver({ address: LOOPBACK, port: options.ports?.s3 ?? 0, silent: true, directory });
  // S3 refuses a PUT with `If-None-Match: *` to a key that holds an object (412), and the files the
  // app writes once rely on it; s3rver ignores the header and overwrites. Checked first, here. Two
  // such PUTs at the same moment may both pass: the stand-in serves one process, not a fleet.
  server.middleware.unshift(async (ctx, next) => {
    const [bucket, ...key] = ctx.path.slice(1).split('/');
    if (
      ctx.method === 'PUT' &&
      ctx.headers['if-none-match'] === '*' &&
      bucket &&
      key.length > 0 &&
      (await server.store.existsObject(decodeURIComponent(bucket), decodeURIComponent(key.join('/'))))
    ) {
      ctx.status = 412;
      ctx.set('Content-Type', 'application/xml');
      ctx.body =
        '<?xml version="1.0" encoding="UTF-8"?><Error><Code>PreconditionFailed</Code>' +
        '<Message>At least one of the pre-conditions you specified did not hold</Message>' +
        '<Condition>If-None-Match</Condition></Error>';
      return;
    }
    await next();
  });
  server.on('event', (event) => {
    // s3rver leaves keys as they are; real S3 URL-encodes them (spaces as '+'): make them alike so
    // the ingest handler decodes keys one way.
    const records = event.Records.filter((r) => r.eventName.startsWith('ObjectCreated:')).map((r) => ({
      ...r,
      s3: {
        ...r.s3,
        object: {
          ...r.s3.object,
          key: encodeURIComponent(r.s3.object.key).replace(/%20/g, '+').replace(/%2F/g, '/'),
        },
      },
    }));
    if (records.length > 0) emit({ Records: records });
  });
  try {
    const address = await server.run();
    stops.push(() => server.close());
    return address.port;
  } catch (error) {
    throw portError('S3 (s3rver)', options.ports?.s3, error);
  }
}

/** What the PUT check above reads and sets of a request in s3rver (a Koa context). */
interface S3rverContext {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  status: number;
  body: unknown;
  set(field: string, value: string): void;
}

async function startSes(options: EmbeddedStackOptions, stops: (() => Promise<void>)[]): Promise<number> {
  const module = (await import('aws-ses-v2-local')) as unknown as {
    default: ((config: { host: string; port: number }) => Promise<Server>) | { default: never };
  };
  const start = (
    typeof module.default === 'function' ? module.default : (module.default as { default: unknown }).default
  ) as (config: { host: string; port: number }) => Promise<Server>;
  // The stand-in keeps mail only in memory (and drops raw messages' own headers): it listens on an
  // internal port behind a proxy that records every sent message in <home>/outbox.jsonl.
  const server = await start({ host: LOOPBACK, port: 0 });
  if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
  stops.push(() => closeServer(server));
  try {
    const recorder = await startSesRecorder({
      upstream: `http://${LOOPBACK}:${(server.address() as AddressInfo).port}`,
      host: LOOPBACK,
      port: options.ports?.ses ?? 0,
      outboxFile: outboxFilePath(options.home),
    });
    stops.push(() => recorder.close());
    return recorder.port;
  } catch (error) {
    throw portError('SES (aws-ses-v2-local)', options.ports?.ses, error);
  }
}

function listen(server: Server, port: number, what: string, path?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error) => reject(portError(what, port, error, path)));
    server.listen(port, LOOPBACK, () => resolve((server.address() as AddressInfo).port));
  });
}

function portError(what: string, port: number | undefined, error: unknown, path?: string): StackStartError {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'EADDRINUSE') {
    return new StackStartError(`${what}: port ${port} on ${LOOPBACK} is already in use`);
  }
  const message = error instanceof Error ? error.message : String(error);
  if (path && /lock/i.test(message)) {
    return new StackStartError(
      `${what}: the state under ${path} is in use by another bangfu process; stop it or use another BANGFU_HOME`,
    );
  }
  return new StackStartError(`${what}: ${message}`);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    (server as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
  });
}

/** Creates the table and bucket if they are not there yet: safe on every start. */
async function provision(config: AppConfig): Promise<void> {
  const clients = createAwsClients(config);
  try {
    await ensureTable(clients.dynamodb, config.tableName);
    await ensureBucket(clients.s3, config.bucketName);
  } finally {
    clients.destroy();
  }
}

async function ensureTable(dynamodb: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
    await dynamodb.send(new CreateTableCommand(tableDefinition(tableName)));
  }
}

async function ensureBucket(s3: S3Client, bucketName: string): Promise<void> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucketName }));
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status !== 404) throw error;
    await s3.send(new CreateBucketCommand({ Bucket: bucketName }));
  }
}
