import { describe, expect, it } from 'vitest';
import { DEPLOYED_ENV_OUTPUTS, ENV } from '../../functions/adapters/env-names.ts';
import { environmentFromOutputs } from '../../functions/local/deployed.ts';

const OUTPUTS = [
  { OutputKey: 'TableName', OutputValue: 'BangfuStateful-TableCD117FA1-1A2B3C' },
  { OutputKey: 'FilesBucketName', OutputValue: 'bangfu-files-123456789012-ap-southeast-1' },
  { OutputKey: 'SenderAddress', OutputValue: 'noreply@bangfu.example.org' },
  { OutputKey: 'PublicUrl', OutputValue: 'https://abc123.execute-api.ap-southeast-1.amazonaws.com' },
  {
    OutputKey: 'LinkSigningKeyArn',
    OutputValue: 'arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:LinkSigningKey-AbCdEf',
  },
  { OutputKey: 'SesConfigurationSetName', OutputValue: 'BangfuStatelessMailSending1A2B3C' },
  { OutputKey: 'StaffUserPoolId', OutputValue: 'ap-southeast-1_AbCdEfGhI' },
];

describe('the functions’ environment from the stateless stack’s outputs', () => {
  it('maps each output to its variable and leaves the others out', () => {
    const environment = environmentFromOutputs('BangfuStateless', OUTPUTS);
    expect(environment).toEqual({
      [ENV.tableName]: 'BangfuStateful-TableCD117FA1-1A2B3C',
      [ENV.bucketName]: 'bangfu-files-123456789012-ap-southeast-1',
      [ENV.sender]: 'noreply@bangfu.example.org',
      [ENV.publicUrl]: 'https://abc123.execute-api.ap-southeast-1.amazonaws.com',
      [ENV.ticketSecretArn]:
        'arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:LinkSigningKey-AbCdEf',
      [ENV.sesConfigurationSet]: 'BangfuStatelessMailSending1A2B3C',
    });
    expect(Object.keys(environment)).toHaveLength(Object.keys(DEPLOYED_ENV_OUTPUTS).length);
  });

  it('names every output an older deployment lacks', () => {
    const older = OUTPUTS.filter((o) => o.OutputKey !== 'LinkSigningKeyArn' && o.OutputKey !== 'TableName');
    expect(() => environmentFromOutputs('BangfuStateless', older)).toThrow(
      /stack BangfuStateless has no output TableName, LinkSigningKeyArn: .*npx cdk deploy --all/,
    );
  });
});
