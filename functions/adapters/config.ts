/**
 * One config object for every adapter. Local and AWS differ only here: with endpoints set, the SDK
 * clients talk to the embedded stand-ins; without, to AWS with the default credential chain.
 */
import { z } from 'zod';
import { userFacingError } from '../domain/errors.ts';
import { DEFAULT_MAX_UPLOAD_BYTES } from '../domain/upload.ts';
import { ENV } from './env-names.ts';

const url = z.url({ protocol: /^https?$/ });

/** Messages per second when the account's SES MaxSendRate is not configured. */
export const DEFAULT_SES_MAX_SEND_RATE = 10;

export const appConfigSchema = z.strictObject({
  region: z.string().min(1),
  tableName: z.string().min(3).max(255),
  bucketName: z.string().min(3).max(63),
  /** The From address of every email. */
  sender: z.email(),
  endpoints: z
    .strictObject({ dynamodb: url.optional(), s3: url.optional(), ses: url.optional() })
    .default({}),
  ses: z
    .strictObject({
      configurationSet: z.string().min(1).optional(),
      /** Messages per second at most: the account's SES MaxSendRate (sandbox: 1). */
      maxSendRate: z.coerce.number().positive().default(DEFAULT_SES_MAX_SEND_RATE),
    })
    .default({ maxSendRate: DEFAULT_SES_MAX_SEND_RATE }),
  /** How long a reminder claim protects an unfinished send before another run takes it over. */
  claimLeaseSeconds: z.coerce.number().positive().default(120),
  /**
   * The SQS queue the daily tick hands its pages of due reminders to, for the reminder workers to send
   * (on AWS); without it the tick sends them itself.
   */
  reminderQueueUrl: url.optional(),
  uploads: z.strictObject({
    /** Base URL of the upload and download endpoints, as people open it from an email. */
    publicUrl: url,
    /** HMAC key of the upload links (at least 32 characters; from a secret store on AWS). */
    ticketSecret: z.string().min(32, 'must be at least 32 characters'),
    maxBytes: z.coerce.number().int().positive().default(DEFAULT_MAX_UPLOAD_BYTES),
    /** A link keeps working this many days after the due date, for late submissions. */
    graceDays: z.coerce.number().int().min(0).default(30),
    /**
     * A presigned POST is signed on demand and dies quickly: one signed with a Lambda role's temporary
     * credentials stops working when they expire, whatever expiry it states.
     */
    postExpirySeconds: z.coerce.number().int().min(60).max(3600).default(600),
  }),
  /**
   * Staff sign-in to the console (OpenID Connect: Cognito managed login on AWS, the embedded provider
   * locally). Without it the upload and download links still work; the console says it is not set up.
   */
  staffSignIn: z
    .strictObject({
      /** The issuer to discover, e.g. `https://cognito-idp.<region>.amazonaws.com/<user pool id>`. */
      issuer: url,
      clientId: z.string().min(1),
      /** @default `/logout` on the origin of the issuer's authorization_endpoint (oidc-client.ts) */
      logoutEndpoint: url.optional(),
    })
    .optional(),
  /** Static credentials for the local stand-ins only; on AWS the default provider chain is used. */
  credentials: z.strictObject({ accessKeyId: z.string(), secretAccessKey: z.string() }).optional(),
});

export type AppConfig = z.infer<typeof appConfigSchema>;

export class ConfigError extends userFacingError('config-invalid') {
  override readonly name = 'ConfigError';
}

/** Reads the environment once; throws naming every missing or bad variable. */
export function configFromEnv(env: NodeJS.ProcessEnv): AppConfig {
  const raw = {
    region: env[ENV.region],
    tableName: env[ENV.tableName],
    bucketName: env[ENV.bucketName],
    sender: env[ENV.sender],
    endpoints: {
      dynamodb: env[ENV.dynamodbEndpoint] || undefined,
      s3: env[ENV.s3Endpoint] || undefined,
      ses: env[ENV.sesEndpoint] || undefined,
    },
    ses: {
      configurationSet: env[ENV.sesConfigurationSet] || undefined,
      maxSendRate: env[ENV.sesMaxSendRate] || undefined,
    },
    claimLeaseSeconds: env[ENV.claimLeaseSeconds] || undefined,
    reminderQueueUrl: env[ENV.reminderQueueUrl] || undefined,
    uploads: {
      publicUrl: env[ENV.publicUrl],
      ticketSecret: env[ENV.ticketSecret],
      maxBytes: env[ENV.maxUploadBytes] || undefined,
      graceDays: env[ENV.linkGraceDays] || undefined,
    },
    staffSignIn:
      env[ENV.staffIssuer] || env[ENV.staffClientId] || env[ENV.staffLogoutUrl]
        ? {
            issuer: env[ENV.staffIssuer],
            clientId: env[ENV.staffClientId],
            logoutEndpoint: env[ENV.staffLogoutUrl] || undefined,
          }
        : undefined,
  };
  const parsed = appConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const names: Record<string, string> = {
      region: ENV.region,
      tableName: ENV.tableName,
      bucketName: ENV.bucketName,
      sender: ENV.sender,
      claimLeaseSeconds: ENV.claimLeaseSeconds,
      reminderQueueUrl: ENV.reminderQueueUrl,
    };
    const staffNames: Record<string, string> = {
      issuer: ENV.staffIssuer,
      clientId: ENV.staffClientId,
      logoutEndpoint: ENV.staffLogoutUrl,
    };
    const problems = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '');
      const variable =
        key === 'endpoints'
          ? `BANGFU_${String(issue.path[1]).toUpperCase()}_ENDPOINT`
          : key === 'staffSignIn'
            ? staffNames[String(issue.path[1])]
            : names[key];
      return `${variable ?? key}: ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/** Operational knobs set in the environment (only those set), for any machine, local or AWS. */
export function tuningFromEnv(env: NodeJS.ProcessEnv): Partial<Pick<AppConfig, 'ses' | 'claimLeaseSeconds'>> {
  const number = (name: string) => {
    const value = env[name];
    if (!value) return undefined;
    const n = Number(value);
    if (!(n > 0)) throw new ConfigError(`${name}: must be a positive number, got "${value}"`);
    return n;
  };
  const maxSendRate = number(ENV.sesMaxSendRate);
  const claimLeaseSeconds = number(ENV.claimLeaseSeconds);
  const configurationSet = env[ENV.sesConfigurationSet] || undefined;
  return {
    ...(maxSendRate || configurationSet
      ? {
          ses: {
            maxSendRate: maxSendRate ?? DEFAULT_SES_MAX_SEND_RATE,
            ...(configurationSet ? { configurationSet } : {}),
          },
        }
      : {}),
    ...(claimLeaseSeconds ? { claimLeaseSeconds } : {}),
  };
}

/**
 * The config of a Lambda: the environment, with the link-signing key fetched from Secrets Manager
 * when the environment names its ARN instead of carrying the key (it never sits in plain env on AWS).
 */
export async function loadConfig(env: NodeJS.ProcessEnv): Promise<AppConfig> {
  const arn = env[ENV.ticketSecretArn];
  if (!arn || env[ENV.ticketSecret]) return configFromEnv(env);
  const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const client = new SecretsManagerClient({ region: env[ENV.region] });
  try {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    if (!SecretString) throw new ConfigError(`${ENV.ticketSecretArn}: secret ${arn} has no string value`);
    return configFromEnv({ ...env, [ENV.ticketSecret]: SecretString });
  } finally {
    client.destroy();
  }
}
