import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { logicalId, ref, type SynthesisedApp, synthBangfuApp } from './support/bangfu-app.ts';
import { EVERY_OPTION_CONTEXT, sesArn, statementsOfRole } from './support/stateless-template.ts';

describe('mail sending (Mail) with the default settings (cdk.json)', () => {
  const app = synthBangfuApp();
  const template = app.statelessTemplate;
  const { mail } = app.stateless;
  afterAll(() => app.remove());

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
});

describe('mail sending with a domain and sandbox recipients', () => {
  let app: SynthesisedApp;
  const build = () => {
    app ??= synthBangfuApp(EVERY_OPTION_CONTEXT);
    return app;
  };
  afterAll(() => app?.remove());

  it('verifies the domain and outputs its three DKIM records', () => {
    const template = build().statelessTemplate;
    template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'bangfu.example.org' });
    const outputs = Object.keys(template.findOutputs('*', { Description: Match.stringLikeRegexp('^CNAME') }));
    expect(outputs).toHaveLength(3);
  });

  it('lets the sending functions send to the verified sandbox recipients as well, and to no one else', () => {
    const { statelessTemplate: template, stateless } = build();
    for (const fn of [stateless.tick, stateless.ingest, stateless.sesEvents]) {
      const ses = statementsOfRole(template, logicalId(fn.role)).find(
        (s) => s.Sid === 'SendFromBangfuIdentity',
      );
      expect(ses?.Resource).toEqual([
        sesArn('identity', { Ref: logicalId(stateless.mail.identity) }),
        sesArn('configuration-set', { Ref: logicalId(stateless.mail.configurationSet) }),
        sesArn('identity', 'lead@example.org'),
        sesArn('identity', 'coordinator@example.org'),
      ]);
    }
  });
});
