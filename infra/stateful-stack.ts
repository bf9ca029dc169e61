/**
 * Data that must outlive any deployment: the table (keys and indexes from the same TABLE_KEYS the
 * code queries with) and the files bucket. Secure by default (infra/defaults.ts): nothing public,
 * encrypted, TLS only; the files bucket's requests are logged to an access-log bucket.
 */
import { Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AttributeType, Billing, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { TABLE_KEYS } from '../functions/adapters/dynamo-keys.ts';
import { INCOMING_PREFIX } from '../functions/use-cases/ingest-upload.ts';
import { privateBucketProps } from './defaults.ts';

/** Items carrying this attribute (epoch seconds) are deleted by DynamoDB some time after it passes. */
export const TTL_ATTRIBUTE = TABLE_KEYS.timeToLive;
/** Where ingest puts files it refuses; they expire after REJECTED_RETENTION_DAYS. */
export const REJECTED_PREFIX = 'rejected/';
export const REJECTED_RETENTION_DAYS = 90;
/**
 * Anything still under incoming/ after this long is a leftover (ingest files or sets aside every object
 * it is told of, and its events are retried for six hours at most): it expires.
 */
export const INCOMING_RETENTION_DAYS = 7;

export const FILES_BUCKET_PREFIX = 'bangfu-files';

/** The files bucket's name in the stack's account and region. */
export function filesBucketName(stack: Stack): string {
  return `${FILES_BUCKET_PREFIX}-${stack.account}-${stack.region}`;
}

export class StatefulStack extends Stack {
  readonly table: TableV2;
  readonly files: Bucket;
  readonly accessLogs: Bucket;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const key = (name: string) => ({ name, type: AttributeType.STRING });
    const index = (i: { indexName: string; partitionKey: string; sortKey: string }) => ({
      indexName: i.indexName,
      partitionKey: key(i.partitionKey),
      sortKey: key(i.sortKey),
    });

    this.table = new TableV2(this, 'Table', {
      partitionKey: key(TABLE_KEYS.partitionKey),
      sortKey: key(TABLE_KEYS.sortKey),
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      globalSecondaryIndexes: [index(TABLE_KEYS.byProgramme), index(TABLE_KEYS.openByDueDate)],
      // Housekeeping only: DynamoDB deletes expired items up to about two days late, so nothing may
      // depend on it.
      timeToLiveAttribute: TTL_ATTRIBUTE,
    });

    this.accessLogs = new Bucket(this, 'AccessLogs', {
      ...privateBucketProps(),
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(365) }],
    });

    this.files = new Bucket(this, 'Files', {
      ...privateBucketProps(),
      // A name derived from account and region: the stateless stack scopes grants and the ingest rule
      // to it without cross-stack tokens.
      bucketName: filesBucketName(this),
      versioned: true,
      // Uploads under incoming/ reach the ingest function through EventBridge (stateless stack).
      eventBridgeEnabled: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'files/',
      lifecycleRules: [
        {
          id: 'expire-rejected',
          prefix: REJECTED_PREFIX,
          expiration: Duration.days(REJECTED_RETENTION_DAYS),
          // Versioned: expiring adds a delete marker; the refused file itself goes a day later.
          noncurrentVersionExpiration: Duration.days(1),
        },
        { id: 'remove-rejected-delete-markers', prefix: REJECTED_PREFIX, expiredObjectDeleteMarker: true },
        {
          // Ingest removes each upload once it is filed under submissions/ or rejected/; in a versioned
          // bucket that leaves the bytes as a noncurrent version and a delete marker: both go. An
          // object no event ever reached goes after a week.
          id: 'clear-ingested-uploads',
          prefix: INCOMING_PREFIX,
          expiration: Duration.days(INCOMING_RETENTION_DAYS),
          noncurrentVersionExpiration: Duration.days(1),
        },
        { id: 'remove-incoming-delete-markers', prefix: INCOMING_PREFIX, expiredObjectDeleteMarker: true },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
    });
    // CDK's own deploy-time handler that turns on EventBridge delivery for the bucket.
    const notificationsHandler = this.node.tryFindChild(
      'BucketNotificationsHandler050a0587b7544547bf325f094a3db834',
    );
    const notificationsRole = notificationsHandler?.node.tryFindChild('Role');
    if (notificationsRole) {
      Validations.of(notificationsRole).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          "CDK's bucket-notifications handler runs once per deploy to enable EventBridge delivery; its role is " +
          "CDK's own and carries only the basic execution policy for its logs",
      });
    }
  }
}
