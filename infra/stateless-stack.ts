/**
 * Everything that can be replaced without losing data: functions, their grants, the schedule, mail
 * sending, alarms. Takes the stateful stack's table and bucket as props.
 *
 * Functions so far: the daily tick. Later handlers (upload API, ingest, render, bounces) are each a
 * `BangfuFunction` with their own explicit statements, a dead-letter queue if invoked asynchronously,
 * and `alarmOnErrors` / `alarmOnDeadLetters` on `this.alarms`.
 */
import {
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  TimeZone,
  Validations,
} from 'aws-cdk-lib';
import { type CfnStage, HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AccountRecovery, FeaturePlan, Mfa, UserPool, type UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
  TimeWindow,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke, type ScheduleTargetBaseProps } from 'aws-cdk-lib/aws-scheduler-targets';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { EmailSendingEvent, EventDestination } from 'aws-cdk-lib/aws-ses';
import type { Construct } from 'constructs';
import { TABLE_KEYS } from '../functions/adapters/dynamo-keys.ts';
import { ENV } from '../functions/adapters/env-names.ts';
import {
  AlarmTopic,
  acknowledgeDeadLetterQueue,
  alarmOnDeadLetters,
  alarmOnErrors,
  BangfuFunction,
  deadLetterQueue,
} from './defaults.ts';
import { Mail } from './mail.ts';
import type { DeploySettings } from './settings.ts';
import { FILES_BUCKET_PREFIX, filesBucketName } from './stateful-stack.ts';

export interface StatelessStackProps extends StackProps {
  readonly table: ITableV2;
  readonly files: IBucket;
  readonly settings: DeploySettings;
}

export class StatelessStack extends Stack {
  readonly alarms: AlarmTopic;
  readonly mail: Mail;
  readonly tick: BangfuFunction;
  readonly tickSchedule: Schedule;
  readonly linkKey: Secret;
  readonly staff: UserPool;
  readonly sesEvents: BangfuFunction;
  readonly staffClient: UserPoolClient;
  readonly api: BangfuFunction;
  readonly httpApi: HttpApi;
  readonly ingest: BangfuFunction;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { table, settings } = props;
    // The files bucket by its deterministic name (stateful-stack.ts), so grants carry no cross-stack token.
    const filesBucket = filesBucketName(this);
    const objectArn = (prefix: string) => `arn:${this.partition}:s3:::${filesBucket}/${prefix}`;

    this.alarms = new AlarmTopic(this, 'Alarms', { email: settings.alarmEmail });
    this.mail = new Mail(this, 'Mail', { sender: settings.sender, domain: settings.domain });

    // ---- the key that signs upload and download links: generated here, read by the functions at
    // cold start (never in their environment)
    this.linkKey = new Secret(this, 'LinkSigningKey', {
      description: 'bangfu: HMAC key of the upload and download links in emails',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    Validations.of(this.linkKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the link-signing key would invalidate every upload and download link already emailed; ' +
        'rotation needs verification against two keys, planned with the staff console.',
    });

    // ---- the upload and download endpoints
    this.api = new BangfuFunction(this, 'Api', {
      entry: 'functions/handlers/api.handler.ts',
      description: 'bangfu upload pages, presigned POSTs, upload status and document downloads',
      assets: ['templates/email', 'templates/pages'],
      environment: {},
      tracing: settings.tracing,
    });
    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'bangfu upload and download links',
      createDefaultStage: true,
    });
    const accessLogs = new LogGroup(this, 'HttpApiAccessLogs', { retention: RetentionDays.ONE_YEAR });
    (this.httpApi.defaultStage?.node.defaultChild as CfnStage).accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      format: JSON.stringify({
        requestId: '$context.requestId',
        ip: '$context.identity.sourceIp',
        time: '$context.requestTime',
        method: '$context.httpMethod',
        route: '$context.routeKey',
        status: '$context.status',
        latency: '$context.responseLatency',
      }),
    };
    const apiIntegration = new HttpLambdaIntegration('ApiIntegration', this.api.function);
    for (const [path, methods] of [
      ['/u/{proxy+}', [HttpMethod.GET, HttpMethod.POST]],
      ['/d/{token}', [HttpMethod.GET]],
    ] as const) {
      const routes = this.httpApi.addRoutes({ path, methods: [...methods], integration: apiIntegration });
      routes.forEach((route, i) => {
        Validations.of(route).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${methods[i]} ${path} is a capability link: the signed, expiring ticket in the path is the authorization, verified by the handler`,
        });
      });
    }
    // Commission staff sign in through Cognito; API Gateway checks their JWT before /staff reaches the
    // handler, which refuses any request without the authorizer's claims.
    this.staff = new UserPool(this, 'Staff', {
      userPoolName: 'bangfu-staff',
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.PLUS,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.staffClient = this.staff.addClient('Console', {
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
    });
    this.httpApi.addRoutes({
      path: '/staff/{proxy+}',
      methods: [HttpMethod.GET],
      integration: apiIntegration,
      authorizer: new HttpUserPoolAuthorizer('StaffAuthorizer', this.staff, {
        userPoolClients: [this.staffClient],
      }),
    });
    const publicUrl = this.httpApi.apiEndpoint;
    const shared = {
      tableName: table.tableName,
      bucketName: filesBucket,
      sender: settings.sender,
      publicUrl,
      ticketSecretArn: this.linkKey.secretArn,
    };
    this.api.function.addEnvironment(ENV.tableName, shared.tableName);
    this.api.function.addEnvironment(ENV.bucketName, shared.bucketName);
    this.api.function.addEnvironment(ENV.sender, shared.sender);
    this.api.function.addEnvironment(ENV.publicUrl, shared.publicUrl);
    this.api.function.addEnvironment(ENV.ticketSecretArn, shared.ticketSecretArn);
    this.api.addToRolePolicy(readSecret(this.linkKey));
    this.api.addToRolePolicy(queryTableAndIndexes(table));
    this.api.addToRolePolicy(
      new PolicyStatement({
        sid: 'ReadAndRecordSlotsAndLinks',
        actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        resources: [table.tableArn],
      }),
    );
    this.api.addToRolePolicy(
      new PolicyStatement({
        // Presigned POSTs for uploads are signed with this role: it may put under incoming/ only.
        sid: 'SignUploadsAndDownloads',
        actions: ['s3:PutObject', 's3:GetObject'],
        resources: [objectArn('incoming/*'), objectArn('documents/*')],
      }),
    );

    // ---- ingest of uploads (S3 Object Created under incoming/, through EventBridge)
    const ingestFailures = deadLetterQueue(this, 'IngestFailures');
    this.ingest = new BangfuFunction(this, 'Ingest', {
      entry: 'functions/handlers/ingest.handler.ts',
      description: 'bangfu ingest: checks an uploaded file, records the submission, sends the receipt',
      assets: ['templates/email'],
      environment: {
        ...shared,
        sesConfigurationSet: this.mail.configurationSet.configurationSetName,
        sesMaxSendRate: settings.sesMaxSendRate?.toString(),
      },
      timeout: Duration.minutes(2),
      memorySize: 1024,
      deadLetterQueue: ingestFailures,
      tracing: settings.tracing,
    });
    new Rule(this, 'UploadCreated', {
      description: 'bangfu: a file uploaded under incoming/ goes to the ingest function',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [filesBucket] }, object: { key: [{ prefix: 'incoming/' }] } },
      },
      targets: [
        new LambdaFunction(this.ingest.function, {
          deadLetterQueue: ingestFailures,
          retryAttempts: 8,
          maxEventAge: Duration.hours(6),
        }),
      ],
    });
    this.ingest.addToRolePolicy(readSecret(this.linkKey));
    this.ingest.addToRolePolicy(queryTableAndIndexes(table));
    this.ingest.addToRolePolicy(
      new PolicyStatement({
        sid: 'RecordSubmissionsAndNotices',
        actions: [
          'dynamodb:GetItem',
          'dynamodb:BatchGetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
        ],
        resources: [table.tableArn],
      }),
    );
    this.ingest.addToRolePolicy(
      new PolicyStatement({
        sid: 'ReadAndClearIncoming',
        actions: ['s3:GetObject', 's3:DeleteObject'],
        resources: [objectArn('incoming/*')],
      }),
    );
    this.ingest.addToRolePolicy(
      new PolicyStatement({
        sid: 'FileSubmissionsAndRejections',
        actions: ['s3:PutObject'],
        resources: [objectArn('submissions/*'), objectArn('rejected/*')],
      }),
    );
    this.ingest.addToRolePolicy(this.mail.sendingStatement(settings.sandboxRecipients));

    // ---- bounces and complaints: SES reports them on the default event bus; the handler marks the
    // address (no reminder goes there again) and tells the provincial commission.
    this.mail.configurationSet.addEventDestination('DeliveryProblems', {
      destination: EventDestination.eventBus(EventBus.fromEventBusName(this, 'DefaultBus', 'default')),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });
    const sesEventFailures = deadLetterQueue(this, 'SesEventFailures');
    this.sesEvents = new BangfuFunction(this, 'SesEvents', {
      entry: 'functions/handlers/ses-events.handler.ts',
      description: 'bangfu: marks bounced or complained addresses and tells the provincial commission',
      assets: ['templates/email'],
      environment: {
        ...shared,
        sesConfigurationSet: this.mail.configurationSet.configurationSetName,
      },
      deadLetterQueue: sesEventFailures,
      tracing: settings.tracing,
    });
    new Rule(this, 'DeliveryProblem', {
      description: 'bangfu: SES bounces and complaints go to the ses-events function',
      eventPattern: { source: ['aws.ses'], detailType: ['Email Bounced', 'Email Complaint Received'] },
      targets: [
        new LambdaFunction(this.sesEvents.function, {
          deadLetterQueue: sesEventFailures,
          retryAttempts: 8,
          maxEventAge: Duration.hours(6),
        }),
      ],
    });
    this.sesEvents.addToRolePolicy(readSecret(this.linkKey));
    this.sesEvents.addToRolePolicy(queryTableAndIndexes(table));
    this.sesEvents.addToRolePolicy(
      new PolicyStatement({
        sid: 'MarkAddressesAndRecordNotices',
        actions: [
          'dynamodb:GetItem',
          'dynamodb:BatchGetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
        ],
        resources: [table.tableArn],
      }),
    );
    this.sesEvents.addToRolePolicy(this.mail.sendingStatement(settings.sandboxRecipients));

    // ---- the daily tick
    const tickFailures = deadLetterQueue(this, 'TickFailures');
    this.tick = new BangfuFunction(this, 'Tick', {
      entry: 'functions/handlers/tick.handler.ts',
      description: 'bangfu daily tick: sends the reminders due on the Beijing day of the scheduled time',
      // The tick renders status PDFs: the wording and both weights of the CJK font travel with it.
      assets: [
        'templates/email',
        'templates/pdf',
        'node_modules/@expo-google-fonts/noto-sans-sc/package.json',
        'node_modules/@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
        'node_modules/@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
      ],
      memorySize: 1024,
      environment: {
        tableName: table.tableName,
        bucketName: filesBucket,
        sender: settings.sender,
        publicUrl,
        ticketSecretArn: this.linkKey.secretArn,
        sesConfigurationSet: this.mail.configurationSet.configurationSetName,
        sesMaxSendRate: settings.sesMaxSendRate?.toString(),
      },
      // A day's sends are paced at the account's SES rate (sandbox: one per second).
      timeout: Duration.minutes(15),
      deadLetterQueue: tickFailures,
      // Lambda retries a failed tick twice; the scheduled time in the event keeps the same Beijing day.
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      tracing: settings.tracing,
    });
    // Exactly what DynamoStore does for the tick (functions/use-cases/send-due-reminders.ts): queries on
    // the table (contacts), GSI1 (programmes, institutions) and GSI2 (obligations due); reads by key;
    // conditional put / update / delete of reminder claims and address statuses. No scan, no batch write.
    this.tick.addToRolePolicy(queryTableAndIndexes(table));
    this.tick.addToRolePolicy(
      new PolicyStatement({
        sid: 'ReadAndRecordReminders',
        actions: [
          'dynamodb:GetItem',
          'dynamodb:BatchGetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
        ],
        resources: [table.tableArn],
      }),
    );
    this.tick.addToRolePolicy(this.mail.sendingStatement(settings.sandboxRecipients));
    this.tick.addToRolePolicy(readSecret(this.linkKey));
    this.tick.addToRolePolicy(
      new PolicyStatement({
        sid: 'StoreGeneratedDocuments',
        actions: ['s3:PutObject'],
        resources: [objectArn('documents/*')],
      }),
    );
    acknowledgeObjectPrefixes(this.tick, ['documents/*'], 'the tick stores generated PDFs');
    acknowledgeObjectPrefixes(
      this.api,
      ['incoming/*', 'documents/*'],
      'the API signs upload POSTs and download GETs',
    );
    acknowledgeObjectPrefixes(
      this.ingest,
      ['incoming/*', 'submissions/*', 'rejected/*'],
      'ingest moves uploaded files',
    );

    // ---- 09:00 Beijing time, every day; the tick itself skips what is not due (working days, stages).
    const scheduleFailures = deadLetterQueue(this, 'TickScheduleFailures');
    acknowledgeDeadLetterQueue(scheduleFailures, 'the EventBridge Scheduler schedule of the daily tick');
    this.tickSchedule = new Schedule(this, 'TickSchedule', {
      description: 'bangfu daily tick, 09:00 Asia/Shanghai',
      schedule: ScheduleExpression.cron({ minute: '0', hour: '9', timeZone: TimeZone.ASIA_SHANGHAI }),
      timeWindow: TimeWindow.off(),
      target: new InvokeFunctionOnly(this.tick.function, {
        // The scheduled time, not the delivery time, decides the day (tick.handler.ts): stable on retry.
        input: ScheduleTargetInput.fromObject({ scheduledTime: ContextAttribute.scheduledTime }),
        // Delivery retries (throttling, a function being updated) end by 15:00 Beijing, within the
        // working day the reminders are for.
        retryAttempts: 10,
        maxEventAge: Duration.hours(6),
        deadLetterQueue: scheduleFailures,
      }),
    });

    // ---- alarms
    const { action } = this.alarms;
    alarmOnErrors(
      this.tick,
      action,
      'The daily tick failed. Lambda retries it twice with the same scheduled time; sends that succeeded ' +
        'are not repeated. Look at the tick log group for "message(s) failed".',
    );
    alarmOnDeadLetters(
      tickFailures,
      action,
      "A daily tick failed after all retries: that day's reminders are incomplete. The message holds the " +
        'event; run the tick again for that scheduled time once the cause is fixed.',
    );
    alarmOnErrors(
      this.api,
      action,
      'The upload/download function failed; people see a 500 page. See its log group.',
    );
    alarmOnErrors(
      this.ingest,
      action,
      'An upload could not be ingested; EventBridge retries it, then the DLQ.',
    );
    alarmOnDeadLetters(
      ingestFailures,
      action,
      'An uploaded file was not ingested after all retries: its slot stays open. The message holds the ' +
        'event; send it to the ingest function again once the cause is fixed.',
    );
    alarmOnErrors(
      this.sesEvents,
      action,
      'A bounce or complaint could not be recorded; EventBridge retries it, then the DLQ.',
    );
    alarmOnDeadLetters(
      sesEventFailures,
      action,
      'A bounce or complaint was not recorded after all retries: reminders may still go to that address. ' +
        'The message holds the SES event; send it to the ses-events function again.',
    );
    alarmOnDeadLetters(
      scheduleFailures,
      action,
      'EventBridge Scheduler could not invoke the daily tick (permissions, throttling, deleted function): ' +
        'the tick did not run. The message names the error and the scheduled time.',
    );

    new CfnOutput(this, 'TickFunctionName', { value: this.tick.function.functionName });
    new CfnOutput(this, 'ApiEndpoint', {
      description: 'The HTTP API; point bangfu:publicUrl (a custom domain) at it',
      value: this.httpApi.apiEndpoint,
    });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
    new CfnOutput(this, 'SesIdentity', {
      description: 'Verify it in SES (a link is emailed to an address identity) before the first tick',
      value: this.mail.identity.emailIdentityName,
    });
  }
}

/** Queries on the table and its two indexes: every function's read path (dynamo-keys.ts). */
function queryTableAndIndexes(table: ITableV2): PolicyStatement {
  return new PolicyStatement({
    sid: 'QueryTableAndIndexes',
    actions: ['dynamodb:Query'],
    resources: [table.tableArn, ...indexArns(table, TABLE_KEYS.byProgramme, TABLE_KEYS.openByDueDate)],
  });
}

/** Reading the link-signing key, and nothing else in Secrets Manager. */
function readSecret(secret: Secret): PolicyStatement {
  return new PolicyStatement({
    sid: 'ReadLinkSigningKey',
    actions: ['secretsmanager:GetSecretValue'],
    resources: [secret.secretArn],
  });
}

/**
 * Object grants are scoped to a key prefix of the files bucket: the narrowest S3 allows for objects a
 * function creates at run time, which cdk-nag reports as a wildcard.
 */
function acknowledgeObjectPrefixes(fn: BangfuFunction, prefixes: string[], why: string): void {
  for (const prefix of prefixes) {
    Validations.of(fn.role).acknowledge({
      // How cdk-nag spells the ARN: pseudo parameters in angle brackets.
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${FILES_BUCKET_PREFIX}-<AWS::AccountId>-<AWS::Region>/${prefix}]`,
      reason: `${why}: objects under ${prefix} only, whose keys are chosen at run time, so no narrower ARN exists`,
    });
  }
}

/** IAM resource ARNs of a table's indexes, by name (no `index/*` wildcard). */
function indexArns(table: ITableV2, ...indexes: readonly { indexName: string }[]): string[] {
  return indexes.map((index) => `${table.tableArn}/index/${index.indexName}`);
}

/**
 * The scheduler's Lambda target with an invoke grant on the function's ARN alone. `LambdaInvoke` grants
 * `lambda:InvokeFunction` on `<arn>` and `<arn>:*` (every version and alias); the schedule invokes only
 * the unqualified function.
 */
class InvokeFunctionOnly extends LambdaInvoke {
  private readonly invoked: IFunction;

  constructor(func: IFunction, props: ScheduleTargetBaseProps) {
    super(func, props);
    this.invoked = func;
  }

  protected override addTargetActionToRole(role: IRole): void {
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.invoked.functionArn] }),
    );
  }
}
