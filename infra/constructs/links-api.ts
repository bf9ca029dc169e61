/**
 * The HTTP API behind the links in emails: upload pages and presigned POSTs (`/u/…`), document
 * downloads (`/d/{token}`) and the staff console (`/staff/…`, signed in through Cognito managed login,
 * staff-auth.ts), all served by one function (links-api-handler.ts; its routing is
 * functions/adapters/http-api.ts). Its one stage is throttled, access-logged and alarmed on 5xx answers;
 * an optional custom domain gives the links and the console a stable name of their own.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  DomainName,
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
  SecurityPolicy,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { alarmOn } from '../defaults.ts';

/**
 * Requests per second across the API, and the burst above it. A programme has a few hundred
 * institutions whose staff open links from the same morning's emails; an upload is three or four
 * requests. Far above that, and low enough that a scripted flood cannot run up the Lambda bill.
 */
export const LINKS_THROTTLE = { rateLimit: 50, burstLimit: 100 } as const;

/** What each request leaves in the access log (never the path: it carries the link's ticket). */
export const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  time: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  method: '$context.httpMethod',
  route: '$context.routeKey',
  status: '$context.status',
  latencyMs: '$context.responseLatency',
  integrationError: '$context.integrationErrorMessage',
} as const;

/** The routes anyone holding a link may call: the signed, expiring ticket in the path authorizes. */
export const LINK_ROUTES = [
  { path: '/u/{proxy+}', methods: [HttpMethod.GET, HttpMethod.POST] },
  { path: '/d/{token}', methods: [HttpMethod.GET] },
] as const;
/**
 * The staff console: its pages and forms, and sign-in, callback and sign-out under `/staff/auth/`. The
 * root takes the browser back from Cognito's `/logout` (staff-auth.ts `STAFF_SIGNED_OUT_PATH`).
 */
export const STAFF_ROUTES = [
  { path: '/staff', methods: [HttpMethod.GET] },
  { path: '/staff/{proxy+}', methods: [HttpMethod.GET, HttpMethod.POST] },
] as const;

export interface LinksApiProps {
  /** What the alarm on the stage's 5xx answers notifies. */
  readonly alarmAction: IAlarmAction;
  /** The custom domain of the links, with an ACM certificate for it in the stack's region. @default - none */
  readonly domain?: { readonly name: string; readonly certificateArn: string };
}

export class LinksApi extends HttpApi {
  /** The base URL of every link (`BANGFU_PUBLIC_URL`): the custom domain, or the API's own endpoint. */
  readonly publicUrl: string;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  readonly domain?: DomainName;

  constructor(scope: Construct, id: string, props: LinksApiProps) {
    super(scope, id, {
      description: 'bangfu upload and download links, staff document list',
      // The stage is made below, with throttling and access logs.
      createDefaultStage: false,
    });
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    if (props.domain) {
      this.domain = new DomainName(this, 'Domain', {
        domainName: props.domain.name,
        certificate: Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn),
        securityPolicy: SecurityPolicy.TLS_1_2,
      });
    }
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this,
      stageName: '$default',
      autoDeploy: true,
      throttle: LINKS_THROTTLE,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
      ...(this.domain ? { domainMapping: { domainName: this.domain } } : {}),
    });
    this.publicUrl = props.domain ? `https://${props.domain.name}` : this.apiEndpoint;
    // The handler turns its own failures into a 500 page (never a stack trace), which Lambda counts as
    // a success: the stage's 5xx count is what shows them.
    alarmOn(this.stage, 'ServerErrorsAlarm', {
      metric: this.stage.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }),
      description:
        'The upload/download API answered 5xx: people saw the "system cannot process" page or a gateway ' +
        'error. See the API function\'s log group ("request failed") and the HTTP API access log.',
      action: props.alarmAction,
    });
  }

  /**
   * Sends every route to `handler` (one integration, one invoke permission per route). No route has an
   * API Gateway authorizer. The link routes: the handler verifies the ticket in the path. The staff
   * routes: a browser sends the session cookie the handler set after Cognito managed login, not a bearer
   * token a JWT authorizer could check, so the handler verifies the session on every request and a CSRF
   * token on every POST.
   */
  routeTo(handler: IFunction): void {
    const integration = new HttpLambdaIntegration('ApiIntegration', handler);
    for (const { path, methods } of LINK_ROUTES) {
      this.routeWithoutAuthorizer(
        integration,
        path,
        methods,
        (method) =>
          `${method} ${path} is a capability link sent by email to people with no account: the ` +
          'HMAC-signed, expiring ticket in the path is the authorization, verified by the handler.',
      );
    }
    for (const { path, methods } of STAFF_ROUTES) {
      this.routeWithoutAuthorizer(
        integration,
        path,
        methods,
        (method) =>
          `${method} ${path} is the staff console, opened in a browser that carries a session cookie rather ` +
          'than a bearer token: the function authenticates by the session cookie it set after Cognito ' +
          'managed login (authorization code with PKCE), and checks a CSRF token on every POST.',
      );
    }
  }

  private routeWithoutAuthorizer(
    integration: HttpLambdaIntegration,
    path: string,
    methods: readonly HttpMethod[],
    reason: (method: HttpMethod) => string,
  ): void {
    const routes = this.addRoutes({ path, methods: [...methods], integration });
    routes.forEach((route, i) => {
      const method = methods[i] as HttpMethod;
      Validations.of(route).acknowledge({ id: 'AwsSolutions-APIG4', reason: reason(method) });
    });
  }
}
