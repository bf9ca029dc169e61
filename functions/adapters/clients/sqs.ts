/** The SQS client the daily tick hands its pages of due reminders to the workers through. */
import { SQSClient } from '@aws-sdk/client-sqs';
import type { AppConfig } from '../config.ts';
import { clientBase } from './common.ts';

export function sqsClient(config: AppConfig): SQSClient {
  // Throttling and 5xx are retried by the SDK's standard strategy; entries SQS still leaves unsent
  // are retried by sqs-work-queue.ts.
  return new SQSClient({ ...clientBase(config), maxAttempts: 5 });
}
