import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { tableDefinition } from '../../functions/adapters/table-definition.ts';
import { INCOMING_PREFIX } from '../../functions/use-cases/ingest-upload.ts';
import { INCOMING_RETENTION_DAYS, REJECTED_PREFIX, TTL_ATTRIBUTE } from '../../infra/stateful-stack.ts';
import { logicalId, synthBangfuApp } from './support/bangfu-app.ts';

const app = synthBangfuApp();
const template = app.statefulTemplate;
afterAll(() => app.remove());

type Statement = Record<string, unknown>;
const bucketPolicyOf = (bucketLogicalId: string): Statement[] =>
  Object.values(
    template.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: bucketLogicalId } } }),
  ).flatMap(
    (p) =>
      (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument
        .Statement,
  );

describe('stateful stack', () => {
  it('declares the same keys and indexes the local stack creates', () => {
    const local = tableDefinition('bangfu');
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: local.KeySchema,
      GlobalSecondaryIndexes: (local.GlobalSecondaryIndexes ?? []).map((gsi) =>
        Match.objectLike({ IndexName: gsi.IndexName, KeySchema: gsi.KeySchema }),
      ),
      BillingMode: 'PAY_PER_REQUEST',
    });
  });

  it('protects the table: point-in-time recovery, deletion protection, retained', () => {
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        Replicas: [
          Match.objectLike({
            DeletionProtectionEnabled: true,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          }),
        ],
      }),
    });
  });

  it('expires items by their expiresAt attribute', () => {
    expect(TTL_ATTRIBUTE).toBe('expiresAt');
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('keeps the files bucket private, encrypted, versioned, retained and TLS-only', () => {
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        VersioningConfiguration: { Status: 'Enabled' },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      }),
    });
    const statements = bucketPolicyOf(logicalId(app.stateful.files));
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
    );
    // Nothing in the bucket policy allows anyone anything: access is only through IAM roles.
    expect(statements.filter((s) => s.Effect === 'Allow')).toEqual([]);
  });

  it('sends every object event of the files bucket to EventBridge (ingest listens there)', () => {
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: logicalId(app.stateful.files) },
      NotificationConfiguration: { EventBridgeConfiguration: {} },
    });
  });

  it('expires refused files 90 days after upload, versions included, and aborts stale uploads', () => {
    expect(REJECTED_PREFIX).toBe('rejected/');
    template.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            Prefix: 'rejected/',
            ExpirationInDays: 90,
            NoncurrentVersionExpiration: { NoncurrentDays: 1 },
            Status: 'Enabled',
          }),
          Match.objectLike({ Prefix: 'rejected/', ExpiredObjectDeleteMarker: true, Status: 'Enabled' }),
          Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 }, Status: 'Enabled' }),
        ]),
      },
    });
    // Submissions themselves never expire: the only expiring rules are scoped to rejected/, and to
    // uploads under incoming/ (ingest filed them elsewhere, or set them aside, before removing them).
    const files = template.findResources('AWS::S3::Bucket', {
      Properties: { VersioningConfiguration: { Status: 'Enabled' } },
    });
    const rules = Object.values(files).flatMap(
      (b) =>
        (b as { Properties: { LifecycleConfiguration: { Rules: Statement[] } } }).Properties
          .LifecycleConfiguration.Rules,
    );
    for (const rule of rules.filter((r) => r.ExpirationInDays || r.NoncurrentVersionExpiration)) {
      expect(['rejected/', 'incoming/']).toContain(rule.Prefix);
      if (rule.Prefix === 'incoming/') expect(rule.ExpirationInDays).toBe(INCOMING_RETENTION_DAYS);
    }
  });

  it('clears what is left under incoming/: versions and delete markers after a day, any object after a week', () => {
    expect(INCOMING_PREFIX).toBe('incoming/');
    // Longer than any ingest retry (events are retried for up to six hours), so only leftovers expire.
    expect(INCOMING_RETENTION_DAYS).toBeGreaterThanOrEqual(2);
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          {
            Id: 'clear-ingested-uploads',
            Prefix: 'incoming/',
            ExpirationInDays: INCOMING_RETENTION_DAYS,
            NoncurrentVersionExpiration: { NoncurrentDays: 1 },
            Status: 'Enabled',
          },
          {
            Id: 'remove-incoming-delete-markers',
            Prefix: 'incoming/',
            ExpiredObjectDeleteMarker: true,
            Status: 'Enabled',
          },
        ]),
      },
    });
  });

  it('logs every request to the files bucket into a private access-log bucket, by bucket policy', () => {
    const logs = logicalId(app.stateful.accessLogs);
    template.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { DestinationBucketName: { Ref: logs }, LogFilePrefix: 'files/' },
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: Match.objectLike({
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      }),
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 365 })] },
    });
    expect(bucketPolicyOf(logs)).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Action: 's3:PutObject',
      }),
    );
  });
});
