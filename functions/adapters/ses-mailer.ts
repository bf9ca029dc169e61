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

export function sesMailer(ses: SESv2Client, options: SesMailerOptions): Mailer {
  // A reminder worker's share of the account's rate may be under one a second (two workers on a
  // sandbox's one): one message per 1/rate seconds then, never one a second.
  const rate = options.maxSendRate;
  const pacing =
    rate >= 1
      ? new PQueue({ intervalCap: Math.floor(rate), interval: 1000 })
      : new PQueue({ intervalCap: 1, interval: Math.ceil(1000 / rate) });
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
