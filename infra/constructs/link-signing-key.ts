/**
 * The key that signs the upload and download links in emails. Secrets Manager generates it at deploy
 * time; the functions read it at cold start by its ARN (functions/adapters/config.ts `loadConfig`), so
 * it is in no function's environment and in no stack output.
 */
import { Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';

/** The link-signing key: letters and digits, far above the 32 characters the code requires. */
export const LINK_KEY_LENGTH = 64;

export class LinkSigningKey extends Secret {
  constructor(scope: Construct, id: string) {
    super(scope, id, {
      description: 'bangfu: HMAC key of the upload and download links in emails',
      generateSecretString: { passwordLength: LINK_KEY_LENGTH, excludePunctuation: true },
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the link-signing key would invalidate every upload and download link already emailed; ' +
        'rotation needs verification against two keys (old and new) first, planned with the staff console.',
    });
  }
}
