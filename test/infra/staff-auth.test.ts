import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, describe, it } from 'vitest';
import { ref, synthBangfuApp } from './support/bangfu-app.ts';

describe('staff sign-in (StaffAuth) in the stateless stack', () => {
  const app = synthBangfuApp();
  const template = app.statelessTemplate;
  const { staff, staffClient } = app.stateless;
  afterAll(() => app.remove());

  it('lets only administrators create staff accounts: strong passwords, TOTP on every sign-in, threat protection', () => {
    template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        AdminCreateUserConfig: Match.objectLike({ AllowAdminCreateUserOnly: true }),
        MfaConfiguration: 'ON',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        Policies: {
          PasswordPolicy: {
            MinimumLength: 12,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
            TemporaryPasswordValidityDays: 3,
          },
        },
        UserPoolTier: 'PLUS',
        UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
        DeletionProtection: 'ACTIVE',
      }),
    });
    // The console's client: SRP from the browser, no secret, no OAuth flows or callback URLs.
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: false,
      AllowedOAuthFlows: Match.absent(),
      CallbackURLs: Match.absent(),
      PreventUserExistenceErrors: 'ENABLED',
      AccessTokenValidity: 60,
      IdTokenValidity: 60,
      RefreshTokenValidity: 600,
    });
  });

  it('puts a JWT authorizer in front of the staff routes that accepts only the console client’s tokens', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [ref(staffClient)],
        Issuer: {
          'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', ref(staff)]],
        },
      },
    });
  });
});
