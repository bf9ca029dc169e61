/**
 * Everything that can be replaced without losing data: functions, their grants, the schedule, the HTTP
 * API, mail sending, alarms. Takes the stateful stack's table and bucket as props.
 *
 * Functions, each a `BangfuFunction` with exactly the statements its code needs (infra/grants.ts):
 * - tick: the daily reminders and the status PDFs for commission staff (EventBridge Scheduler);
 * - api: upload pages, presigned POSTs, upload status, document downloads, the staff list (HTTP API);
 * - ingest: checks each upload under `incoming/` (EventBridge "Object Created" from the files bucket);
 * - ses-events: bounces and complaints (EventBridge, from the SES configuration set).
 * Every function invoked asynchronously has retries, a dead-letter queue and an alarm on it.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Schedule } from 'aws-cdk-lib/aws-scheduler';
import type { Construct } from 'constructs';
import { DEPLOYED_ENV_OUTPUTS } from '../functions/adapters/env-names.ts';
import { DeliveryEvents } from './constructs/delivery-events.ts';
import type { SendingFunctionProps, StatelessFunctionProps } from './constructs/function-props.ts';
import { LinkSigningKey } from './constructs/link-signing-key.ts';
import { LinksApi } from './constructs/links-api.ts';
import { LinksApiHandler } from './constructs/links-api-handler.ts';
import { Mail } from './constructs/mail.ts';
import { OperatorPolicy } from './constructs/operator-policy.ts';
import { ScheduledTick } from './constructs/scheduled-tick.ts';
import { StaffAuth } from './constructs/staff-auth.ts';
import { UploadIngest } from './constructs/upload-ingest.ts';
import { AlarmTopic, type BangfuFunction, type FunctionEnvironment } from './defaults.ts';
import { FilesBucketGrants } from './grants.ts';
import type { DeploySettings } from './settings.ts';
import { filesBucketName } from './stateful-stack.ts';

export interface StatelessStackProps extends StackProps {
  readonly table: ITableV2;
  readonly files: IBucket;
  readonly settings: DeploySettings;
}

export class StatelessStack extends Stack {
  readonly alarms: AlarmTopic;
  readonly mail: Mail;
  readonly linkKey: LinkSigningKey;
  readonly staff: StaffAuth;
  readonly staffClient: UserPoolClient;
  readonly httpApi: LinksApi;
  readonly api: BangfuFunction;
  readonly ingest: BangfuFunction;
  readonly sesEvents: BangfuFunction;
  readonly tick: BangfuFunction;
  readonly tickSchedule: Schedule;
  readonly operatorPolicy: OperatorPolicy;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { table, settings } = props;
    // The files bucket by its deterministic name (stateful-stack.ts): no cross-stack token anywhere.
    const filesBucket = filesBucketName(this);
    const files = new FilesBucketGrants(this, filesBucket);

    this.alarms = new AlarmTopic(this, 'Alarms', { email: settings.alarmEmail });
    this.mail = new Mail(this, 'Mail', { sender: settings.sender, domain: settings.domain });

    this.linkKey = new LinkSigningKey(this, 'LinkSigningKey');

    // ---- the HTTP API of the links; its endpoint (or custom domain) is the base of every link.
    this.httpApi = new LinksApi(this, 'HttpApi', {
      alarmAction: this.alarms.action,
      ...(settings.apiDomain && settings.apiCertificateArn
        ? { domain: { name: settings.apiDomain, certificateArn: settings.apiCertificateArn } }
        : {}),
    });
    const shared = {
      tableName: table.tableName,
      bucketName: filesBucket,
      sender: settings.sender,
      publicUrl: this.httpApi.publicUrl,
      ticketSecretArn: this.linkKey.secretArn,
    } satisfies FunctionEnvironment;
    const sending = {
      sesConfigurationSet: this.mail.configurationSet.configurationSetName,
      sesMaxSendRate: settings.sesMaxSendRate?.toString(),
    } satisfies FunctionEnvironment;
    // What every function construct is built from; those that send mail also get the SES settings.
    const anyFunction = {
      table,
      files,
      linkKey: this.linkKey,
      environment: shared,
      tracing: settings.tracing,
      alarmAction: this.alarms.action,
    } satisfies StatelessFunctionProps;
    const sendingFunction = {
      ...anyFunction,
      environment: { ...shared, ...sending },
      mail: this.mail,
      sandboxRecipients: settings.sandboxRecipients,
    } satisfies SendingFunctionProps;

    // ---- commission staff sign in through Cognito; the JWT authorizer of the staff routes comes with it.
    this.staff = new StaffAuth(this, 'Staff');
    this.staffClient = this.staff.consoleClient;

    // ---- the API function: pages and JSON for the links, the staff document list
    this.api = new LinksApiHandler(this, {
      ...anyFunction,
      httpApi: this.httpApi,
      staffAuthorizer: this.staff.authorizer,
    }).api;

    // ---- ingest of uploads under incoming/, from the files bucket's events on EventBridge
    this.ingest = new UploadIngest(this, sendingFunction).ingest;

    // ---- bounces and complaints, from the configuration set's events on EventBridge
    this.sesEvents = new DeliveryEvents(this, sendingFunction).sesEvents;

    // ---- the daily tick: reminders, then the status PDFs and digests for commission staff
    const scheduledTick = new ScheduledTick(this, sendingFunction);
    this.tick = scheduledTick.tick;
    this.tickSchedule = scheduledTick.schedule;

    // ---- the people who run `bangfu --aws`: a policy for an administrator to attach
    this.operatorPolicy = new OperatorPolicy(this, 'OperatorPolicy', {
      table,
      files,
      linkKey: this.linkKey,
      mail: this.mail,
      sandboxRecipients: settings.sandboxRecipients,
    });

    new CfnOutput(this, 'TickFunctionName', { value: this.tick.function.functionName });
    new CfnOutput(this, 'ApiEndpoint', {
      description: 'The HTTP API default endpoint',
      value: this.httpApi.apiEndpoint,
    });
    // What `bangfu --aws` reads to act on this deployment as the functions do; the key's ARN, never the key.
    const deployed: Record<keyof typeof DEPLOYED_ENV_OUTPUTS, string> = {
      TableName: table.tableName,
      FilesBucketName: filesBucket,
      SenderAddress: settings.sender,
      PublicUrl: this.httpApi.publicUrl,
      LinkSigningKeyArn: this.linkKey.secretArn,
      SesConfigurationSetName: this.mail.configurationSet.configurationSetName,
    };
    for (const [key, value] of Object.entries(deployed)) {
      const variable = DEPLOYED_ENV_OUTPUTS[key as keyof typeof DEPLOYED_ENV_OUTPUTS];
      new CfnOutput(this, key, { description: `${variable} of the functions (bangfu --aws)`, value });
    }
    if (this.httpApi.domain) {
      new CfnOutput(this, 'ApiDomainTarget', {
        description: `Point ${settings.apiDomain} at this name (a CNAME, or a Route 53 alias)`,
        value: this.httpApi.domain.regionalDomainName,
      });
    }
    new CfnOutput(this, 'OperatorPolicyArn', {
      description: 'Attach to the role of whoever runs bangfu --aws',
      value: this.operatorPolicy.managedPolicyArn,
    });
    new CfnOutput(this, 'StaffUserPoolId', { value: this.staff.userPoolId });
    new CfnOutput(this, 'StaffConsoleClientId', { value: this.staffClient.userPoolClientId });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
    new CfnOutput(this, 'SesIdentity', {
      description: 'Verify it in SES (a link is emailed to an address identity) before the first tick',
      value: this.mail.identity.emailIdentityName,
    });
  }
}
