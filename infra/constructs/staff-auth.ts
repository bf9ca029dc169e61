/**
 * How commission staff sign in: a Cognito user pool whose accounts only an administrator creates, with a
 * strong password and an authenticator app (TOTP) on every sign-in; the staff console's client; and the
 * JWT authorizer the links API puts in front of its staff routes (links-api.ts `routeTo`).
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';

export class StaffAuth extends UserPool {
  /** The staff console's app client: SRP from the browser, no secret, no OAuth flows or hosted UI. */
  readonly consoleClient: UserPoolClient;
  /**
   * Accepts only tokens this pool issued to `consoleClient`. API Gateway makes the authorizer resource
   * inside the HTTP API the first time a route uses it.
   */
  readonly authorizer: HttpUserPoolAuthorizer;

  constructor(scope: Construct, id: string) {
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
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // The console signs in with SRP from the browser: a public client, no OAuth flows or hosted UI.
    this.consoleClient = this.addClient('Console', {
      authFlows: { userSrp: true },
      disableOAuth: true,
      generateSecret: false,
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      // About a working day; a person signs in again the next morning.
      refreshTokenValidity: Duration.hours(10),
    });
    this.authorizer = new HttpUserPoolAuthorizer('StaffAuthorizer', this, {
      userPoolClients: [this.consoleClient],
    });
  }
}
