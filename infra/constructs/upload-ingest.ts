/**
 * Ingest of uploads: S3 sends "Object Created" to EventBridge (the files bucket's eventBridgeEnabled, in
 * the stateful stack), and a rule here sends those under incoming/ to the ingest function
 * (functions/handlers/ingest.handler.ts), which checks the file, files it under submissions/ or
 * rejected/, records the submission and sends the receipt. A bucket notification straight to the
 * function would make the stateful stack depend on this one. Delivery and Lambda's own retries end in
 * one dead-letter queue; an alarm watches it and the function's errors.
 *
 * Not a construct: the function, the queue and the rule are made directly in `scope` (the stack) under
 * the ids they have always had (Ingest, IngestFailures, UploadCreated), so their logical ids and
 * construct paths stay the same.
 */
import { Duration, type Stack } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { INCOMING_PREFIX } from '../../functions/use-cases/ingest-upload.ts';
import { alarmOnDeadLetters, alarmOnErrors, BangfuFunction, deadLetterQueue } from '../defaults.ts';
import {
  acknowledgeObjectPrefixes,
  CLAIMING_ITEM_ACTIONS,
  queryTableAndIndexes,
  readLinkKey,
  tableItems,
} from '../grants.ts';
import { REJECTED_PREFIX } from '../stateful-stack.ts';
import { FUNCTION_FILES } from './function-files.ts';
import type { SendingFunctionProps } from './function-props.ts';

/** Where ingest files accepted uploads (functions/use-cases/ingest-upload.ts). */
export const SUBMISSIONS_PREFIX = 'submissions/';

export type UploadIngestProps = SendingFunctionProps;

export class UploadIngest {
  readonly ingest: BangfuFunction;
  /** Sends the files bucket's "Object Created" events under incoming/ to the function. */
  readonly rule: Rule;
  /** Upload events that still failed after the rule's and Lambda's retries: their slots stay open. */
  readonly failures: Queue;

  constructor(scope: Stack, props: UploadIngestProps) {
    const { table, files, linkKey, mail, alarmAction } = props;
    this.failures = deadLetterQueue(scope, 'IngestFailures');
    this.ingest = new BangfuFunction(scope, 'Ingest', {
      entry: 'functions/handlers/ingest.handler.ts',
      description: 'bangfu ingest: checks an uploaded file, records the submission, sends the receipt',
      assets: [...FUNCTION_FILES.email],
      environment: props.environment,
      timeout: Duration.minutes(2),
      memorySize: 1024,
      // Lambda retries a failed event twice, then dead-letters it (the same queue as the rule's).
      deadLetterQueue: this.failures,
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      tracing: props.tracing,
    });
    this.rule = new Rule(scope, 'UploadCreated', {
      description: `bangfu: a file uploaded under ${INCOMING_PREFIX} goes to the ingest function`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [files.bucketName] }, object: { key: [{ prefix: INCOMING_PREFIX }] } },
      },
      targets: [
        new LambdaFunction(this.ingest.function, {
          // Delivery retries (throttling, a function being updated); then the dead-letter queue.
          deadLetterQueue: this.failures,
          retryAttempts: 8,
          maxEventAge: Duration.hours(6),
        }),
      ],
    });
    this.ingest.addToRolePolicy(queryTableAndIndexes(table));
    this.ingest.addToRolePolicy(tableItems('RecordSubmissionsAndNotices', table, CLAIMING_ITEM_ACTIONS));
    // GetObject also covers HeadObject and the ETag check of a conditional DeleteObject; the event's
    // version is read (GetObjectVersion) so a later object at the same key cannot stand in for it.
    // Deletes name no version: they leave a delete marker, which the bucket's lifecycle clears.
    this.ingest.addToRolePolicy(
      files.objects(
        'ReadAndClearIncoming',
        ['s3:GetObject', 's3:GetObjectVersion', 's3:DeleteObject'],
        [INCOMING_PREFIX],
      ),
    );
    this.ingest.addToRolePolicy(files.listKeysUnder('TellGoneUploadsFromForbidden', INCOMING_PREFIX));
    this.ingest.addToRolePolicy(
      files.objects('FileSubmissionsAndRejections', ['s3:PutObject'], [SUBMISSIONS_PREFIX, REJECTED_PREFIX]),
    );
    this.ingest.addToRolePolicy(mail.sendingStatement(props.sandboxRecipients));
    this.ingest.addToRolePolicy(readLinkKey(linkKey));
    acknowledgeObjectPrefixes(this.ingest, [INCOMING_PREFIX], 'ingest reads and deletes uploads');
    acknowledgeObjectPrefixes(
      this.ingest,
      [SUBMISSIONS_PREFIX, REJECTED_PREFIX],
      'ingest files accepted and refused uploads',
    );

    alarmOnErrors(
      this.ingest,
      alarmAction,
      'An upload could not be ingested; Lambda retries the event twice, then the dead-letter queue.',
    );
    alarmOnDeadLetters(
      this.failures,
      alarmAction,
      'An uploaded file was not ingested after all retries: its slot stays open. The message holds the ' +
        'event; send it to the ingest function again once the cause is fixed.',
    );
  }
}
