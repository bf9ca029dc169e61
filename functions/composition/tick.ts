/**
 * The Tick function's composition: DynamoDB, S3 (documents, link signing), SES, pdfkit; and SQS when
 * the environment names the reminder queue, to which the pairings' reminders then go, page by page,
 * for the reminder workers (composition/reminder-worker.ts) to send.
 */
import { dynamoDocumentClient } from '../adapters/clients/dynamodb.ts';
import { s3Client } from '../adapters/clients/s3.ts';
import { sesClient } from '../adapters/clients/ses.ts';
import { sqsClient } from '../adapters/clients/sqs.ts';
import type { AppConfig } from '../adapters/config.ts';
import { DynamoStore } from '../adapters/dynamo-store.ts';
import {
  createForwardingReminderRenderer,
  createReminderRenderer,
  createStaffMailRenderer,
} from '../adapters/email-renderer.ts';
import { pdfRenderers } from '../adapters/pdf/renderers.ts';
import { sesMailer } from '../adapters/ses-mailer.ts';
import { sqsWorkQueue } from '../adapters/sqs-work-queue.ts';
import type { DailyTickPorts } from '../use-cases/run-tick.ts';
import { type Clock, dailyTickPortsOf, documentPortsOf, uploadPortsOf, wallClock } from './parts.ts';

export function tickComposition(
  config: AppConfig,
  clock: Clock = wallClock,
): { ports: () => DailyTickPorts } {
  const { documents } = dynamoDocumentClient(config);
  const s3 = s3Client(config);
  const store = new DynamoStore(documents, config.tableName);
  const parts = {
    config,
    store,
    mailer: sesMailer(sesClient(config), config.ses),
    reminderRenderer: createReminderRenderer(),
    forwardingReminderRenderer: createForwardingReminderRenderer(),
    staffMail: createStaffMailRenderer(),
    uploads: uploadPortsOf(config, { store, s3, clock }),
    documents: documentPortsOf(config, { store, s3, clock }),
    renderers: pdfRenderers,
    clock,
  };
  const workQueue = config.reminderQueueUrl && sqsWorkQueue(sqsClient(config), config.reminderQueueUrl);
  return { ports: () => dailyTickPortsOf(parts, workQueue ? { workQueue } : {}) };
}
