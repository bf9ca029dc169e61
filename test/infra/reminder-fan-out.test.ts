import { afterAll, describe, expect, it } from 'vitest';
import { ENV } from '../../functions/adapters/env-names.ts';
import {
  MAX_REMINDER_WORKERS,
  REMINDER_MAX_RECEIVES,
  reminderWorkerSizing,
} from '../../infra/constructs/reminder-fan-out.ts';
import { arnOf, logicalId, ref, type SynthesisedApp, synthBangfuApp } from './support/bangfu-app.ts';
import {
  ALL_ITEM_ACTIONS,
  alarmMetrics,
  EVERY_OPTION_CONTEXT,
  environmentOf,
  expectAlarm,
  grantStatements,
  propertiesOf,
  type Resources,
  statementsOfRole,
} from './support/stateless-template.ts';

const queueName = (queue: Parameters<typeof logicalId>[0]) => ({
  'Fn::GetAtt': [logicalId(queue), 'QueueName'],
});

describe('the reminder fan-out (ReminderFanOut) in the stateless stack', () => {
  const app = synthBangfuApp();
  const template = app.statelessTemplate;
  const { tick, mail, linkKey, alarms } = app.stateless;
  const { queue, failures, worker } = app.stateless.reminders;
  afterAll(() => app.remove());

  it('queues the pages encrypted, TLS only, redriven to a dead-letter queue after five receives', () => {
    expect(propertiesOf(template, logicalId(queue))).toMatchObject({
      SqsManagedSseEnabled: true,
      // Six times the worker's 15 minutes, so no second worker takes a page the first still works on.
      VisibilityTimeout: 6 * 15 * 60,
      RedrivePolicy: { deadLetterTargetArn: arnOf(failures), maxReceiveCount: REMINDER_MAX_RECEIVES },
    });
    expect(propertiesOf(template, logicalId(failures))).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    for (const q of [queue, failures]) {
      const policies = Object.values(
        template.findResources('AWS::SQS::QueuePolicy', { Properties: { Queues: [ref(q)] } }) as Resources,
      );
      expect(JSON.stringify(policies)).toContain('"aws:SecureTransport":"false"');
    }
  });

  it('delivers one page per invocation, reports batch item failures, at most 10 workers at the default 10 a second', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: arnOf(queue),
      FunctionName: ref(worker.function),
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 10 },
    });
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    expect(propertiesOf(template, logicalId(worker.function))).toMatchObject({ Timeout: 15 * 60 });
  });

  it('gives each worker its share of the SES rate, and the tick the queue’s URL', () => {
    const variables = environmentOf(template, worker);
    expect(variables[ENV.sesMaxSendRate]).toBe('1');
    expect(variables[ENV.reminderQueueUrl]).toBeUndefined();
    expect(environmentOf(template, tick)[ENV.reminderQueueUrl]).toEqual(ref(queue));
  });

  it('lets the tick only send to the queue, and the worker only consume it', () => {
    const tickStatements = statementsOfRole(template, logicalId(tick.role));
    const onQueue = (statements: typeof tickStatements) =>
      statements.filter((s) => JSON.stringify(s.Resource).includes(logicalId(queue)));
    expect(onQueue(tickStatements)).toEqual([
      { Sid: 'EnqueueReminderPages', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: arnOf(queue) },
    ]);
    const workerStatements = statementsOfRole(template, logicalId(worker.role));
    const [consume, ...others] = onQueue(workerStatements);
    expect(others).toEqual([]);
    expect(consume?.Action).toEqual(expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage']));
    expect(consume?.Action).not.toContain('sqs:SendMessage');
    expect(consume?.Resource).toEqual(arnOf(queue));
  });

  it('gives the worker what the tick’s reminders use, and no S3 or queue beyond its own', () => {
    const { logs, query, items } = grantStatements;
    const statements = statementsOfRole(template, logicalId(worker.role)).filter(
      (s) => !JSON.stringify(s.Resource).includes(logicalId(queue)),
    );
    expect(statements).toEqual([
      logs(worker),
      query,
      items('ReadAndRecordReminders', ALL_ITEM_ACTIONS),
      grantStatements.send(mail),
      grantStatements.readKey(linkKey),
    ]);
  });

  it('alarms on a worker error, any dead page, and a page waiting over three hours', () => {
    expectAlarm(template, alarms.topic, alarmMetrics.errors(worker));
    expectAlarm(template, alarms.topic, alarmMetrics.deadLetters(failures));
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Statistic: 'Maximum',
      Dimensions: [{ Name: 'QueueName', Value: queueName(queue) }],
      Period: 300,
      Threshold: 3 * 3600,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [ref(alarms.topic)],
    });
  });
});

describe('the reminder workers’ concurrency, sized to the SES rate', () => {
  it.each([
    [1, 2, 0.5],
    [10, 10, 1],
    [14, 10, 1.4],
    [3.5, 3, 1.166],
    [500, MAX_REMINDER_WORKERS, 50],
  ])('at %s a second: %s workers at %s each', (rate, workers, perWorkerRate) => {
    const sizing = reminderWorkerSizing(rate);
    expect(sizing).toEqual({ workers, perWorkerRate });
    expect(sizing.workers * sizing.perWorkerRate).toBeLessThanOrEqual(rate);
  });

  let app: SynthesisedApp | undefined;
  afterAll(() => app?.remove());

  it('caps the event source and each worker’s rate from bangfu:sesMaxSendRate (the sandbox’s one a second)', () => {
    app = synthBangfuApp(EVERY_OPTION_CONTEXT);
    const { worker } = app.stateless.reminders;
    app.statelessTemplate.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      ScalingConfig: { MaximumConcurrency: 2 },
    });
    expect(environmentOf(app.statelessTemplate, worker)[ENV.sesMaxSendRate]).toBe('0.5');
  });
});
