/**
 * What the deployed functions log and count: the handler wrapper with stand-in loggers and metrics,
 * then Powertools' own Logger and Metrics with standard output captured (nothing reaches the terminal).
 */
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ingestLogEntry, type LogEntry, maskAddress } from '../../functions/adapters/log-entries.ts';
import { deliveryProblemCounts, ingestCounts, tickCounts } from '../../functions/adapters/run-metrics.ts';
import { MalformedEventError } from '../../functions/handlers/events.ts';
import { functionMetrics } from '../../functions/handlers/metrics.ts';
import {
  countRun,
  type FunctionLogger,
  type FunctionMetrics,
  functionLogger,
  logEntryTo,
  observed,
} from '../../functions/handlers/telemetry.ts';
import type { DailyTickResult } from '../../functions/use-cases/run-tick.ts';

const FULL_ADDRESS = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/;

const context = (awsRequestId: string) =>
  ({
    functionName: 'BangfuStateless-TickFunction-AbC123',
    functionVersion: '$LATEST',
    invokedFunctionArn:
      'arn:aws:lambda:ap-southeast-1:123456789012:function:BangfuStateless-TickFunction-AbC123',
    memoryLimitInMB: '1024',
    awsRequestId,
  }) as Context;

/** A logger and metrics that keep what they are given. */
function standIns() {
  const logged: { level: string; message: string; attributes: Record<string, unknown> }[] = [];
  const contexts: Context[] = [];
  const entry = (level: string) => (message: string, attributes: Record<string, unknown>) =>
    logged.push({ level, message, attributes });
  const logger: FunctionLogger = {
    addContext: (c) => contexts.push(c),
    info: entry('info'),
    warn: entry('warn'),
    error: entry('error'),
  };
  let stored: Record<string, number> = {};
  const published: Record<string, number>[] = [];
  const metrics: FunctionMetrics = {
    addMetric: (name, _unit, value) => {
      stored[name] = value;
    },
    hasStoredMetrics: () => Object.keys(stored).length > 0,
    publishStoredMetrics: () => {
      published.push(stored);
      stored = {};
    },
  };
  return { logger, metrics, logged, contexts, published };
}

describe('a handler observed', () => {
  it('adds the invocation context to the logs and publishes what the run counted', async () => {
    const { logger, metrics, contexts, published } = standIns();
    const handler = observed({ logger, metrics }, async (event: { n: number }) => {
      countRun(metrics, { RemindersSent: event.n, RemindersFailed: 0 });
      return event.n;
    });
    expect(await handler({ n: 3 }, context('req-1'))).toBe(3);
    expect(contexts.map((c) => c.awsRequestId)).toEqual(['req-1']);
    expect(published).toEqual([{ RemindersSent: 3, RemindersFailed: 0 }]);
  });

  it('publishes nothing when the run counted nothing, and runs without a context', async () => {
    const { logger, metrics, contexts, published } = standIns();
    const handler = observed({ logger, metrics }, async () => ({ ignored: true }));
    expect(await handler({})).toEqual({ ignored: true });
    expect(contexts).toEqual([]);
    expect(published).toEqual([]);
  });

  it('logs and counts a malformed event, then rethrows it for the retries and the dead-letter queue', async () => {
    const { logger, metrics, logged, published } = standIns();
    const malformed = new MalformedEventError('SES bounce', ['detail.mail.messageId: missing']);
    const handler = observed({ logger, metrics }, async () => {
      throw malformed;
    });
    await expect(handler({ id: 'a6d2d8f4-6f0e-4b4a-9f43-3a1f0b3c2d11' })).rejects.toBe(malformed);
    expect(logged).toEqual([
      {
        level: 'error',
        message: 'malformed event',
        attributes: {
          code: 'malformed-event',
          event: 'SES bounce',
          eventId: 'a6d2d8f4-6f0e-4b4a-9f43-3a1f0b3c2d11',
          issues: ['detail.mail.messageId: missing'],
        },
      },
    ]);
    expect(published).toEqual([{ MalformedEvents: 1 }]);
  });

  it('still publishes the counts of a run that then fails, and logs nothing more of the failure', async () => {
    const { logger, metrics, logged, published } = standIns();
    const handler = observed({ logger, metrics }, async () => {
      countRun(metrics, { RemindersSent: 4, RemindersFailed: 1 });
      throw new Error('tick 2022-02-21: 1 message(s) failed');
    });
    await expect(handler({})).rejects.toThrow('1 message(s) failed');
    expect(published).toEqual([{ RemindersSent: 4, RemindersFailed: 1 }]);
    expect(logged).toEqual([]);
  });

  it('redacts an address a malformed-event issue might carry', () => {
    const error = new MalformedEventError('SES bounce', ['detail.bounce: unexpected zhang.san@fjmu.edu.cn']);
    expect(error.issues).toEqual([`detail.bounce: unexpected ${maskAddress('zhang.san@fjmu.edu.cn')}`]);
    expect(error.message).not.toMatch(FULL_ADDRESS);
  });
});

describe('Powertools, as the functions use it', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  /**
   * Every line written to standard output and standard error while `act` runs (Lambda sends both to
   * the log group; Powertools writes warnings and errors to standard error), kept from the terminal.
   */
  async function outputOf(act: () => void | Promise<void>): Promise<string[]> {
    const lines: string[] = [];
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        return true;
      });
    }
    await act();
    vi.restoreAllMocks();
    return lines;
  }

  it('writes a log entry as one JSON line: its level, service, request id and cold start, its fields as masked', async () => {
    // As Lambda sets it for an execution environment started by an invocation.
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    const logger = functionLogger('ingest');
    const entry = ingestLogEntry(
      { key: 'incoming/fj-2021/p/agreement-2022/slot-1234' },
      { outcome: 'set-aside', slotId: 'slot-1234', reason: 'replaced by li.si@xmu.edu.cn' },
    );
    const lines = await outputOf(() => {
      logger.addContext(context('req-1'));
      logEntryTo(logger)(entry);
      logger.addContext(context('req-2'));
      logEntryTo(logger)({ level: 'info', message: 'second' });
    });
    const [first, second] = lines.map((line) => JSON.parse(line));
    expect(lines).toHaveLength(2);
    expect(first).toMatchObject({
      level: 'WARN',
      message: 'ingest',
      service: 'ingest',
      function_request_id: 'req-1',
      cold_start: true,
      key: 'incoming/fj-2021/p/agreement-2022/slot-1234',
      outcome: 'set-aside',
      reason: `replaced by ${maskAddress('li.si@xmu.edu.cn')}`,
    });
    expect(first.timestamp).toEqual(expect.any(String));
    expect(second).toMatchObject({ level: 'INFO', function_request_id: 'req-2', cold_start: false });
    expect(lines.join('\n')).not.toMatch(FULL_ADDRESS);
  });

  it("publishes a run's counts as one EMF document in namespace bangfu, zeros included", async () => {
    const metrics = functionMetrics('ingest', functionLogger('ingest'));
    const lines = await outputOf(() => {
      countRun(metrics, { UploadsAccepted: 1, UploadsRejected: 0, UploadsSetAside: 0 });
      metrics.publishStoredMetrics();
    });
    expect(lines).toHaveLength(1);
    const emf = JSON.parse(lines[0] as string);
    expect(emf._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: 'bangfu',
        Dimensions: [['service']],
        Metrics: [
          { Name: 'UploadsAccepted', Unit: 'Count' },
          { Name: 'UploadsRejected', Unit: 'Count' },
          { Name: 'UploadsSetAside', Unit: 'Count' },
        ],
      },
    ]);
    expect(emf).toMatchObject({
      service: 'ingest',
      UploadsAccepted: 1,
      UploadsRejected: 0,
      UploadsSetAside: 0,
    });
  });
});

describe('what each run counts', () => {
  it('the tick: reminders and staff mail by outcome, and each document stored once', () => {
    const document = { id: 'doc-1' } as DailyTickResult['published']['documents'][number];
    const result = {
      messages: [{}, {}],
      failed: [{}],
      unconfirmed: [{}],
      suppressed: [{}, {}, {}],
      rejected: [],
      published: {
        documents: [document, document, { ...document, id: 'doc-2' }],
        messages: [{}],
        failed: [],
        unconfirmed: [{}],
        suppressed: [{}],
      },
    } as unknown as DailyTickResult;
    expect(tickCounts(result)).toEqual({
      RemindersSent: 2,
      RemindersFailed: 1,
      RemindersUnconfirmed: 1,
      RemindersSuppressed: 3,
      RemindersRejected: 0,
      StaffMessagesSent: 1,
      StaffMessagesFailed: 0,
      StaffMessagesUnconfirmed: 1,
      StaffMessagesSuppressed: 1,
      DocumentsStored: 2,
    });
  });

  it('ingest: uploads accepted, rejected and set aside; ignored objects count in none', () => {
    expect(
      ingestCounts([
        { outcome: 'accepted', slotId: 's1', version: 1, unconfirmed: [] },
        { outcome: 'accepted', slotId: 's2', version: 2, unconfirmed: [] },
        {
          outcome: 'rejected',
          slotId: 's3',
          problem: { code: 'empty', message: '文件为空' },
          unconfirmed: [],
        },
        { outcome: 'set-aside', slotId: 's4', reason: 'another object' },
        { outcome: 'ignored', reason: 'not an upload slot key' },
      ]),
    ).toEqual({ UploadsAccepted: 2, UploadsRejected: 1, UploadsSetAside: 1 });
  });

  it('a complaint: the addresses marked as complaints, the notices and those nobody could be sent', () => {
    const counts = deliveryProblemCounts(
      { kind: 'complaint', messageId: 'm', at: '2022-02-22T01:00:05.000Z', addresses: [] },
      {
        marked: ['a@example.org', 'b@example.org'],
        notices: 1,
        held: [],
        failed: [],
        unconfirmed: [],
        noRecipients: [
          { programmeId: 'js-2022', commission: 'js-provincial-commission', about: 'a@example.org' },
        ],
      },
    );
    expect(counts).toEqual({
      BouncesMarked: 0,
      ComplaintsMarked: 2,
      CommissionNoticesSent: 1,
      CommissionNoticesFailed: 0,
      CommissionNoticesUnconfirmed: 0,
      CommissionNoticesNoRecipients: 1,
    });
  });
});

describe("ingest's log entry", () => {
  it('counts the unconfirmed receipts and masks what a refusal says', () => {
    const entry: LogEntry = ingestLogEntry(
      { key: 'incoming/fj-2021/p/agreement-2022/slot-1234' },
      {
        outcome: 'rejected',
        slotId: 'slot-1234',
        problem: { code: 'type-mismatch', message: 'sent by wang.wu@xmu.edu.cn: not a PDF' },
        unconfirmed: ['wang.wu@xmu.edu.cn'],
      },
    );
    expect(entry).toEqual({
      level: 'info',
      message: 'ingest',
      key: 'incoming/fj-2021/p/agreement-2022/slot-1234',
      outcome: 'rejected',
      slotId: 'slot-1234',
      problem: { code: 'type-mismatch', message: `sent by ${maskAddress('wang.wu@xmu.edu.cn')}: not a PDF` },
      unconfirmedNotices: 1,
    });
  });
});
