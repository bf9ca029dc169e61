/**
 * Everything that can be replaced without losing data: functions, their grants, the schedule, mail
 * sending, alarms. Takes the stateful stack's table and bucket as props.
 *
 * Functions so far: the daily tick. Later handlers (upload API, ingest, render, bounces) are each a
 * `BangfuFunction` with their own explicit statements, a dead-letter queue if invoked asynchronously,
 * and `alarmOnErrors` / `alarmOnDeadLetters` on `this.alarms`.
 */
import { CfnOutput, Duration, Stack, type StackProps, TimeZone, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
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
import type { Construct } from 'constructs';
import { TABLE_KEYS } from '../functions/adapters/dynamo-keys.ts';
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

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { table, files, settings } = props;

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
        bucketName: files.bucketName,
        sender: settings.sender,
        publicUrl: settings.publicUrl,
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
    this.tick.addToRolePolicy(
      new PolicyStatement({
        sid: 'QueryTableAndIndexes',
        actions: ['dynamodb:Query'],
        resources: [table.tableArn, ...indexArns(table, TABLE_KEYS.byProgramme, TABLE_KEYS.openByDueDate)],
      }),
    );
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
    this.tick.addToRolePolicy(
      new PolicyStatement({
        sid: 'ReadLinkSigningKey',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [this.linkKey.secretArn],
      }),
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
    alarmOnDeadLetters(
      scheduleFailures,
      action,
      'EventBridge Scheduler could not invoke the daily tick (permissions, throttling, deleted function): ' +
        'the tick did not run. The message names the error and the scheduled time.',
    );

    new CfnOutput(this, 'TickFunctionName', { value: this.tick.function.functionName });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
    new CfnOutput(this, 'SesIdentity', {
      description: 'Verify it in SES (a link is emailed to an address identity) before the first tick',
      value: this.mail.identity.emailIdentityName,
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
