import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { arnOf, logicalId, ref, synthBangfuApp } from './support/bangfu-app.ts';
import {
  ALL_ITEM_ACTIONS,
  alarmMetrics,
  expectAlarm,
  grantStatements,
  propertiesOf,
  statementsOfRole,
} from './support/stateless-template.ts';

describe('the daily tick (ScheduledTick) in the stateless stack', () => {
  const app = synthBangfuApp();
  const template = app.statelessTemplate;
  const { tick, tickSchedule, mail, linkKey, alarms } = app.stateless;
  const tickFailures = app.stateless.node.findChild('TickFailures');
  const scheduleFailures = app.stateless.node.findChild('TickScheduleFailures');
  afterAll(() => app.remove());

  const { logs, deadLetters, query, items, objects } = grantStatements;
  const send = grantStatements.send(mail);
  const readKey = grantStatements.readKey(linkKey);

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

  it('gives the tick 1 GB for the fonts and 15 minutes for a day of paced sends', () => {
    expect(propertiesOf(template, logicalId(tick.function))).toMatchObject({
      MemorySize: 1024,
      Timeout: 15 * 60,
    });
  });

  it('sends a failed tick to its dead-letter queue after two Lambda retries within 6 hours', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      DeadLetterConfig: { TargetArn: arnOf(tickFailures) },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: ref(tick.function),
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 6 * 3600,
    });
  });

  it('gives the tick exactly what it uses: the table, its two indexes, SES, the key, PutObject on documents/, SendMessage to the reminder queue', () => {
    expect(statementsOfRole(template, logicalId(tick.role))).toEqual([
      logs(tick),
      deadLetters(tickFailures),
      query,
      items('ReadAndRecordReminders', ALL_ITEM_ACTIONS),
      send,
      readKey,
      objects('StoreGeneratedDocuments', 's3:PutObject', 'documents/'),
      {
        Sid: 'EnqueueReminderPages',
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Resource: arnOf(app.stateless.reminders.queue),
      },
    ]);
  });

  it('alarms on a tick error and on any dead letter of the tick or of its schedule', () => {
    expectAlarm(template, alarms.topic, alarmMetrics.errors(tick));
    expectAlarm(template, alarms.topic, alarmMetrics.deadLetters(tickFailures));
    expectAlarm(template, alarms.topic, alarmMetrics.deadLetters(scheduleFailures));
  });
});
