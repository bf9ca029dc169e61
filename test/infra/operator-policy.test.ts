import { afterAll, describe, expect, it } from 'vitest';
import { logicalId, ref, synthBangfuApp } from './support/bangfu-app.ts';
import {
  ALL_ITEM_ACTIONS,
  grantStatements,
  propertiesOf,
  type Statement,
} from './support/stateless-template.ts';

describe('the operator policy (OperatorPolicy) in the stateless stack', () => {
  const app = synthBangfuApp();
  const template = app.statelessTemplate;
  const { mail, linkKey } = app.stateless;
  afterAll(() => app.remove());

  const { query, items, objects } = grantStatements;
  const send = grantStatements.send(mail);
  const readKey = grantStatements.readKey(linkKey);

  it('offers operators (bangfu --aws) a managed policy with what the CLI calls, attached to no one', () => {
    const policy = propertiesOf(template, logicalId(app.stateless.operatorPolicy));
    expect((policy.PolicyDocument as { Statement: Statement[] }).Statement).toEqual([
      {
        Sid: 'ReadDeploymentOutputs',
        Effect: 'Allow',
        Action: 'cloudformation:DescribeStacks',
        Resource: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':cloudformation:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              ':stack/BangfuStateless/*',
            ],
          ],
        },
      },
      query,
      items('ReadAndWriteItems', [...ALL_ITEM_ACTIONS, 'dynamodb:BatchWriteItem']),
      readKey,
      send,
      objects('StoreGeneratedDocuments', 's3:PutObject', 'documents/'),
    ]);
    expect(policy.Roles ?? policy.Users ?? policy.Groups).toBeUndefined();
    template.hasOutput('OperatorPolicyArn', { Value: ref(app.stateless.operatorPolicy) });
  });
});
