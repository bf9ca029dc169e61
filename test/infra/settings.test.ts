import { describe, expect, it } from 'vitest';
import { SettingsError, settingsFromContext } from '../../infra/settings.ts';

const from = (context: Record<string, unknown>) => settingsFromContext((key) => context[key]);
const CERTIFICATE =
  'arn:aws:acm:ap-southeast-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9';

describe('deployment settings from CDK context', () => {
  it('needs only the sender; everything else has a default', () => {
    expect(from({ 'bangfu:sender': 'noreply@example.org' })).toEqual({
      sender: 'noreply@example.org',
      sandboxRecipients: [],
      tracing: false,
    });
  });

  it('reads command-line strings: comma-separated recipients, a number, a boolean', () => {
    expect(
      from({
        'bangfu:sender': 'noreply@example.org',
        'bangfu:sandboxRecipients': 'lead@example.org, coordinator@example.org',
        'bangfu:sesMaxSendRate': '14',
        'bangfu:tracing': 'true',
        'bangfu:alarmEmail': '',
      }),
    ).toEqual({
      sender: 'noreply@example.org',
      sandboxRecipients: ['lead@example.org', 'coordinator@example.org'],
      sesMaxSendRate: 14,
      tracing: true,
    });
  });

  it('takes a custom API domain only with its ACM certificate', () => {
    expect(
      from({
        'bangfu:sender': 'noreply@example.org',
        'bangfu:apiDomain': 'links.example.org',
        'bangfu:apiCertificateArn': CERTIFICATE,
      }),
    ).toMatchObject({ apiDomain: 'links.example.org', apiCertificateArn: CERTIFICATE });
    expect(() =>
      from({ 'bangfu:sender': 'noreply@example.org', 'bangfu:apiDomain': 'links.example.org' }),
    ).toThrow(/bangfu:apiCertificateArn: bangfu:apiDomain and bangfu:apiCertificateArn go together/);
    expect(() =>
      from({
        'bangfu:sender': 'noreply@example.org',
        'bangfu:apiDomain': 'https://links.example.org',
        'bangfu:apiCertificateArn': 'arn:aws:iam::123456789012:role/x',
      }),
    ).toThrow(
      /bangfu:apiDomain: must be a domain name; bangfu:apiCertificateArn: must be an ACM certificate ARN/,
    );
  });

  it('takes a domain for the staff sign-in pages only with its ACM certificate from us-east-1', () => {
    const usEast1 = 'arn:aws:acm:us-east-1:123456789012:certificate/7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d';
    expect(
      from({
        'bangfu:sender': 'noreply@example.org',
        'bangfu:staffAuthDomain': 'login.example.org',
        'bangfu:staffAuthCertificateArn': usEast1,
      }),
    ).toMatchObject({ staffAuthDomain: 'login.example.org', staffAuthCertificateArn: usEast1 });
    expect(() =>
      from({ 'bangfu:sender': 'noreply@example.org', 'bangfu:staffAuthDomain': 'login.example.org' }),
    ).toThrow(
      /bangfu:staffAuthCertificateArn: bangfu:staffAuthDomain and bangfu:staffAuthCertificateArn go together/,
    );
    // A certificate in the stack's region is right for the API's domain, not for Cognito's.
    expect(() =>
      from({
        'bangfu:sender': 'noreply@example.org',
        'bangfu:staffAuthDomain': 'login.example.org',
        'bangfu:staffAuthCertificateArn': CERTIFICATE,
      }),
    ).toThrow(/bangfu:staffAuthCertificateArn: must be an ACM certificate ARN in us-east-1/);
  });

  it('refuses the retired bangfu:publicUrl instead of ignoring it', () => {
    expect(() =>
      from({ 'bangfu:sender': 'noreply@example.org', 'bangfu:publicUrl': 'https://bangfu.example.org' }),
    ).toThrow(/bangfu:publicUrl: retired: .*bangfu:apiDomain/);
  });

  it('names every missing or bad key in one error', () => {
    const read = () => from({ 'bangfu:alarmEmail': 'ops', 'bangfu:sesMaxSendRate': '-1' });
    expect(read).toThrow(SettingsError);
    expect(read).toThrow(/bangfu:sender: .*bangfu:alarmEmail: .*bangfu:sesMaxSendRate: /);
  });

  it('refuses a sender outside the verified domain', () => {
    expect(() =>
      from({ 'bangfu:sender': 'noreply@example.org', 'bangfu:domain': 'bangfu.example.org' }),
    ).toThrow(/bangfu:sender: must be an address at bangfu:domain/);
  });
});
