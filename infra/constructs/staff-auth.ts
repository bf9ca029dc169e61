/**
 * How commission staff sign in: a Cognito user pool whose accounts only an administrator creates, with a
 * strong password and an authenticator app (TOTP) on every sign-in; its managed login pages on a domain
 * of their own; the staff console's app client, which signs people in there with the OpenID Connect
 * authorization code flow and PKCE; and the role groups the console reads from `cognito:groups`.
 *
 * The console is served by the API function on the links API's origin (links-api.ts): the callback and
 * the page people land on after signing out are there, and the function keeps its own session cookie
 * once the callback has checked the ID token (functions/adapters/oidc-client.ts). The routes of `/staff`
 * therefore have no API Gateway authorizer.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  type CfnUserPoolDomain,
  CfnUserPoolGroup,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';
import { ROLE_GROUP_PREFIX } from '../../functions/adapters/staff-claims.ts';
import { STAFF_ROLES, type StaffRole } from '../../functions/domain/staff.ts';
import type { FunctionEnvironment } from '../defaults.ts';

/** Where Cognito sends the browser back with the authorization code, on the console's origin. */
export const STAFF_CALLBACK_PATH = '/staff/auth/callback';
/** Where Cognito's `/logout` sends the browser once the managed login session has ended. */
export const STAFF_SIGNED_OUT_PATH = '/staff/';

/** The Cognito group of each role (functions/adapters/staff-claims.ts reads them back). */
export const STAFF_ROLE_GROUPS: Record<StaffRole, string> = Object.fromEntries(
  STAFF_ROLES.map((role) => [role, `${ROLE_GROUP_PREFIX}${role}`]),
) as Record<StaffRole, string>;

/** What administrators read beside each role group in the Cognito console (functions/domain/staff.ts). */
const ROLE_GROUP_DESCRIPTIONS: Record<StaffRole, string> = {
  viewer: 'bangfu 工作台角色：查看',
  reviewer: 'bangfu 工作台角色：查看、审核、延期、豁免',
  admin: 'bangfu 工作台角色：查看、审核、延期、豁免，管理联系人和链接',
};

export interface StaffAuthProps {
  /**
   * The origin the console is served from, without a trailing slash: the links API's `publicUrl` (its
   * custom domain, or its endpoint). The callback and sign-out URLs of the console's client are on it.
   */
  readonly consoleOrigin: string;
  /**
   * A custom domain for the managed login pages, with an ACM certificate for it in us-east-1.
   * @default - the Cognito prefix domain `bangfu-staff-<account>.auth.<region>.amazoncognito.com`
   */
  readonly domain?: { readonly name: string; readonly certificateArn: string };
}

export class StaffAuth extends UserPool {
  /**
   * The staff console's app client `bangfu-console`: public (no secret), authorization code grant only,
   * callback and sign-out URLs on the console's origin.
   */
  readonly consoleClient: UserPoolClient;
  /** The domain that serves managed login and the OAuth 2.0 endpoints (authorize, token, logout). */
  readonly managedLogin: UserPoolDomain;
  /** `https://<managed login domain>`: the base of the authorize, token and logout endpoints. */
  readonly managedLoginUrl: string;
  /** The OpenID Connect issuer of the pool's tokens (the `iss` claim), where discovery starts. */
  readonly issuer: string;
  readonly roleGroups: Record<StaffRole, CfnUserPoolGroup>;

  constructor(scope: Construct, id: string, props: StaffAuthProps) {
    super(scope, id, {
      userPoolName: 'bangfu-staff',
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      userInvitation: {
        emailSubject: 'bangfu 对口帮扶工作台账号',
        emailBody:
          '您好，已为您开通 bangfu 对口帮扶工作台账号。用户名：{username}，临时密码：{####}。' +
          '首次登录时请设置新密码并绑定身份验证器应用。临时密码 3 天内有效。',
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Plus: threat protection blocks sign-ins Cognito judges risky (leaked passwords, odd places).
      // Managed login (below) also needs Essentials or Plus.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.managedLogin = this.addDomain('ManagedLogin', {
      ...(props.domain
        ? {
            customDomain: {
              domainName: props.domain.name,
              certificate: Certificate.fromCertificateArn(
                this,
                'ManagedLoginCertificate',
                props.domain.certificateArn,
              ),
            },
          }
        : // A prefix is unique within a region across all of AWS; one deployment per account and region.
          { cognitoDomain: { domainPrefix: `bangfu-staff-${Stack.of(this).account}` } }),
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    this.managedLoginUrl = this.managedLogin.baseUrl();
    this.issuer = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPoolId}`;

    // A server-side console that keeps no client secret: a public client. Cognito has no setting that
    // makes PKCE mandatory; once an authorization request carries a code_challenge, the token endpoint
    // refuses that code without the matching code_verifier, and the console sends S256 on every sign-in.
    this.consoleClient = this.addClient('Console', {
      userPoolClientName: 'bangfu-console',
      generateSecret: false,
      // The password step of managed login (SRP), and the refresh token. No other API sign-in flow.
      authFlows: { userSrp: true },
      oAuth: {
        // The code grant only: no implicit grant (tokens in the URL), no client credentials.
        flows: { authorizationCodeGrant: true },
        // The same three the console asks for (functions/adapters/staff-claims.ts STAFF_SCOPES).
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${props.consoleOrigin}${STAFF_CALLBACK_PATH}`],
        logoutUrls: [`${props.consoleOrigin}${STAFF_SIGNED_OUT_PATH}`],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      // About a working day; a person signs in again the next morning.
      refreshTokenValidity: Duration.hours(10),
    });
    // Managed login serves an app client's pages once a style is assigned to it: Cognito's own here.
    new CfnManagedLoginBranding(this, 'ConsoleLoginStyle', {
      userPoolId: this.userPoolId,
      clientId: this.consoleClient.userPoolClientId,
      useCognitoProvidedValues: true,
    });

    // Commission groups (`commission:<institution id>`) are data, made by an administrator per
    // institution (README, "Deploying to AWS"); the three roles are fixed by the code. Cognito lists a
    // user's groups in the `cognito:groups` claim of every ID token it issues, with no client setting.
    const groups: Partial<Record<StaffRole, CfnUserPoolGroup>> = {};
    for (const role of STAFF_ROLES) {
      groups[role] = new CfnUserPoolGroup(this, `Role${role[0]?.toUpperCase()}${role.slice(1)}`, {
        userPoolId: this.userPoolId,
        groupName: STAFF_ROLE_GROUPS[role],
        description: ROLE_GROUP_DESCRIPTIONS[role],
      });
    }
    this.roleGroups = groups as Record<StaffRole, CfnUserPoolGroup>;
  }

  /** With a custom domain: the CloudFront name that domain must point at. */
  get managedLoginDomainTarget(): string {
    return (this.managedLogin.node.defaultChild as CfnUserPoolDomain).attrCloudFrontDistribution;
  }

  /** What the API function needs to sign staff in through managed login (functions/adapters/env-names.ts). */
  get signInEnvironment(): Required<
    Pick<FunctionEnvironment, 'staffIssuer' | 'staffClientId' | 'staffLogoutUrl'>
  > {
    return {
      staffIssuer: this.issuer,
      staffClientId: this.consoleClient.userPoolClientId,
      staffLogoutUrl: `${this.managedLoginUrl}/logout`,
    };
  }
}
