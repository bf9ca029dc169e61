/**
 * What the people who run `bangfu --aws` (functions/local/deployed.ts) need for its commands: read this
 * stack's outputs, load plans and rosters, read status, make reports and re-run a tick. A managed policy
 * attached to no one, for an administrator to attach to their role or SSO permission set.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import {
  acknowledgeObjectPrefixes,
  CLAIMING_ITEM_ACTIONS,
  type FilesBucketGrants,
  queryTableAndIndexes,
  readLinkKey,
  tableItems,
} from '../grants.ts';
import type { Mail } from './mail.ts';
import { DOCUMENTS_PREFIX } from './scheduled-tick.ts';

export interface OperatorPolicyProps {
  /** The table the CLI loads plans and rosters into and reads status from. */
  readonly table: ITableV2;
  /** Statements on the files bucket; a tick re-run stores generated PDFs in it. */
  readonly files: FilesBucketGrants;
  /** The link-signing key, which a tick re-run needs to sign the links in its emails. */
  readonly linkKey: ISecret;
  /** The SES identity and configuration set a tick re-run sends through. */
  readonly mail: Mail;
  /**
   * Verified addresses a tick re-run may also send to while the SES account is in the sandbox.
   * @default - none
   */
  readonly sandboxRecipients?: readonly string[];
}

export class OperatorPolicy extends ManagedPolicy {
  constructor(scope: Construct, id: string, props: OperatorPolicyProps) {
    const { table, files } = props;
    const stack = Stack.of(scope);
    super(scope, id, {
      description: 'bangfu --aws: load plans and rosters, status, reports, re-run a tick',
      statements: [
        new PolicyStatement({
          sid: 'ReadDeploymentOutputs',
          actions: ['cloudformation:DescribeStacks'],
          resources: [
            stack.formatArn({
              service: 'cloudformation',
              resource: 'stack',
              resourceName: `${stack.stackName}/*`,
            }),
          ],
        }),
        queryTableAndIndexes(table),
        // Loading plans and rosters writes in batches; the tick claims, updates and releases sends.
        tableItems('ReadAndWriteItems', table, [...CLAIMING_ITEM_ACTIONS, 'dynamodb:BatchWriteItem']),
        readLinkKey(props.linkKey),
        props.mail.sendingStatement(props.sandboxRecipients),
        files.objects('StoreGeneratedDocuments', ['s3:PutObject'], [DOCUMENTS_PREFIX]),
      ],
    });
    Validations.of(this).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cloudformation:<AWS::Region>:<AWS::AccountId>:stack/${stack.stackName}/*]`,
      reason: 'A stack ARN ends in an id CloudFormation assigns at creation; the name before it is fixed',
    });
    acknowledgeObjectPrefixes(this, [DOCUMENTS_PREFIX], "an operator's tick re-run stores generated PDFs");
  }
}
