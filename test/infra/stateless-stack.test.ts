import { Match, type Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../../functions/adapters/config.ts';
import { ENV } from '../../functions/adapters/env-names.ts';
import { arnOf, logicalId, ref, type SynthesisedApp, synthBangfuApp } from './support/bangfu-app.ts';

type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: unknown };
type Resources = Record<string, { Properties: Record<string, unknown> }>;

/** The properties of one resource of the template, by logical id. */
function propertiesOf(template: Template, id: string): Record<string, unknown> {
  const resource = (template.toJSON().Resources as Resources)[id];
  if (!resource) throw new Error(`no resource ${id} in the template`);
  return resource.Properties;
}

/** Every statement of the inline policies attached to a role. */
function statementsOfRole(template: Template, roleLogicalId: string): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: Match.arrayWith([{ Ref: roleLogicalId }]) },
  }) as Resources;
  return Object.values(policies).flatMap(
    (p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
  );
}

const tableArn = {
  'Fn::ImportValue': expect.stringMatching(/^BangfuStateful:ExportsOutputFnGetAttTable.*Arn/),
};
const indexArn = (name: string) => ({ 'Fn::Join': ['', [tableArn, `/index/${name}`]] });
/** An SES ARN as CDK renders it: a literal name joins the last string, a reference stands alone. */
const sesArn = (resource: string, name: string | object) => ({
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

describe('stateless stack with the default settings (cdk.json)', () => {
  const app = synthBangfuApp();
  const template = app.statelessTemplate;
  const { tick, tickSchedule, mail, alarms } = app.stateless;
  const tickFailures = app.stateless.node.findChild('TickFailures');
  const scheduleFailures = app.stateless.node.findChild('TickScheduleFailures');
  afterAll(() => app.remove());

  it('schedules the tick at 09:00 Asia/Shanghai every day, exactly on time', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 9 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
    });
    template.resourceCountIs('AWS::Scheduler::Schedule', 1);
  });

  it('passes the scheduled time as input, retries delivery for 6 hours, then dead-letters it', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Target: {
        Arn: arnOf(tick.function),
        Input: JSON.stringify({ scheduledTime: '<aws.scheduler.scheduled-time>' }),
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 6 * 3600 },
        DeadLetterConfig: { Arn: arnOf(scheduleFailures) },
        RoleArn: Match.anyValue(),
      },
    });
    expect(logicalId(tickSchedule)).toMatch(/^TickSchedule/);
  });

  it('lets the scheduler invoke the tick function (no version wildcard) and dead-letter, nothing else', () => {
    const target = propertiesOf(template, logicalId(tickSchedule)).Target as {
      RoleArn: { 'Fn::GetAtt': string[] };
    };
    const role = target.RoleArn['Fn::GetAtt'][0] as string;
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: Match.objectLike({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } }) },
          }),
        ],
      },
    });
    expect(statementsOfRole(template, role)).toEqual([
      { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: arnOf(tick.function) },
      { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: arnOf(scheduleFailures) },
    ]);
  });

  it('bundles the tick as ESM for nodejs22.x on arm64, handler at its repository path', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'functions/handlers/index.handler',
      MemorySize: 1024,
      Timeout: 15 * 60,
    });
  });

  it('logs the tick as JSON into its own log group, kept a year', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: {
        LogFormat: 'JSON',
        ApplicationLogLevel: 'INFO',
        SystemLogLevel: 'WARN',
        LogGroup: ref(tick.logGroup),
      },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  it('configures the tick only through the shared ENV names', () => {
    const { Variables: variables } = propertiesOf(template, logicalId(tick.function)).Environment as {
      Variables: Record<string, unknown>;
    };
    expect(Object.keys(variables).sort()).toEqual(
      [
        ENV.tableName,
        ENV.bucketName,
        ENV.sender,
        ENV.sesConfigurationSet,
        ENV.publicUrl,
        ENV.ticketSecretArn,
        'NODE_OPTIONS',
      ].sort(),
    );
    expect(variables[ENV.sender]).toBe('noreply@example.org');
    expect(variables[ENV.sesConfigurationSet]).toEqual(ref(mail.configurationSet));
    expect(variables.NODE_OPTIONS).toBe('--enable-source-maps');
  });

  it('sets every variable the shared config requires, so the tick can start', () => {
    const { Variables: variables } = propertiesOf(template, logicalId(tick.function)).Environment as {
      Variables: Record<string, unknown>;
    };
    // Deploy-time references (table name, configuration set) stand in as plausible literals.
    const env = Object.fromEntries(
      Object.entries(variables).map(([name, value]) => [
        name,
        typeof value === 'string'
          ? value
          : name.endsWith('_URL')
            ? 'https://bangfu.example.org/'
            : 'deployed-name',
      ]),
    );
    // The link-signing key is never in the environment: loadConfig fetches it by ARN at cold start.
    expect(variables[ENV.ticketSecret]).toBeUndefined();
    expect(variables[ENV.ticketSecretArn]).toBeDefined();
    const fetchedKey = { [ENV.ticketSecret]: 'k'.repeat(64) };
    expect(() => configFromEnv({ ...env, ...fetchedKey, [ENV.region]: 'ap-southeast-1' })).not.toThrow();
  });

  it('sends a tick that failed after two Lambda retries within 6 hours to its dead-letter queue', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      DeadLetterConfig: { TargetArn: arnOf(tickFailures) },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: ref(tick.function),
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 6 * 3600,
    });
  });

  it('gives the tick exactly the DynamoDB and SES actions it uses, on the table, its two indexes and the identity', () => {
    expect(statementsOfRole(template, logicalId(tick.role))).toEqual([
      {
        Sid: 'WriteOwnLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: arnOf(tick.logGroup),
      },
      { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: arnOf(tickFailures) },
      {
        Sid: 'QueryTableAndIndexes',
        Effect: 'Allow',
        Action: 'dynamodb:Query',
        Resource: [tableArn, indexArn('GSI1'), indexArn('GSI2')],
      },
      {
        Sid: 'ReadAndRecordReminders',
        Effect: 'Allow',
        Action: [
          'dynamodb:GetItem',
          'dynamodb:BatchGetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
        ],
        Resource: tableArn,
      },
      {
        Sid: 'SendFromBangfuIdentity',
        Effect: 'Allow',
        Action: ['ses:SendEmail', 'ses:SendRawEmail'],
        Resource: [
          sesArn('identity', ref(mail.identity)),
          sesArn('configuration-set', ref(mail.configurationSet)),
        ],
      },
      {
        Sid: 'ReadLinkSigningKey',
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: { Ref: expect.stringMatching(/^LinkSigningKey/) },
      },
      {
        Sid: 'StoreGeneratedDocuments',
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':s3:::bangfu-files-',
              { Ref: 'AWS::AccountId' },
              '-',
              { Ref: 'AWS::Region' },
              '/documents/*',
            ],
          ],
        },
      },
    ]);
  });

  it('attaches no AWS managed policy and no wildcard to any role of the stack', () => {
    const roles = template.findResources('AWS::IAM::Role') as Resources;
    for (const role of Object.values(roles)) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    // The only wildcards: key prefixes of the files bucket (objects named at run time).
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    const wildcards = [...policies.matchAll(/"([^"]*\*[^"]*)"/g)].map((m) => m[1]);
    expect(new Set(wildcards)).toEqual(
      new Set(['/incoming/*', '/documents/*', '/submissions/*', '/rejected/*']),
    );
  });

  it('verifies the sender address in SES and sends through a configuration set that suppresses bounces', () => {
    template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'noreply@example.org',
      ConfigurationSetAttributes: { ConfigurationSetName: ref(mail.configurationSet) },
    });
    template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      SendingOptions: { SendingEnabled: true },
      ReputationOptions: { ReputationMetricsEnabled: true },
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
    });
  });

  it('routes upload and download links to the API function, and /staff only through the Cognito JWT authorizer', () => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
      (r) => (r as { Properties: { RouteKey: string; AuthorizationType?: string } }).Properties,
    );
    expect(routes.map((r) => r.RouteKey).sort()).toEqual(
      ['GET /d/{token}', 'GET /staff/{proxy+}', 'GET /u/{proxy+}', 'POST /u/{proxy+}'].sort(),
    );
    for (const route of routes) {
      expect(route.AuthorizationType ?? 'NONE', route.RouteKey).toBe(
        route.RouteKey.includes('/staff/') ? 'JWT' : 'NONE',
      );
    }
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'JWT' });
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireSymbols: true }) },
    });
  });

  it('sends uploads under incoming/ of the files bucket to ingest through EventBridge, with retries and a DLQ', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: Match.objectLike({ object: { key: [{ prefix: 'incoming/' }] } }),
      }),
      Targets: [
        Match.objectLike({
          RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 8 }),
          DeadLetterConfig: Match.anyValue(),
        }),
      ],
    });
  });

  it('reports bounces and complaints from the configuration set to the ses-events function', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({ Enabled: true, MatchingEventTypes: ['bounce', 'complaint'] }),
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['aws.ses'], 'detail-type': ['Email Bounced', 'Email Complaint Received'] },
    });
  });

  it('keeps failed events 14 days in encrypted, TLS-only queues', () => {
    for (const queue of [tickFailures, scheduleFailures]) {
      template.hasResourceProperties('AWS::SQS::Queue', {
        MessageRetentionPeriod: 14 * 24 * 3600,
        SqsManagedSseEnabled: true,
      });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [ref(queue)],
        PolicyDocument: {
          Statement: [
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ],
        },
      });
    }
  });

  it('alarms on any tick error and on any message in either dead-letter queue', () => {
    // Errors of tick, API, ingest and ses-events; the dead-letter queues of tick, schedule, ingest, ses-events.
    template.resourceCountIs('AWS::CloudWatch::Alarm', 8);
    const alarm = (namespace: string, metricName: string, statistic: string, dimension: object) =>
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: namespace,
        MetricName: metricName,
        Statistic: statistic,
        Dimensions: [dimension],
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [ref(alarms.topic)],
        AlarmDescription: Match.stringLikeRegexp('.{40,}'),
      });
    alarm('AWS/Lambda', 'Errors', 'Sum', { Name: 'FunctionName', Value: ref(tick.function) });
    for (const queue of [tickFailures, scheduleFailures]) {
      alarm('AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'Maximum', {
        Name: 'QueueName',
        Value: { 'Fn::GetAtt': [logicalId(queue), 'QueueName'] },
      });
    }
  });

  it('notifies alarms through a topic encrypted with a rotated key CloudWatch may use', () => {
    const key = alarms.node.findChild('Key');
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: arnOf(key) });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
    template.resourceCountIs('AWS::SNS::Subscription', 0);
  });
});

describe('stateless stack with a domain, an alarm email, sandbox recipients and tracing', () => {
  let app: SynthesisedApp;
  const build = () => {
    app ??= synthBangfuApp({
      'bangfu:sender': 'noreply@bangfu.example.org',
      'bangfu:domain': 'bangfu.example.org',
      'bangfu:alarmEmail': 'ops@example.org',
      'bangfu:sandboxRecipients': 'lead@example.org, coordinator@example.org',
      'bangfu:sesMaxSendRate': '1',
      'bangfu:tracing': 'true',
    });
    return app;
  };
  afterAll(() => app?.remove());

  it('verifies the domain and outputs its three DKIM records', () => {
    const template = build().statelessTemplate;
    template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'bangfu.example.org' });
    const outputs = Object.keys(template.findOutputs('*', { Description: Match.stringLikeRegexp('^CNAME') }));
    expect(outputs).toHaveLength(3);
  });

  it('lets the tick send to the verified sandbox recipients as well, and to no one else', () => {
    const { statelessTemplate: template, stateless } = build();
    const ses = statementsOfRole(template, logicalId(stateless.tick.role)).find(
      (s) => s.Sid === 'SendFromBangfuIdentity',
    );
    expect(ses?.Resource).toEqual([
      sesArn('identity', { Ref: logicalId(stateless.mail.identity) }),
      sesArn('configuration-set', { Ref: logicalId(stateless.mail.configurationSet) }),
      sesArn('identity', 'lead@example.org'),
      sesArn('identity', 'coordinator@example.org'),
    ]);
  });

  it('passes the SES rate to the tick and turns on X-Ray', () => {
    build().statelessTemplate.hasResourceProperties('AWS::Lambda::Function', {
      TracingConfig: { Mode: 'Active' },
      Environment: { Variables: Match.objectLike({ [ENV.sesMaxSendRate]: '1' }) },
    });
  });

  it('subscribes the alarm email to the alarm topic', () => {
    build().statelessTemplate.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.org',
    });
  });
});
