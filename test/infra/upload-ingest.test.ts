import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { INCOMING_PREFIX } from '../../functions/use-cases/ingest-upload.ts';
import { arnOf, logicalId, ref, synthBangfuApp } from './support/bangfu-app.ts';
import {
  ALL_ITEM_ACTIONS,
  alarmMetrics,
  expectAlarm,
  filesArn,
  filesBucketName,
  grantStatements,
  type Resources,
  statementsOfRole,
} from './support/stateless-template.ts';

describe('ingest of uploads (UploadIngest) in the stateless stack', () => {
  const app = synthBangfuApp();
  const template = app.statelessTemplate;
  const { ingest, mail, linkKey, alarms } = app.stateless;
  const ingestFailures = app.stateless.node.findChild('IngestFailures');
  afterAll(() => app.remove());

  const { logs, deadLetters, query, items, objects } = grantStatements;
  const send = grantStatements.send(mail);
  const readKey = grantStatements.readKey(linkKey);

  it('sends uploads under incoming/ of the files bucket to ingest through EventBridge, with retries and a DLQ', () => {
    expect(INCOMING_PREFIX).toBe('incoming/');
    const rules = template.findResources('AWS::Events::Rule', {
      Properties: { EventPattern: { source: ['aws.s3'] } },
    }) as Resources;
    expect(Object.values(rules)).toHaveLength(1);
    const [[ruleId, rule]] = Object.entries(rules) as [[string, Resources[string]]];
    expect(rule.Properties.EventPattern).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: { bucket: { name: [filesBucketName] }, object: { key: [{ prefix: 'incoming/' }] } },
    });
    expect(rule.Properties.Targets).toEqual([
      {
        Id: 'Target0',
        Arn: arnOf(ingest.function),
        RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 6 * 3600 },
        DeadLetterConfig: { Arn: arnOf(ingestFailures) },
      },
    ]);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: arnOf(ingest.function),
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] },
    });
    // EventBridge may put undeliverable events into the queue, from this rule only.
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [ref(ingestFailures)],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [ruleId, 'Arn'] } } },
          }),
        ]),
      },
    });
    // Lambda's own retries of the asynchronous invocation, then the same dead-letter queue.
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^bangfu ingest'),
      DeadLetterConfig: { TargetArn: arnOf(ingestFailures) },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: ref(ingest.function),
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 6 * 3600,
    });
  });

  it('gives ingest exactly what it uses: read (also the version an event names) and delete incoming/, list only incoming/, put submissions/ and rejected/', () => {
    expect(statementsOfRole(template, logicalId(ingest.role))).toEqual([
      logs(ingest),
      deadLetters(ingestFailures),
      query,
      items('RecordSubmissionsAndNotices', ALL_ITEM_ACTIONS),
      objects(
        'ReadAndClearIncoming',
        ['s3:GetObject', 's3:GetObjectVersion', 's3:DeleteObject'],
        'incoming/',
      ),
      {
        Sid: 'TellGoneUploadsFromForbidden',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: filesArn(''),
        Condition: { StringLike: { 's3:prefix': ['incoming/*'] } },
      },
      objects('FileSubmissionsAndRejections', 's3:PutObject', 'submissions/', 'rejected/'),
      send,
      readKey,
    ]);
  });

  it('alarms on an ingest error and on any dead letter of ingest', () => {
    expectAlarm(template, alarms.topic, alarmMetrics.errors(ingest));
    expectAlarm(template, alarms.topic, alarmMetrics.deadLetters(ingestFailures));
  });
});
