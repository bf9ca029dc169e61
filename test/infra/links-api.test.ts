import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { ENV } from '../../functions/adapters/env-names.ts';
import { ACCESS_LOG_FIELDS, LINKS_THROTTLE } from '../../infra/constructs/links-api.ts';
import { arnOf, logicalId, ref, type SynthesisedApp, synthBangfuApp } from './support/bangfu-app.ts';
import {
  ALL_ITEM_ACTIONS,
  API_CERTIFICATE_ARN,
  alarmMetrics,
  EVERY_OPTION_CONTEXT,
  environmentOf,
  expectAlarm,
  grantStatements,
  type Resources,
  statementsOfRole,
} from './support/stateless-template.ts';

describe('the links API (LinksApi, LinksApiHandler) with the default settings (cdk.json)', () => {
  const app = synthBangfuApp();
  const template = app.statelessTemplate;
  const { api, httpApi, linkKey, alarms } = app.stateless;
  afterAll(() => app.remove());

  const { logs, query, items, objects } = grantStatements;
  const readKey = grantStatements.readKey(linkKey);

  it('routes the links and the staff console to the API function, none behind an API Gateway authorizer', () => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
      (r) =>
        (r as { Properties: { RouteKey: string; AuthorizationType?: string; AuthorizerId?: unknown } })
          .Properties,
    );
    expect(routes.map((r) => r.RouteKey).sort()).toEqual(
      [
        'GET /d/{token}',
        'GET /u/{proxy+}',
        'POST /u/{proxy+}',
        'GET /staff',
        'GET /staff/{proxy+}',
        'POST /staff/{proxy+}',
      ].sort(),
    );
    // The links carry their own signed ticket; the console's browser a session cookie the function checks.
    template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 0);
    for (const route of routes) {
      expect(route.AuthorizationType, route.RouteKey).toBe('NONE');
      expect(route.AuthorizerId, route.RouteKey).toBeUndefined();
    }
    // One integration, to the API function; API Gateway may invoke it only for these routes.
    template.resourceCountIs('AWS::ApiGatewayV2::Integration', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: arnOf(api.function),
      PayloadFormatVersion: '2.0',
    });
    const permissions = Object.values(
      template.findResources('AWS::Lambda::Permission', {
        Properties: { Principal: 'apigateway.amazonaws.com' },
      }) as Resources,
    );
    expect(permissions).toHaveLength(6);
    for (const permission of permissions)
      expect(permission.Properties.FunctionName).toEqual(arnOf(api.function));
  });

  it('throttles the API stage and logs every request as JSON, without the path that holds the ticket', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      ApiId: ref(httpApi),
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: {
        ThrottlingRateLimit: LINKS_THROTTLE.rateLimit,
        ThrottlingBurstLimit: LINKS_THROTTLE.burstLimit,
      },
      AccessLogSettings: {
        DestinationArn: arnOf(httpApi.accessLogs),
        Format: JSON.stringify(ACCESS_LOG_FIELDS),
      },
    });
    expect(Object.values(ACCESS_LOG_FIELDS)).not.toContain('$context.path');
    // No route has an authorizer whose claims or errors a field could show.
    expect(JSON.stringify(ACCESS_LOG_FIELDS)).not.toContain('$context.authorizer');
    template.resourceCountIs('AWS::ApiGatewayV2::DomainName', 0);
  });

  it('gives the API exactly what it uses: PutObject under incoming/ and documents/, GetObject of documents and submissions, SES for return notices, no object deletes', () => {
    expect(statementsOfRole(template, logicalId(api.role))).toEqual([
      logs(api),
      query,
      items('ReadAndRecordLinksSlotsAndActions', ALL_ITEM_ACTIONS),
      objects('SignUploadPosts', 's3:PutObject', 'incoming/'),
      objects('StoreAndSignDocuments', ['s3:GetObject', 's3:PutObject'], 'documents/'),
      objects('SignSubmissionDownloads', ['s3:GetObject', 's3:GetObjectVersion'], 'submissions/'),
      grantStatements.send(app.stateless.mail),
      readKey,
    ]);
  });

  it('alarms on an error of the API function and on any 5xx answer of the stage', () => {
    expectAlarm(template, alarms.topic, alarmMetrics.errors(api));
    expectAlarm(template, alarms.topic, {
      namespace: 'AWS/ApiGateway',
      metricName: '5xx',
      statistic: 'Sum',
      dimensions: [
        { Name: 'ApiId', Value: ref(httpApi) },
        { Name: 'Stage', Value: '$default' },
      ],
    });
  });
});

describe('the links API with its own domain', () => {
  let app: SynthesisedApp;
  const certificateArn = API_CERTIFICATE_ARN;
  const build = () => {
    app ??= synthBangfuApp(EVERY_OPTION_CONTEXT);
    return app;
  };
  afterAll(() => app?.remove());

  it('maps the API domain to the stage with the certificate and makes it the base of every link', () => {
    const { statelessTemplate: template, stateless } = build();
    template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'links.bangfu.example.org',
      DomainNameConfigurations: [
        Match.objectLike({
          CertificateArn: certificateArn,
          EndpointType: 'REGIONAL',
          SecurityPolicy: 'TLS_1_2',
        }),
      ],
    });
    const domain = stateless.httpApi.domain;
    if (!domain) throw new Error('no API domain');
    template.resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', {
      ApiId: ref(stateless.httpApi),
      DomainName: ref(domain),
      Stage: '$default',
    });
    for (const fn of [stateless.tick, stateless.api, stateless.ingest, stateless.sesEvents]) {
      expect(environmentOf(template, fn)[ENV.publicUrl]).toBe('https://links.bangfu.example.org');
    }
    template.hasOutput('ApiDomainTarget', {
      Value: { 'Fn::GetAtt': [logicalId(domain), 'RegionalDomainName'] },
    });
  });
});
