/**
 * A reminder worker: SQS delivers one page of the daily tick's due reminders at a time (batch size 1),
 * and the worker sends them at its share of the account's SES rate. The response names every message
 * to deliver again (`reportBatchItemFailures`): a page with a failed send, or a body that is not a page;
 * SQS redelivers it after the visibility timeout and, after five receives, leaves it in the
 * dead-letter queue. A redelivered page sends only what did not go out.
 */
import type { SQSBatchResponse } from 'aws-lambda';
import { loadConfig } from '../adapters/config.ts';
import { reminderWorker, reminderWorkerComposition } from '../composition/reminder-worker.ts';
import { sqsMessagesOf } from './events.ts';
import { functionMetrics } from './metrics.ts';
import { countRun, functionLogger, logEntryTo, observed } from './telemetry.ts';

const composition = reminderWorkerComposition(await loadConfig(process.env));
const logger = functionLogger('reminder-worker');
const metrics = functionMetrics('reminder-worker', logger);
const work = reminderWorker(composition.ports, logEntryTo(logger));

export const handler = observed({ logger, metrics }, async (event: unknown): Promise<SQSBatchResponse> => {
  const { outcomes, retry } = await work(sqsMessagesOf(event));
  countRun(metrics, {
    Pages: outcomes.length,
    RemindersSent: outcomes.reduce((n, o) => n + (o.result?.messages.length ?? 0), 0),
    PagesToRetry: retry.length,
  });
  return { batchItemFailures: retry.map((itemIdentifier) => ({ itemIdentifier })) };
});
