/**
 * What each function construct of the stateless stack is built from. The stack makes these once (the
 * table, the bucket grants, the key, the shared environment, the alarm topic) and hands the same values
 * to every construct, so functions differ only in what their own construct adds.
 */
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { FunctionEnvironment } from '../defaults.ts';
import type { FilesBucketGrants } from '../grants.ts';
import type { Mail } from './mail.ts';

export interface StatelessFunctionProps {
  /** The table of the stateful stack; the function queries it and its two indexes. */
  readonly table: ITableV2;
  /** Statements on the files bucket, named by account and region so no cross-stack token is needed. */
  readonly files: FilesBucketGrants;
  /** The link-signing key, read by the function at cold start. */
  readonly linkKey: ISecret;
  /** The function's configuration, by the ENV names functions/adapters/config.ts reads. */
  readonly environment: FunctionEnvironment;
  /** X-Ray active tracing. @default false */
  readonly tracing?: boolean;
  /** What every alarm of the construct notifies. */
  readonly alarmAction: IAlarmAction;
}

/** For a function that sends email. */
export interface SendingFunctionProps extends StatelessFunctionProps {
  /** The SES identity and configuration set the function sends through. */
  readonly mail: Mail;
  /**
   * Verified addresses the function may also send to while the SES account is in the sandbox.
   * @default - none
   */
  readonly sandboxRecipients?: readonly string[];
}
