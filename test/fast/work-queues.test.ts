/**
 * The two reminder work queues carry a page the same way: the SQS adapter's message body and the
 * in-process queue's are one encoding, and each decodes to the page the tick enqueued (Fujian §三(一):
 * the agreements due 28 February 2022, as the tick of 21 February pages them). The SQS adapter is
 * checked on the requests it builds and the responses it is given, without AWS.
 */
import type { SendMessageBatchCommand, SendMessageBatchResult } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import {
  decodeDuePage,
  encodeDuePage,
  MalformedDuePageError,
  type QueuedMessage,
} from '../../functions/adapters/due-page-messages.ts';
import { inProcessWorkQueue } from '../../functions/adapters/in-process-work-queue.ts';
import { sqsWorkQueue, WorkQueueError } from '../../functions/adapters/sqs-work-queue.ts';
import type { DuePage } from '../../functions/use-cases/ports.ts';

const QUEUE_URL = 'https://sqs.ap-southeast-1.amazonaws.com/123456789012/bangfu-reminders';

const pageOf = (n: number, size = 3): DuePage => ({
  programmeId: 'fj-2021',
  day: '2022-02-21',
  obligations: Array.from({ length: size }, (_, i) => ({
    pairingId: `fj-2021.hospital-${n}-${i}`,
    kind: 'agreement',
    year: 2022,
  })),
});

/** An SQS client that records each SendMessageBatch input and answers with `answer(call)`. */
function recordingSqs(
  answer: (call: number, entries: { Id?: string }[]) => Partial<SendMessageBatchResult> = () => ({}),
) {
  const calls: { QueueUrl?: string; Entries?: { Id?: string; MessageBody?: string }[] }[] = [];
  return {
    calls,
    send: (async (command: SendMessageBatchCommand) => {
      calls.push(command.input);
      return answer(calls.length, command.input.Entries ?? []);
    }) as never,
  };
}

/** The bodies each queue carries for `pages`, in order. */
async function bodiesThroughBoth(pages: DuePage[]) {
  const sqs = recordingSqs();
  await sqsWorkQueue(sqs, QUEUE_URL).enqueue(pages);
  const viaSqs = sqs.calls.flatMap((c) => c.Entries ?? []).map((e) => e.MessageBody ?? '');
  const delivered: QueuedMessage[] = [];
  await inProcessWorkQueue(
    async (messages) => {
      delivered.push(...messages);
      return { outcomes: messages.map((m) => ({ messageId: m.messageId })), retry: [] };
    },
    { concurrency: 1 },
  ).enqueue(pages);
  return { sqs, viaSqs, inProcess: delivered.map((m) => m.body), delivered };
}

describe('a page of due reminders through either work queue (Fujian §三(一))', () => {
  it('is the same message body in SQS and in process, and decodes to the page enqueued', async () => {
    const pages = [pageOf(1), pageOf(2, 200)];
    const { viaSqs, inProcess } = await bodiesThroughBoth(pages);
    expect(viaSqs).toEqual(inProcess);
    expect(viaSqs.map(decodeDuePage)).toEqual(pages);
    // A full page of 200 obligations is far under SQS's 256 KB.
    expect(Buffer.byteLength(viaSqs[1] ?? '')).toBeLessThan(32 * 1024);
  });

  it('carries the page’s identity only: extra fields are not sent', async () => {
    const page = { ...pageOf(1), requestId: 'r-1', obligations: [{ ...pageOf(1).obligations[0], due: 'x' }] };
    const body = encodeDuePage(page as unknown as DuePage);
    expect(JSON.parse(body)).toEqual({
      programmeId: 'fj-2021',
      day: '2022-02-21',
      obligations: [{ pairingId: 'fj-2021.hospital-1-0', kind: 'agreement', year: 2022 }],
    });
  });

  it('refuses a body that is not a page, naming the field and never the value', () => {
    expect(() => decodeDuePage('{"programmeId":')).toThrow(MalformedDuePageError);
    const wrong = JSON.stringify({ ...pageOf(1), day: 'li.si@example.org' });
    expect(() => decodeDuePage(wrong)).toThrow(/^day: /);
    expect(() => decodeDuePage(wrong)).not.toThrow(/li\.si/);
  });

  it('delivers each page to the in-process worker as a batch of one message', async () => {
    const { delivered } = await bodiesThroughBoth([pageOf(1), pageOf(2), pageOf(3)]);
    expect(delivered).toHaveLength(3);
    expect(new Set(delivered.map((m) => m.messageId)).size).toBe(3);
  });
});

describe('the SQS work queue', () => {
  it('sends ten pages to a SendMessageBatch call, to the queue configured', async () => {
    const pages = Array.from({ length: 23 }, (_, n) => pageOf(n));
    const { sqs } = await bodiesThroughBoth(pages);
    expect(sqs.calls.map((c) => c.Entries?.length)).toEqual([10, 10, 3]);
    expect(sqs.calls.every((c) => c.QueueUrl === QUEUE_URL)).toBe(true);
    expect(new Set(sqs.calls[0]?.Entries?.map((e) => e.Id)).size).toBe(10);
  });

  it('sends again only the entries SQS left unsent, then succeeds', async () => {
    const sqs = recordingSqs((call, entries) =>
      call === 1
        ? {
            Successful: [],
            Failed: entries
              .slice(1, 3)
              .map((e) => ({ Id: e.Id ?? '', SenderFault: false, Code: 'InternalError' })),
          }
        : {},
    );
    const waits: number[] = [];
    const queue = sqsWorkQueue(sqs, QUEUE_URL, { backoff: async (attempt) => void waits.push(attempt) });
    await queue.enqueue([pageOf(1), pageOf(2), pageOf(3), pageOf(4)]);
    expect(
      sqs.calls.map((c) =>
        c.Entries?.map((e) => decodeDuePage(e.MessageBody ?? '').obligations[0]?.pairingId),
      ),
    ).toEqual([
      ['fj-2021.hospital-1-0', 'fj-2021.hospital-2-0', 'fj-2021.hospital-3-0', 'fj-2021.hospital-4-0'],
      ['fj-2021.hospital-2-0', 'fj-2021.hospital-3-0'],
    ]);
    expect(waits).toEqual([2]);
  });

  it('fails the enqueue when entries stay unsent, or at once when SQS blames the sender', async () => {
    const unsent = recordingSqs((_, entries) => ({
      Successful: [],
      Failed: [{ Id: entries[0]?.Id ?? '', SenderFault: false, Code: 'ServiceUnavailable' }],
    }));
    const noWait = { backoff: async () => undefined };
    await expect(
      sqsWorkQueue(unsent, QUEUE_URL, { attempts: 3, ...noWait }).enqueue([pageOf(1)]),
    ).rejects.toThrow(WorkQueueError);
    expect(unsent.calls).toHaveLength(3);

    const refused = recordingSqs((_, entries) => ({
      Successful: [],
      Failed: [{ Id: entries[0]?.Id ?? '', SenderFault: true, Code: 'InvalidMessageContents' }],
    }));
    await expect(sqsWorkQueue(refused, QUEUE_URL, noWait).enqueue([pageOf(1)])).rejects.toThrow(
      /refused 1 page/,
    );
    expect(refused.calls).toHaveLength(1);
  });
});
