/**
 * The reminder work queue on AWS: each page of due reminders becomes one SQS message
 * (due-page-messages.ts), sent ten to a SendMessageBatch call, the most SQS takes in one. SQS may
 * accept a batch and still leave some entries unsent (`Failed`): those the service failed are sent
 * again, after a short backoff, up to `attempts` times; an entry SQS refuses as the sender's fault
 * (too large, malformed) fails at once. Either way `enqueue` throws, so the tick fails and its retry
 * enqueues the day again; a page enqueued twice sends nothing twice.
 */
import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { DuePage, ReminderWorkQueue } from '../use-cases/ports.ts';
import { encodeDuePage } from './due-page-messages.ts';

/** The most entries one SendMessageBatch call takes. */
export const SQS_BATCH_LIMIT = 10;

export interface SqsWorkQueueOptions {
  /** Calls per batch, the first included, before unsent entries fail the enqueue. @default 4 */
  attempts?: number;
  /** Waits before the `attempt`-th call (2, 3 …). @default 100 ms, doubling */
  backoff?: (attempt: number) => Promise<void>;
}

export class WorkQueueError extends Error {
  override readonly name = 'WorkQueueError';
}

const defaultBackoff = (attempt: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, 100 * 2 ** (attempt - 2)));

/** The entries of one SendMessageBatch call: ids unique within the call, the page as the body. */
export function sendMessageBatchEntries(pages: readonly DuePage[]): SendMessageBatchRequestEntry[] {
  return pages.map((page, index) => ({ Id: `page-${index}`, MessageBody: encodeDuePage(page) }));
}

export function sqsWorkQueue(
  sqs: Pick<SQSClient, 'send'>,
  queueUrl: string,
  options: SqsWorkQueueOptions = {},
): ReminderWorkQueue {
  const attempts = options.attempts ?? 4;
  const backoff = options.backoff ?? defaultBackoff;

  async function sendBatch(pages: readonly DuePage[]): Promise<void> {
    let pending = sendMessageBatchEntries(pages);
    for (let attempt = 1; ; attempt++) {
      if (attempt > 1) await backoff(attempt);
      const response = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: pending }));
      const failed = response.Failed ?? [];
      const refused = failed.filter((f) => f.SenderFault);
      if (refused.length > 0) {
        throw new WorkQueueError(
          `SQS refused ${refused.length} page(s): ${refused.map((f) => `${f.Code}: ${f.Message}`).join('; ')}`,
        );
      }
      const unsent = new Set(failed.map((f) => f.Id));
      pending = pending.filter((entry) => unsent.has(entry.Id));
      if (pending.length === 0) return;
      if (attempt >= attempts) {
        throw new WorkQueueError(
          `SQS left ${pending.length} page(s) unsent after ${attempts} attempts: ${failed[0]?.Code ?? ''}`,
        );
      }
    }
  }

  return {
    async enqueue(pages) {
      for (let i = 0; i < pages.length; i += SQS_BATCH_LIMIT) {
        await sendBatch(pages.slice(i, i + SQS_BATCH_LIMIT));
      }
    },
  };
}
