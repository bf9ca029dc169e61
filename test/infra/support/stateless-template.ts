/**
 * Reading the stateless stack's template in assertions: a resource's properties, a role's statements, a
 * function's environment, and the statements and ARNs bangfu's grants render to, as CloudFormation
 * shows them. Shared by the stack's test and the test of each construct in it.
 */
import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { expect } from 'vitest';
import type { Mail } from '../../../infra/constructs/mail.ts';
import type { BangfuFunction } from '../../../infra/defaults.ts';
import { arnOf, logicalId, ref } from './bangfu-app.ts';

export type Statement = {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
};
export type Resources = Record<string, { Properties: Record<string, unknown> }>;

/**
 * Every option of the settings on: a domain, an alarm email, sandbox recipients, tracing, an API domain,
 * a domain of the staff sign-in pages.
 */
export const API_CERTIFICATE_ARN =
  'arn:aws:acm:ap-southeast-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9';
export const STAFF_AUTH_CERTIFICATE_ARN =
  'arn:aws:acm:us-east-1:123456789012:certificate/7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d';
export const EVERY_OPTION_CONTEXT: Record<string, unknown> = {
  'bangfu:sender': 'noreply@bangfu.example.org',
  'bangfu:domain': 'bangfu.example.org',
  'bangfu:alarmEmail': 'ops@example.org',
  'bangfu:sandboxRecipients': 'lead@example.org, coordinator@example.org',
  'bangfu:sesMaxSendRate': '1',
  'bangfu:tracing': 'true',
  'bangfu:apiDomain': 'links.bangfu.example.org',
  'bangfu:apiCertificateArn': API_CERTIFICATE_ARN,
  'bangfu:staffAuthDomain': 'login.bangfu.example.org',
  'bangfu:staffAuthCertificateArn': STAFF_AUTH_CERTIFICATE_ARN,
};

/** The properties of one resource of the template, by logical id. */
export function propertiesOf(template: Template, id: string): Record<string, unknown> {
  const resource = (template.toJSON().Resources as Resources)[id];
  if (!resource) throw new Error(`no resource ${id} in the template`);
  return resource.Properties;
}

/** Every statement of the inline policies attached to a role. */
export function statementsOfRole(template: Template, roleLogicalId: string): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: Match.arrayWith([{ Ref: roleLogicalId }]) },
  }) as Resources;
  return Object.values(policies).flatMap(
    (p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
  );
}

/** A function's environment variables as the template sets them. */
export function environmentOf(template: Template, fn: BangfuFunction): Record<string, unknown> {
  const { Variables } = propertiesOf(template, logicalId(fn.function)).Environment as {
    Variables: Record<string, unknown>;
  };
  return Variables;
}

export const tableArn = {
  'Fn::ImportValue': expect.stringMatching(/^BangfuStateful:ExportsOutputFnGetAttTable.*Arn/),
};
export const indexArn = (name: string) => ({ 'Fn::Join': ['', [tableArn, `/index/${name}`]] });
/** The files bucket's ARN (`suffix` ''), or of its objects under a prefix (`suffix` '/incoming/*'). */
export const filesArn = (suffix: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':s3:::bangfu-files-',
      { Ref: 'AWS::AccountId' },
      '-',
      { Ref: 'AWS::Region' },
      ...(suffix ? [suffix] : []),
    ],
  ],
});
export const filesBucketName = {
  'Fn::Join': ['', ['bangfu-files-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }]],
};
/** An SES ARN as CDK renders it: a literal name joins the last string, a reference stands alone. */
export const sesArn = (resource: string, name: string | object) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':ses:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      ...(typeof name === 'string' ? [`:${resource}/${name}`] : [`:${resource}/`, name]),
    ],
  ],
});

export const ALL_ITEM_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
];

/** The statements of infra/grants.ts (and a function's own) as the template renders them. */
export const grantStatements = {
  logs: (fn: BangfuFunction): Statement => ({
    Sid: 'WriteOwnLogs',
    Effect: 'Allow',
    Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    Resource: arnOf(fn.logGroup),
  }),
  deadLetters: (queue: IConstruct): Statement => ({
    Effect: 'Allow',
    Action: 'sqs:SendMessage',
    Resource: arnOf(queue),
  }),
  query: {
    Sid: 'QueryTableAndIndexes',
    Effect: 'Allow',
    Action: 'dynamodb:Query',
    Resource: [tableArn, indexArn('GSI1'), indexArn('GSI2')],
  } as Statement,
  items: (sid: string, actions: string[]): Statement => ({
    Sid: sid,
    Effect: 'Allow',
    Action: actions,
    Resource: tableArn,
  }),
  objects: (sid: string, action: string | string[], ...prefixes: string[]): Statement => ({
    Sid: sid,
    Effect: 'Allow',
    Action: action,
    Resource: prefixes.length === 1 ? filesArn(`/${prefixes[0]}*`) : prefixes.map((p) => filesArn(`/${p}*`)),
  }),
  /** Sending through the app's identity and configuration set, with no sandbox recipients. */
  send: (mail: Mail): Statement => ({
    Sid: 'SendFromBangfuIdentity',
    Effect: 'Allow',
    Action: ['ses:SendEmail', 'ses:SendRawEmail'],
    Resource: [
      sesArn('identity', ref(mail.identity)),
      sesArn('configuration-set', ref(mail.configurationSet)),
    ],
  }),
  readKey: (linkKey: IConstruct): Statement => ({
    Sid: 'ReadLinkSigningKey',
    Effect: 'Allow',
    Action: 'secretsmanager:GetSecretValue',
    Resource: ref(linkKey),
  }),
};

/** One alarm of bangfu's kind (infra/defaults.ts `alarmOn`) on this metric, notifying `topic`. */
export function expectAlarm(
  template: Template,
  topic: IConstruct,
  metric: { namespace: string; metricName: string; statistic: string; dimensions: object[] },
): void {
  template.hasResourceProperties('AWS::CloudWatch::Alarm', {
    Namespace: metric.namespace,
    MetricName: metric.metricName,
    Statistic: metric.statistic,
    Dimensions: metric.dimensions,
    Period: 300,
    EvaluationPeriods: 1,
    Threshold: 1,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    TreatMissingData: 'notBreaching',
    AlarmActions: [ref(topic)],
    AlarmDescription: Match.stringLikeRegexp('.{40,}'),
  });
}

/** The metrics of a function's error alarm and of a dead-letter queue's alarm. */
export const alarmMetrics = {
  errors: (fn: BangfuFunction) => ({
    namespace: 'AWS/Lambda',
    metricName: 'Errors',
    statistic: 'Sum',
    dimensions: [{ Name: 'FunctionName', Value: ref(fn.function) }],
  }),
  deadLetters: (queue: IConstruct) => ({
    namespace: 'AWS/SQS',
    metricName: 'ApproximateNumberOfMessagesVisible',
    statistic: 'Maximum',
    dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(queue), 'QueueName'] } }],
  }),
};
