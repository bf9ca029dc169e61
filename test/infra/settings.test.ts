import { describe, expect, it } from 'vitest';
import { SettingsError, settingsFromContext } from '../../infra/settings.ts';

const PUBLIC_URL = { 'bangfu:publicUrl': 'https://bangfu.example.org' };
const from = (context: Record<string, unknown>) =>
  settingsFromContext((key) => ({ ...PUBLIC_URL, ...context })[key]);

describe('deployment settings from CDK context', () => {
  it('needs only the sender and the public URL; everything else has a default', () => {
    expect(from({ 'bangfu:sender': 'noreply@example.org' })).toEqual({
      sender: 'noreply@example.org',
      publicUrl: 'https://bangfu.example.org',
      sandboxRecipients: [],
      tracing: false,
    });
  });

  it('refuses a public URL that is not https', () => {
    expect(() =>
      from({ 'bangfu:sender': 'noreply@example.org', 'bangfu:publicUrl': 'http://bangfu.example.org' }),
    ).toThrow(/bangfu:publicUrl/);
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
      publicUrl: 'https://bangfu.example.org',
    });
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
