/**
 * Sends raw MIME messages through SES v2, within the account's sending rate. Throttling and 5xx are
 * retried with backoff by the SDK client (see aws-clients.ts); what still fails is classified here: a
 * refusal because of recipients is permanent (RecipientRejectedError), anything else is rethrown.
 */
import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import PQueue from 'p-queue';
import type { OutboundEmail } from '../domain/email.ts';
import { type Mailer, RecipientRejectedError } from '../use-cases/ports.ts';
import { composeMime } from './mime.ts';

export interface SesMailerOptions {
  /** SES configuration set that reports bounces and complaints. */
  configurationSet?: string;
  /** Messages per second at most (the account's MaxSendRate). */
  maxSendRate: number;
}

/**
 * How many messages go out per interval so that `rate` a second is never exceeded: whole messages a
 * second, or, for a reminder worker's share under one a second (two workers on a sandbox's one), one
 * message per 1/rate seconds, never one a second.
 */
export function pacingOf(rate: number): { intervalCap: number; interval: number } {
  if (!(rate > 0)) throw new RangeError(`the SES send rate must be above 0 a second: ${rate}`);
  return rate >= 1
    ? { intervalCap: Math.floor(rate), interval: 1000 }
    : { intervalCap: 1, interval: Math.ceil(1000 / rate) };
}

export function sesMailer(ses: SESv2Client, options: SesMailerOptions): Mailer {
  const pacing = new PQueue(pacingOf(options.maxSendRate));
  return {
    async send(email: OutboundEmail, hooks?: { onDispatch?: () => Promise<void> }) {
      const raw = await composeMime(email);
      return pacing.add(async () => {
        await hooks?.onDispatch?.();
        try {
          const response = await ses.send(
            new SendEmailCommand({
              FromEmailAddress: email.from,
              Destination: { ToAddresses: email.to, CcAddresses: email.cc },
              Content: { Raw: { Data: raw } },
              ...(options.configurationSet ? { ConfigurationSetName: options.configurationSet } : {}),
            }),
          );
          if (!response.MessageId) throw new Error('SES accepted the message but returned no MessageId');
          return { messageId: response.MessageId };
        } catch (error) {
          if (isRecipientRejection(error)) {
            throw new RecipientRejectedError(`${(error as Error).name}: ${(error as Error).message}`, {
              cause: error,
            });
          }
          throw error;
        }
      }) as Promise<{ messageId: string }>;
    },
  };
}

function isRecipientRejection(error: unknown): boolean {
  const e = error as { name?: string; message?: string };
  if (e.name === 'MessageRejected') return true;
  return e.name === 'BadRequestException' && /address|recipient|destination/i.test(e.message ?? '');
}
