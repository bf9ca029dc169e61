import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../../functions/adapters/config.ts';
import { DEPLOYED_ENV_OUTPUTS, ENV } from '../../functions/adapters/env-names.ts';
import { LINK_KEY_LENGTH } from '../../infra/constructs/link-signing-key.ts';
import { arnOf, logicalId, ref, type SynthesisedApp, synthBangfuApp } from './support/bangfu-app.ts';
import {
  EVERY_OPTION_CONTEXT,
  environmentOf,
  expectAlarm,
  filesBucketName,
  propertiesOf,
  type Resources,
} from './support/stateless-template.ts';

describe('stateless stack with the default settings (cdk.json)', () => {
  const app = synthBangfuApp();
  const template = app.statelessTemplate;
  const { tick, api, ingest, sesEvents, mail, alarms, linkKey, httpApi, staff, staffClient } = app.stateless;
  const tickFailures = app.stateless.node.findChild('TickFailures');
  const ingestFailures = app.stateless.node.findChild('IngestFailures');
  const sesEventFailures = app.stateless.node.findChild('SesEventFailures');
  const scheduleFailures = app.stateless.node.findChild('TickScheduleFailures');
  const reminderWorker = app.stateless.reminders.worker;
  const reminderFailures = app.stateless.reminders.failures;
  const functions = { tick, api, ingest, sesEvents, reminderWorker };
  afterAll(() => app.remove());

  it('bundles every function as ESM for nodejs22.x on arm64, handler at its repository path', () => {
    for (const [name, fn] of Object.entries(functions)) {
      expect(propertiesOf(template, logicalId(fn.function)), name).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'functions/handlers/index.handler',
        LoggingConfig: {
          LogFormat: 'JSON',
          ApplicationLogLevel: 'INFO',
          SystemLogLevel: 'WARN',
          LogGroup: ref(fn.logGroup),
        },
      });
    }
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  it('configures each function only through the shared ENV names, the mail settings only where it sends', () => {
    const base = [
      ENV.tableName,
      ENV.bucketName,
      ENV.sender,
      ENV.publicUrl,
      ENV.ticketSecretArn,
      'NODE_OPTIONS',
    ];
    const expected = {
      // The tick leaves its pages of due reminders in the queue; each worker sends at its share of the rate.
      tick: [...base, ENV.sesConfigurationSet, ENV.reminderQueueUrl],
      reminderWorker: [...base, ENV.sesConfigurationSet, ENV.sesMaxSendRate],
      // The staff console's sign-in settings go to the one function that serves it; it sends the
      // notice of a returned submission, so it has the mail settings too.
      api: [...base, ENV.sesConfigurationSet, ENV.staffIssuer, ENV.staffClientId, ENV.staffLogoutUrl],
      ingest: [...base, ENV.sesConfigurationSet],
      sesEvents: [...base, ENV.sesConfigurationSet],
    };
    for (const [name, fn] of Object.entries(functions)) {
      const variables = environmentOf(template, fn);
      expect(Object.keys(variables).sort(), name).toEqual(expected[name as keyof typeof expected].sort());
      expect(variables[ENV.tableName], name).toEqual({
        'Fn::ImportValue': expect.stringMatching(/^BangfuStateful:ExportsOutputRefTable/),
      });
      expect(variables[ENV.bucketName], name).toEqual(filesBucketName);
      expect(variables[ENV.sender], name).toBe('noreply@example.org');
      expect(variables[ENV.ticketSecretArn], name).toEqual(ref(linkKey));
      // Without bangfu:apiDomain, links use the API's own endpoint.
      expect(variables[ENV.publicUrl], name).toEqual({ 'Fn::GetAtt': [logicalId(httpApi), 'ApiEndpoint'] });
      expect(variables.NODE_OPTIONS, name).toBe('--enable-source-maps');
      if (variables[ENV.sesConfigurationSet]) {
        expect(variables[ENV.sesConfigurationSet], name).toEqual(ref(mail.configurationSet));
      }
    }
  });

  it.each(Object.keys(functions))(
    'sets every variable the shared config requires, so %s can start',
    (name) => {
      const variables = environmentOf(template, functions[name as keyof typeof functions]);
      // Deploy-time references (table name, configuration set, API endpoint) stand in as plausible literals.
      const env = Object.fromEntries(
        Object.entries(variables).map(([variable, value]) => [
          variable,
          typeof value === 'string'
            ? value
            : variable.endsWith('_URL') || variable.endsWith('_ISSUER')
              ? 'https://abc123.execute-api.ap-southeast-1.amazonaws.com'
              : 'deployed-name',
        ]),
      );
      // The link-signing key is never in the environment: loadConfig fetches it by ARN at cold start and
      // hands configFromEnv the environment plus the key, as here.
      expect(variables[ENV.ticketSecret]).toBeUndefined();
      expect(variables[ENV.ticketSecretArn]).toEqual(ref(linkKey));
      const fetchedKey = { [ENV.ticketSecret]: 'k'.repeat(LINK_KEY_LENGTH) };
      expect(() => configFromEnv({ ...env, ...fetchedKey, [ENV.region]: 'ap-southeast-1' })).not.toThrow();
      expect(() => configFromEnv({ ...env, [ENV.region]: 'ap-southeast-1' })).toThrow(/uploads/);
    },
  );

  it('keeps the logical ids that deployed state lives under: retained resources, the link key, the dead-letter queues', () => {
    // A new logical id makes CloudFormation create the resource anew: a retained one is left behind (an
    // empty user pool, fresh log groups), a new key breaks every link already emailed, a new queue drops
    // the failed events it held. The constructs of the stack build these under their old ids.
    const resources = template.toJSON().Resources as Record<
      string,
      { Type: string; DeletionPolicy?: string }
    >;
    const holdingState = Object.entries(resources)
      .filter(
        ([, r]) =>
          r.DeletionPolicy === 'Retain' ||
          ['AWS::SecretsManager::Secret', 'AWS::SQS::Queue'].includes(r.Type),
      )
      .map(([id]) => id);
    expect(holdingState.sort()).toEqual(
      [
        'Staff35CBA1CE',
        'HttpApiAccessLogsDED8C7A4',
        'ApiLogsCD139AD4',
        'IngestLogs41B5EF21',
        'SesEventsLogsC87499F6',
        'TickLogs2B6DFB4C',
        'LinkSigningKeyD9BC1425',
        'IngestFailuresA08611A6',
        'SesEventFailuresF7C01DEF',
        'TickFailuresA9B2958B',
        'TickScheduleFailures117887A7',
        'ReminderWorkerLogs89D085FB',
        'ReminderQueue424B63FB',
        'ReminderFailuresA8BBD2CE',
      ].sort(),
    );
  });

  it('attaches no AWS managed policy and no wildcard but key prefixes of the files bucket to any role', () => {
    const roles = template.findResources('AWS::IAM::Role') as Resources;
    for (const role of Object.values(roles)) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    const wildcards = [...policies.matchAll(/"([^"]*\*[^"]*)"/g)].map((m) => m[1]);
    expect(new Set(wildcards)).toEqual(
      // The ListBucket condition's value is a key pattern, not a resource.
      new Set(['/incoming/*', '/documents/*', '/submissions/*', '/rejected/*', 'incoming/*']),
    );
  });

  it('keeps failed events 14 days in encrypted, TLS-only queues', () => {
    for (const queue of [
      tickFailures,
      scheduleFailures,
      ingestFailures,
      sesEventFailures,
      reminderFailures,
    ]) {
      expect(propertiesOf(template, logicalId(queue))).toMatchObject({
        MessageRetentionPeriod: 14 * 24 * 3600,
        SqsManagedSseEnabled: true,
      });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [ref(queue)],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('alarms on any function error, any dead letter and any 5xx of the API', () => {
    // And the age of the oldest page of due reminders (test/infra/reminder-fan-out.test.ts).
    template.resourceCountIs('AWS::CloudWatch::Alarm', 12);
    const alarm = (namespace: string, metricName: string, statistic: string, dimensions: object[]) =>
      expectAlarm(template, alarms.topic, { namespace, metricName, statistic, dimensions });
    for (const fn of Object.values(functions)) {
      alarm('AWS/Lambda', 'Errors', 'Sum', [{ Name: 'FunctionName', Value: ref(fn.function) }]);
    }
    for (const queue of [
      tickFailures,
      scheduleFailures,
      ingestFailures,
      sesEventFailures,
      reminderFailures,
    ]) {
      alarm('AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'Maximum', [
        { Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(queue), 'QueueName'] } },
      ]);
    }
    alarm('AWS/ApiGateway', '5xx', 'Sum', [
      { Name: 'ApiId', Value: ref(httpApi) },
      { Name: 'Stage', Value: '$default' },
    ]);
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

  it('outputs the public URL of the links and what the staff console needs to sign in', () => {
    template.hasOutput('PublicUrl', { Value: { 'Fn::GetAtt': [logicalId(httpApi), 'ApiEndpoint'] } });
    template.hasOutput('StaffUserPoolId', { Value: ref(staff) });
    template.hasOutput('StaffConsoleClientId', { Value: ref(staffClient) });
  });

  it('outputs, for bangfu --aws, each variable of the tick’s environment it needs, with the same value', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    const environment = environmentOf(template, tick);
    for (const [key, variable] of Object.entries(DEPLOYED_ENV_OUTPUTS)) {
      expect(outputs[key]?.Value, key).toBeDefined();
      expect(outputs[key]?.Value, key).toEqual(environment[variable]);
    }
    // The key's ARN is an output; the key itself is in no output and no environment.
    expect(outputs.LinkSigningKeyArn?.Value).toEqual(ref(linkKey));
    expect(JSON.stringify(outputs)).not.toContain('SecretString');
  });
});

describe('stateless stack with a domain, an alarm email, sandbox recipients, tracing and an API domain', () => {
  let app: SynthesisedApp;
  const build = () => {
    app ??= synthBangfuApp(EVERY_OPTION_CONTEXT);
    return app;
  };
  afterAll(() => app?.remove());

  it('passes the SES rate to the sending functions and turns on X-Ray', () => {
    const { statelessTemplate: template, stateless } = build();
    for (const fn of [stateless.tick, stateless.ingest, stateless.sesEvents, stateless.api]) {
      expect(propertiesOf(template, logicalId(fn.function))).toMatchObject({
        TracingConfig: { Mode: 'Active' },
        Environment: { Variables: { [ENV.sesMaxSendRate]: '1' } },
      });
    }
  });

  it('subscribes the alarm email to the alarm topic', () => {
    build().statelessTemplate.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.org',
    });
  });
});
