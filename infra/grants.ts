/**
 * The IAM statements bangfu's functions are given, one factory per kind of access: explicit actions on
 * named resources (the table and its two indexes, key prefixes of the files bucket, one secret), never a
 * `grant*` shortcut that adds more. Each function's list, in its construct (infra/constructs/), is what
 * its code calls.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct, IConstruct } from 'constructs';
import { TABLE_KEYS } from '../functions/adapters/dynamo-keys.ts';
import { BangfuFunction } from './defaults.ts';
import { FILES_BUCKET_PREFIX } from './stateful-stack.ts';

/** Item actions DynamoStore issues (functions/adapters/dynamo-store.ts); Query is granted apart. */
export type ItemAction =
  | 'dynamodb:GetItem'
  | 'dynamodb:BatchGetItem'
  | 'dynamodb:PutItem'
  | 'dynamodb:UpdateItem'
  | 'dynamodb:DeleteItem'
  /** Loading plans and rosters only (no function loads them). */
  | 'dynamodb:BatchWriteItem';

/** DynamoStore's item actions for code that claims and releases sends (send-once.ts): all five. */
export const CLAIMING_ITEM_ACTIONS: readonly ItemAction[] = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
];

/** Queries on the table and its two indexes: every function's read path (dynamo-keys.ts). */
export function queryTableAndIndexes(table: ITableV2): PolicyStatement {
  return new PolicyStatement({
    sid: 'QueryTableAndIndexes',
    actions: ['dynamodb:Query'],
    resources: [
      table.tableArn,
      ...[TABLE_KEYS.byProgramme, TABLE_KEYS.openByDueDate].map(
        (index) => `${table.tableArn}/index/${index.indexName}`,
      ),
    ],
  });
}

/** Item reads and writes on the table itself (no index takes writes; no Scan). */
export function tableItems(sid: string, table: ITableV2, actions: readonly ItemAction[]): PolicyStatement {
  return new PolicyStatement({ sid, actions: [...actions], resources: [table.tableArn] });
}

/** Reading the link-signing key, and nothing else in Secrets Manager. */
export function readLinkKey(secret: ISecret): PolicyStatement {
  return new PolicyStatement({
    sid: 'ReadLinkSigningKey',
    actions: ['secretsmanager:GetSecretValue'],
    resources: [secret.secretArn],
  });
}

/**
 * The files bucket by its deterministic name (stateful-stack.ts `filesBucketName`), so a statement
 * carries no cross-stack token and cdk-nag acknowledgements can name its ARNs.
 */
export class FilesBucketGrants {
  readonly bucketName: string;
  readonly bucketArn: string;

  constructor(scope: Construct, bucketName: string) {
    this.bucketName = bucketName;
    this.bucketArn = `arn:${Stack.of(scope).partition}:s3:::${bucketName}`;
  }

  /** `actions` on the objects under each prefix (`incoming/` → `…/incoming/*`). */
  objects(sid: string, actions: readonly string[], prefixes: readonly string[]): PolicyStatement {
    return new PolicyStatement({
      sid,
      actions: [...actions],
      resources: prefixes.map((prefix) => `${this.bucketArn}/${prefix}*`),
    });
  }

  /**
   * `s3:ListBucket` limited to keys under `prefix`. Without any ListBucket, S3 answers a GetObject or
   * HeadObject of a missing key with 403 instead of 404, so code that asks "is it still there?"
   * (ingest, when an event is delivered again after the upload was moved) could not tell "gone" from
   * "forbidden". S3 evaluates the `s3:prefix` condition with the requested key for that decision.
   */
  listKeysUnder(sid: string, prefix: string): PolicyStatement {
    return new PolicyStatement({
      sid,
      actions: ['s3:ListBucket'],
      resources: [this.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } },
    });
  }
}

/**
 * Object grants are scoped to a key prefix of the files bucket: the narrowest S3 allows for objects
 * created at run time, which cdk-nag reports as a wildcard. Acknowledged per prefix, on the function's
 * role or the policy holding the statement.
 */
export function acknowledgeObjectPrefixes(
  grantee: BangfuFunction | IConstruct,
  prefixes: readonly string[],
  why: string,
): void {
  const holder = grantee instanceof BangfuFunction ? grantee.role : grantee;
  for (const prefix of prefixes) {
    Validations.of(holder).acknowledge({
      // How cdk-nag spells the ARN: pseudo parameters in angle brackets.
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${FILES_BUCKET_PREFIX}-<AWS::AccountId>-<AWS::Region>/${prefix}*]`,
      reason: `${why}: objects under ${prefix} only, whose keys are chosen at run time, so no narrower ARN exists`,
    });
  }
}
