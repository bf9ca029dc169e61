import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { arnOf, logicalId, synthBangfuApp } from './support/bangfu-app.ts';
import {
  ALL_ITEM_ACTIONS,
  alarmMetrics,
  expectAlarm,
  grantStatements,
  statementsOfRole,
} from './support/stateless-template.ts';

describe('bounces and complaints (DeliveryEvents) in the stateless stack', () => {
  const app = synthBangfuApp();
  const template = app.statelessTemplate;
  const { sesEvents, mail, linkKey, alarms } = app.stateless;
  const sesEventFailures = app.stateless.node.findChild('SesEventFailures');
  afterAll(() => app.remove());

  const { logs, deadLetters, query, items } = grantStatements;
  const send = grantStatements.send(mail);
  const readKey = grantStatements.readKey(linkKey);

  it('reports bounces and complaints from the configuration set to the ses-events function', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({ Enabled: true, MatchingEventTypes: ['bounce', 'complaint'] }),
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['aws.ses'], 'detail-type': ['Email Bounced', 'Email Complaint Received'] },
      Targets: [Match.objectLike({ Arn: arnOf(sesEvents.function) })],
    });
  });

  it('gives ses-events the table, SES and the key, and no S3 at all', () => {
    expect(statementsOfRole(template, logicalId(sesEvents.role))).toEqual([
      logs(sesEvents),
      deadLetters(sesEventFailures),
      query,
      items('MarkAddressesAndRecordNotices', ALL_ITEM_ACTIONS),
      send,
      readKey,
    ]);
  });

  it('alarms on a ses-events error and on any dead letter of ses-events', () => {
    expectAlarm(template, alarms.topic, alarmMetrics.errors(sesEvents));
    expectAlarm(template, alarms.topic, alarmMetrics.deadLetters(sesEventFailures));
  });
});
