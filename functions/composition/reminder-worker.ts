/**
 * The ReminderWorker function's composition: DynamoDB, SES (paced at the worker's share of the
 * account's rate, set in its environment) and the link signing of the upload links; no S3 object is
 * read or written, only presigned. `reminderWorker` is what the handler runs on each SQS batch and
 * what the in-process work queue runs locally: one code path for a page, however it is delivered.
 */
import { dynamoDocumentClient } from '../adapters/clients/dynamodb.ts';
import { s3Client } from '../adapters/clients/s3.ts';
import { sesClient } from '../adapters/clients/ses.ts';
import type { AppConfig } from '../adapters/config.ts';
import {
  type DuePageBatchOutcome,
  type QueuedMessage,
  remindDuePageMessages,
} from '../adapters/due-page-messages.ts';
import { DynamoStore } from '../adapters/dynamo-store.ts';
import { createReminderRenderer } from '../adapters/email-renderer.ts';
import type { LogEntry } from '../adapters/log-entries.ts';
import { sesMailer } from '../adapters/ses-mailer.ts';
import { type DuePagePorts, remindDuePage } from '../use-cases/remind-due-page.ts';
import { type Clock, duePagePortsOf, uploadPortsOf, wallClock } from './parts.ts';

export function reminderWorkerComposition(
  config: AppConfig,
  clock: Clock = wallClock,
): { ports: () => DuePagePorts } {
  const { documents } = dynamoDocumentClient(config);
  const s3 = s3Client(config);
  const store = new DynamoStore(documents, config.tableName);
  const parts = {
    config,
    store,
    mailer: sesMailer(sesClient(config), config.ses),
    reminderRenderer: createReminderRenderer(),
    uploads: uploadPortsOf(config, { store, s3, clock }),
    clock,
  };
  return { ports: () => duePagePortsOf(parts) };
}

/** Reminds the page of each message with fresh ports (a run id per batch); names those to redeliver. */
export function reminderWorker(
  ports: () => DuePagePorts,
  log: (entry: LogEntry) => void,
): (messages: readonly QueuedMessage[]) => Promise<DuePageBatchOutcome> {
  return (messages) => {
    const batch = ports();
    return remindDuePageMessages(messages, (page) => remindDuePage(batch, page), log);
  };
}
