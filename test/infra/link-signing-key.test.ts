import { afterAll, describe, expect, it } from 'vitest';
import { LINK_KEY_LENGTH } from '../../infra/constructs/link-signing-key.ts';
import { logicalId, synthBangfuApp } from './support/bangfu-app.ts';
import type { Resources } from './support/stateless-template.ts';

describe('the link-signing key (LinkSigningKey) in the stateless stack', () => {
  const app = synthBangfuApp();
  const template = app.statelessTemplate;
  const { tick, api, ingest, sesEvents, reminders } = app.stateless;
  const functions = { tick, api, ingest, sesEvents, reminderWorker: reminders.worker };
  afterAll(() => app.remove());

  it('generates the link-signing key in Secrets Manager: 64 letters and digits, no rotation', () => {
    expect(LINK_KEY_LENGTH).toBeGreaterThanOrEqual(48);
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: LINK_KEY_LENGTH, ExcludePunctuation: true },
    });
    template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
    // Read by the five functions (the reminder worker signs links too), each through its own
    // statement, and by no other role.
    const readers = Object.entries(template.findResources('AWS::IAM::Policy') as Resources)
      .filter(([, p]) => JSON.stringify(p).includes('secretsmanager:'))
      .flatMap(([, p]) => (p.Properties.Roles as { Ref: string }[]).map((r) => r.Ref));
    expect(readers.sort()).toEqual(
      Object.values(functions)
        .map((fn) => logicalId(fn.role))
        .sort(),
    );
  });
});
