/**
 * The reminder work queue in one process, for the local stack and the tests: each page is encoded as
 * the SQS adapter encodes it and handed, one message to a batch as the deployed worker gets it, to the
 * worker the reminder worker's handler runs (composition/reminder-worker.ts), at most `concurrency`
 * pages at once. `enqueue` resolves once every page is worked on; a page the worker names for
 * redelivery is not delivered again here (the next tick of the day delivers it anew), but reported
 * through `onPage` with the rest.
 */
import PQueue from 'p-queue';
import type { DuePage, ReminderWorkQueue } from '../use-cases/ports.ts';
import {
  type DuePageBatchOutcome,
  type DuePageOutcome,
  encodeDuePage,
  type QueuedMessage,
} from './due-page-messages.ts';

/** What works on a batch of messages: the deployed worker's code, called in process. */
export type DuePageWorker = (messages: readonly QueuedMessage[]) => Promise<DuePageBatchOutcome>;

export interface InProcessWorkQueueOptions {
  /** Pages worked on at once, as the deployed event source's maximum concurrency. @default 2 */
  concurrency?: number;
  /** Told of each page's outcome, with whether the worker asked for it to be delivered again. */
  onPage?: (outcome: DuePageOutcome & { redeliver: boolean }) => void;
}

export function inProcessWorkQueue(
  worker: DuePageWorker,
  options: InProcessWorkQueueOptions = {},
): ReminderWorkQueue {
  let sequence = 0;
  return {
    async enqueue(pages: readonly DuePage[]) {
      const queue = new PQueue({ concurrency: options.concurrency ?? 2 });
      const runs = pages.map((page) =>
        queue.add(async () => {
          const message = { messageId: `in-process-${++sequence}`, body: encodeDuePage(page) };
          const { outcomes, retry } = await worker([message]);
          for (const outcome of outcomes) {
            options.onPage?.({ ...outcome, redeliver: retry.includes(outcome.messageId) });
          }
        }),
      );
      await Promise.all(runs);
    },
  };
}
