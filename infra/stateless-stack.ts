/**
 * Everything that can be replaced without losing data: functions, their grants, the schedule, the HTTP
 * API, mail sending, alarms. Takes the stateful stack's table and bucket as props.
 *
 * The stack only composes the constructs of infra/constructs/, one concern each:
 * - Mail, LinkSigningKey, LinksApi, StaffAuth: the SES identity and configuration set, the key of the
 *   links, the HTTP API of the links and the staff console, staff sign-in (managed login);
 * - LinksApiHandler, UploadIngest, DeliveryEvents, ScheduledTick: the four functions (api, ingest,
 *   ses-events, tick), each a `BangfuFunction` with exactly the statements its code needs
 *   (infra/grants.ts), with what starts it and the alarms on it;
 * - ReminderFanOut: the queue the tick leaves its pages of due reminders in, and the reminder worker
 *   that sends them, as many at once as the SES rate allows;
 * - OperatorPolicy: what `bangfu --aws` needs, for an administrator to attach.
 * Every function invoked asynchronously has retries, a dead-letter queue and an alarm on it.
 *
 * The four function constructs are plain classes, not Constructs: they make their functions, queues,
 * rules and schedule directly in this stack under the ids those always had (Tick, Api, Ingest,
 * SesEvents, TickFailures, …). A Construct around them would put its id into the path, and so into the
 * logical id, of every resource below it: on a deployed stack CloudFormation would create each one anew
 * and delete the old one, or, for the retained log groups, leave it behind. Each of the other
 * constructs subclasses its one main resource (UserPool, HttpApi, Secret, ManagedPolicy) or already was
 * a construct (Mail), under the id it always had.
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
import { ReminderFanOut } from './constructs/reminder-fan-out.ts';
import { ScheduledTick } from './constructs/scheduled-tick.ts';
import { StaffAuth } from './constructs/staff-auth.ts';
import { UploadIngest } from './constructs/upload-ingest.ts';
import { AlarmTopic, type BangfuFunction, type FunctionEnvironment } from './defaults.ts';
import { FilesBucketGrants } from './grants.ts';
import type { DeploySettings } from './settings.ts';
import { filesBucketName } from './stateful-stack.ts';

export interface StatelessStackProps extends StackProps {
  /** The table of the stateful stack. */
  readonly table: ITableV2;
  /**
   * The files bucket of the stateful stack. Grants, the ingest rule and the functions name it by
   * `filesBucketName` instead, so this stack takes no cross-stack reference to it.
   */
  readonly files: IBucket;
  /** The deployment's settings, from CDK context (settings.ts). */
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
  /** The reminder queue, its dead-letter queue and the reminder worker. */
  readonly reminders: ReminderFanOut;
  readonly operatorPolicy: OperatorPolicy;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { table, settings } = props;
    // The files bucket by its deterministic name (stateful-stack.ts): no cross-stack token anywhere.
    const files = new FilesBucketGrants(this, filesBucketName(this));

    this.alarms = new AlarmTopic(this, 'Alarms', { email: settings.alarmEmail });
    this.mail = new Mail(this, 'Mail', { sender: settings.sender, domain: settings.domain });
    this.linkKey = new LinkSigningKey(this, 'LinkSigningKey');
    // Its endpoint, or its custom domain, is the base of every link.
    this.httpApi = new LinksApi(this, 'HttpApi', {
      alarmAction: this.alarms.action,
      ...(settings.apiDomain && settings.apiCertificateArn
        ? { domain: { name: settings.apiDomain, certificateArn: settings.apiCertificateArn } }
        : {}),
    });
    // Staff sign in on Cognito's managed login pages and come back to the console on the API's origin.
    this.staff = new StaffAuth(this, 'Staff', {
      consoleOrigin: this.httpApi.publicUrl,
      ...(settings.staffAuthDomain && settings.staffAuthCertificateArn
        ? { domain: { name: settings.staffAuthDomain, certificateArn: settings.staffAuthCertificateArn } }
        : {}),
    });
    this.staffClient = this.staff.consoleClient;

    // Every function reads the same configuration; those that send mail also get the SES settings.
    const shared = {
      tableName: table.tableName,
      bucketName: files.bucketName,
      sender: settings.sender,
      publicUrl: this.httpApi.publicUrl,
      ticketSecretArn: this.linkKey.secretArn,
    } satisfies FunctionEnvironment;
    const sending = {
      sesConfigurationSet: this.mail.configurationSet.configurationSetName,
      sesMaxSendRate: settings.sesMaxSendRate?.toString(),
    } satisfies FunctionEnvironment;
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

    // Only the API function serves the staff console, so only it gets the sign-in settings.
    this.api = new LinksApiHandler(this, {
      ...sendingFunction,
      environment: { ...shared, ...sending, ...this.staff.signInEnvironment },
      httpApi: this.httpApi,
    }).api;
    this.ingest = new UploadIngest(this, sendingFunction).ingest;
    this.sesEvents = new DeliveryEvents(this, sendingFunction).sesEvents;
    // The tick hands its pages of due reminders to the workers, paced together at the SES rate.
    this.reminders = new ReminderFanOut(this, {
      ...sendingFunction,
      ...(settings.sesMaxSendRate ? { sesMaxSendRate: settings.sesMaxSendRate } : {}),
    });
    const scheduledTick = new ScheduledTick(this, {
      ...sendingFunction,
      environment: { ...sendingFunction.environment, reminderQueueUrl: this.reminders.queue.queueUrl },
    });
    this.tick = scheduledTick.tick;
    this.tickSchedule = scheduledTick.schedule;
    this.reminders.allowEnqueue(this.tick);

    this.operatorPolicy = new OperatorPolicy(this, 'OperatorPolicy', {
      table,
      files,
      linkKey: this.linkKey,
      mail: this.mail,
      sandboxRecipients: settings.sandboxRecipients,
    });

    this.addOutputs(table, files, settings);
  }

  /** What an administrator and `bangfu --aws` read after a deploy. */
  private addOutputs(table: ITableV2, files: FilesBucketGrants, settings: DeploySettings): void {
    new CfnOutput(this, 'TickFunctionName', { value: this.tick.function.functionName });
    new CfnOutput(this, 'ApiEndpoint', {
      description: 'The HTTP API default endpoint',
      value: this.httpApi.apiEndpoint,
    });
    // What `bangfu --aws` reads to act on this deployment as the functions do; the key's ARN, never the key.
    const deployed: Record<keyof typeof DEPLOYED_ENV_OUTPUTS, string> = {
      TableName: table.tableName,
      FilesBucketName: files.bucketName,
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
    new CfnOutput(this, 'StaffConsoleClientId', {
      description: 'The app client bangfu-console, which signs staff in through managed login',
      value: this.staffClient.userPoolClientId,
    });
    new CfnOutput(this, 'StaffManagedLoginUrl', {
      description: 'The managed login domain: its /oauth2/authorize, /oauth2/token and /logout endpoints',
      value: this.staff.managedLoginUrl,
    });
    if (settings.staffAuthDomain) {
      new CfnOutput(this, 'StaffAuthDomainTarget', {
        description: `Point ${settings.staffAuthDomain} at this CloudFront name (a CNAME, or a Route 53 alias)`,
        value: this.staff.managedLoginDomainTarget,
      });
    }
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
    new CfnOutput(this, 'SesIdentity', {
      description: 'Verify it in SES (a link is emailed to an address identity) before the first tick',
      value: this.mail.identity.emailIdentityName,
    });
  }
}
