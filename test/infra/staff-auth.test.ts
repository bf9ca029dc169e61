import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { ENV } from '../../functions/adapters/env-names.ts';
import { STAFF_SCOPES, staffIdentityFromClaims } from '../../functions/adapters/staff-claims.ts';
import { logicalId, ref, type SynthesisedApp, synthBangfuApp } from './support/bangfu-app.ts';
import {
  EVERY_OPTION_CONTEXT,
  environmentOf,
  type Resources,
  STAFF_AUTH_CERTIFICATE_ARN,
} from './support/stateless-template.ts';

/** The one resource of a type in the template, its properties. */
function onlyResource(template: SynthesisedApp['statelessTemplate'], type: string) {
  const resources = Object.values(template.findResources(type) as Resources);
  expect(resources, type).toHaveLength(1);
  return (resources[0] as Resources[string]).Properties;
}

describe('staff sign-in (StaffAuth) in the stateless stack', () => {
  const app = synthBangfuApp();
  const template = app.statelessTemplate;
  const { staff, staffClient, httpApi, api } = app.stateless;
  const apiEndpoint = { 'Fn::GetAtt': [logicalId(httpApi), 'ApiEndpoint'] };
  const onApiOrigin = (path: string) => ({ 'Fn::Join': ['', [apiEndpoint, path]] });
  const managedLoginUrl = {
    'Fn::Join': [
      '',
      ['https://', ref(staff.managedLogin), '.auth.', { Ref: 'AWS::Region' }, '.amazoncognito.com'],
    ],
  };
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
  });

  it('serves managed login (version 2, Cognito’s style) on a prefix domain named for the account', () => {
    expect(onlyResource(template, 'AWS::Cognito::UserPoolDomain')).toEqual({
      UserPoolId: ref(staff),
      Domain: { 'Fn::Join': ['', ['bangfu-staff-', { Ref: 'AWS::AccountId' }]] },
      ManagedLoginVersion: 2,
    });
    expect(onlyResource(template, 'AWS::Cognito::ManagedLoginBranding')).toEqual({
      UserPoolId: ref(staff),
      ClientId: ref(staffClient),
      UseCognitoProvidedValues: true,
    });
    template.hasOutput('StaffManagedLoginUrl', { Value: managedLoginUrl });
    template.hasOutput('StaffConsoleClientId', { Value: ref(staffClient) });
    expect(template.toJSON().Outputs.StaffAuthDomainTarget).toBeUndefined();
  });

  it('gives the console one public client: code grant only, the console’s scopes, URLs on the API origin', () => {
    const client = onlyResource(template, 'AWS::Cognito::UserPoolClient');
    expect(client).toMatchObject({
      UserPoolId: ref(staff),
      ClientName: 'bangfu-console',
      // Public: no secret to keep, so PKCE is what binds the code to the browser's sign-in.
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      CallbackURLs: [onApiOrigin('/staff/auth/callback')],
      LogoutURLs: [onApiOrigin('/staff/')],
      SupportedIdentityProviders: ['COGNITO'],
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
      AccessTokenValidity: 60,
      IdTokenValidity: 60,
      RefreshTokenValidity: 600,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
    });
    expect([...(client.AllowedOAuthScopes as string[])].sort()).toEqual(STAFF_SCOPES.split(' ').sort());
    expect(client.AllowedOAuthFlows).not.toContain('implicit');
  });

  it('creates the three role groups the console reads, and no commission group', () => {
    const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup') as Resources).map(
      (g) => g.Properties,
    );
    expect(groups.map((g) => g.GroupName).sort()).toEqual(['role:admin', 'role:reviewer', 'role:viewer']);
    for (const group of groups) {
      expect(group.UserPoolId, String(group.GroupName)).toEqual(ref(staff));
      expect(group.Description, String(group.GroupName)).toMatch(/^bangfu 工作台角色：/);
      // What an ID token of a member of this group and of one commission group becomes in the console.
      const claims = {
        sub: 's-1',
        email: 'staff@example.org',
        'cognito:groups': ['commission:fj', group.GroupName],
      };
      expect(`role:${staffIdentityFromClaims(claims).role}`).toBe(group.GroupName);
    }
  });

  it('hands the API function the issuer, the client id and the logout endpoint of managed login', () => {
    const variables = environmentOf(template, api);
    expect(variables[ENV.staffIssuer]).toEqual({
      'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', ref(staff)]],
    });
    expect(variables[ENV.staffClientId]).toEqual(ref(staffClient));
    expect(variables[ENV.staffLogoutUrl]).toEqual({
      'Fn::Join': [
        '',
        ['https://', ref(staff.managedLogin), '.auth.', { Ref: 'AWS::Region' }, '.amazoncognito.com/logout'],
      ],
    });
  });
});

describe('staff sign-in with its own domain and the API on its own domain', () => {
  let app: SynthesisedApp;
  const build = () => {
    app ??= synthBangfuApp(EVERY_OPTION_CONTEXT);
    return app;
  };
  afterAll(() => app?.remove());

  it('serves managed login on the custom domain with its us-east-1 certificate and outputs its CloudFront target', () => {
    const { statelessTemplate: template, stateless } = build();
    const domain = stateless.staff.managedLogin;
    expect(onlyResource(template, 'AWS::Cognito::UserPoolDomain')).toEqual({
      UserPoolId: ref(stateless.staff),
      Domain: 'login.bangfu.example.org',
      CustomDomainConfig: { CertificateArn: STAFF_AUTH_CERTIFICATE_ARN },
      ManagedLoginVersion: 2,
    });
    template.hasOutput('StaffAuthDomainTarget', {
      Value: { 'Fn::GetAtt': [logicalId(domain), 'CloudFrontDistribution'] },
    });
    template.hasOutput('StaffManagedLoginUrl', { Value: { 'Fn::Join': ['', ['https://', ref(domain)]] } });
    expect(environmentOf(template, stateless.api)[ENV.staffLogoutUrl]).toEqual({
      'Fn::Join': ['', ['https://', ref(domain), '/logout']],
    });
  });

  it('registers the callback and sign-out URLs on the API’s custom domain', () => {
    const { statelessTemplate: template } = build();
    expect(onlyResource(template, 'AWS::Cognito::UserPoolClient')).toMatchObject({
      CallbackURLs: ['https://links.bangfu.example.org/staff/auth/callback'],
      LogoutURLs: ['https://links.bangfu.example.org/staff/'],
    });
  });
});
