/**
 * What a deployment is configured with: CDK context keys (cdk.json, or `-c key=value` on the command
 * line), read and checked once before any construct is built, so a bad value fails `cdk synth` with the
 * key named instead of failing at deploy or at the first send.
 */
import { z } from 'zod';

/** The context keys, documented in README.md ("Deploying to AWS"). */
export const CONTEXT_KEYS = {
  /** The From address of every email; verified in SES by the deployment. */
  sender: 'bangfu:sender',
  /** Optional: verify the whole domain (DKIM) instead of the single sender address. */
  domain: 'bangfu:domain',
  /** Optional: who receives the alarms (an SNS email subscription to confirm). */
  alarmEmail: 'bangfu:alarmEmail',
  /** Optional, sandbox only: verified recipient addresses the functions may send to. */
  sandboxRecipients: 'bangfu:sandboxRecipients',
  /** Optional: the account's SES MaxSendRate (messages per second); the code's default otherwise. */
  sesMaxSendRate: 'bangfu:sesMaxSendRate',
  /** Optional: X-Ray active tracing for every function (`true` / `false`, default false). */
  tracing: 'bangfu:tracing',
  /**
   * Optional: the upload and download links' own domain, e.g. `bangfu.example.gov.cn`, mapped to the HTTP
   * API; the links in emails use it. Without it they use the API's default endpoint (execute-api).
   */
  apiDomain: 'bangfu:apiDomain',
  /** With `bangfu:apiDomain`: an ACM certificate for it, issued in the stack's region. */
  apiCertificateArn: 'bangfu:apiCertificateArn',
  /**
   * Optional: the staff sign-in pages' own domain (Cognito managed login), e.g. `login.bangfu.example.gov.cn`.
   * Without it they are on the Cognito prefix domain `bangfu-staff-<account>.auth.<region>.amazoncognito.com`.
   */
  staffAuthDomain: 'bangfu:staffAuthDomain',
  /** With `bangfu:staffAuthDomain`: an ACM certificate for it, issued in us-east-1 (Cognito serves it through CloudFront). */
  staffAuthCertificateArn: 'bangfu:staffAuthCertificateArn',
} as const;

/** Keys a deployment may still carry from an earlier version, with what replaced them. */
const RETIRED_KEYS: Record<string, string> = {
  'bangfu:publicUrl':
    'retired: the links use the HTTP API endpoint, or https://<bangfu:apiDomain> with bangfu:apiCertificateArn',
};

export interface DeploySettings {
  readonly sender: string;
  readonly domain?: string;
  readonly alarmEmail?: string;
  /** Empty unless the account is still in the SES sandbox (see `Mail.sendingStatement`). */
  readonly sandboxRecipients: readonly string[];
  readonly sesMaxSendRate?: number;
  readonly tracing: boolean;
  /** With `apiCertificateArn`: the custom domain of the upload and download links. */
  readonly apiDomain?: string;
  readonly apiCertificateArn?: string;
  /** With `staffAuthCertificateArn`: the custom domain of the staff sign-in pages. */
  readonly staffAuthDomain?: string;
  readonly staffAuthCertificateArn?: string;
}

export class SettingsError extends Error {
  override readonly name = 'SettingsError';
}

/** `-c key=a,b` arrives as a string, cdk.json can hold an array: accept both. */
const emailList = z.preprocess(
  (value) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : value,
  z.array(z.email()),
);
const flag = z.preprocess((value) => (typeof value === 'string' ? value === 'true' : value), z.boolean());
const domainName = z.string().regex(/^(?!-)[a-z0-9-]{1,63}(\.[a-z0-9-]{1,63})+$/i, 'must be a domain name');
/** An ACM certificate ARN whose region matches the pattern `region`. */
const certificateArn = (region: string, message: string) =>
  z.string().regex(new RegExp(`^arn:aws[a-z-]*:acm:${region}:\\d{12}:certificate/[\\w-]+$`), message);

const schema = z
  .strictObject({
    sender: z.email(),
    domain: domainName.optional(),
    alarmEmail: z.email().optional(),
    sandboxRecipients: emailList.default([]),
    sesMaxSendRate: z.coerce.number().positive().optional(),
    tracing: flag.default(false),
    apiDomain: domainName.optional(),
    apiCertificateArn: certificateArn('[a-z0-9-]+', 'must be an ACM certificate ARN').optional(),
    staffAuthDomain: domainName.optional(),
    // Cognito takes a custom domain's certificate from us-east-1 only, whatever the pool's region.
    staffAuthCertificateArn: certificateArn(
      'us-east-1',
      'must be an ACM certificate ARN in us-east-1',
    ).optional(),
  })
  .refine((s) => !s.domain || s.sender.toLowerCase().endsWith(`@${s.domain.toLowerCase()}`), {
    path: ['sender'],
    message: 'must be an address at bangfu:domain',
  })
  .refine((s) => !s.apiDomain === !s.apiCertificateArn, {
    path: ['apiCertificateArn'],
    message: 'bangfu:apiDomain and bangfu:apiCertificateArn go together',
  })
  .refine((s) => !s.staffAuthDomain === !s.staffAuthCertificateArn, {
    path: ['staffAuthCertificateArn'],
    message: 'bangfu:staffAuthDomain and bangfu:staffAuthCertificateArn go together',
  });

/** Reads every `bangfu:*` key through `tryGetContext`; throws naming each bad or missing key. */
export function settingsFromContext(tryGetContext: (key: string) => unknown): DeploySettings {
  const retired = Object.entries(RETIRED_KEYS)
    .filter(([key]) => emptyAsUndefined(tryGetContext(key)) !== undefined)
    .map(([key, why]) => `${key}: ${why}`);
  if (retired.length > 0) throw new SettingsError(`invalid CDK context: ${retired.join('; ')}`);
  const raw = Object.fromEntries(
    Object.entries(CONTEXT_KEYS).map(([name, key]) => [name, emptyAsUndefined(tryGetContext(key))]),
  );
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '') as keyof typeof CONTEXT_KEYS;
      return `${CONTEXT_KEYS[name] ?? name}: ${issue.message}`;
    });
    throw new SettingsError(`invalid CDK context: ${problems.join('; ')}`);
  }
  return parsed.data;
}

function emptyAsUndefined(value: unknown): unknown {
  return value === '' || value === null ? undefined : value;
}
