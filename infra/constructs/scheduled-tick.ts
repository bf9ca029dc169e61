/**
 * The daily tick: at 09:00 Beijing time EventBridge Scheduler invokes the tick function, which sends the
 * reminders due that day, then the status PDFs and digests for commission staff
 * (functions/handlers/tick.handler.ts). Lambda retries a failed tick, then keeps its event in a
 * dead-letter queue; a delivery the scheduler cannot make lands in a second queue. Every failure of
 * either kind raises an alarm.
 *
 * Not a construct: the function, the queues and the schedule are made directly in `scope` (the stack)
 * under the ids they have always had (Tick, TickFailures, TickScheduleFailures, TickSchedule), so their
 * logical ids and construct paths stay the same.
 */
import { Duration, type Stack, TimeZone } from 'aws-cdk-lib';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
  TimeWindow,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke, type ScheduleTargetBaseProps } from 'aws-cdk-lib/aws-scheduler-targets';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import {
  acknowledgeDeadLetterQueue,
  alarmOnDeadLetters,
  alarmOnErrors,
  BangfuFunction,
  deadLetterQueue,
  PDFKIT_RUNTIME_FILES,
} from '../defaults.ts';
import {
  acknowledgeObjectPrefixes,
  CLAIMING_ITEM_ACTIONS,
  queryTableAndIndexes,
  readLinkKey,
  tableItems,
} from '../grants.ts';
import { FUNCTION_FILES } from './function-files.ts';
import type { SendingFunctionProps } from './function-props.ts';

/** Where the tick stores generated PDFs (functions/use-cases/documents.ts). */
export const DOCUMENTS_PREFIX = 'documents/';

export type ScheduledTickProps = SendingFunctionProps;

export class ScheduledTick {
  readonly tick: BangfuFunction;
  readonly schedule: Schedule;
  /** Events of ticks that still failed after Lambda's retries. */
  readonly failures: Queue;
  /** Invocations the scheduler could not deliver: the tick did not run. */
  readonly scheduleFailures: Queue;

  constructor(scope: Stack, props: ScheduledTickProps) {
    const { table, files, linkKey, mail, alarmAction } = props;
    this.failures = deadLetterQueue(scope, 'TickFailures');
    this.tick = new BangfuFunction(scope, 'Tick', {
      entry: 'functions/handlers/tick.handler.ts',
      description: 'bangfu daily tick: sends the reminders due on the Beijing day of the scheduled time',
      assets: [...FUNCTION_FILES.email, ...FUNCTION_FILES.cjkFont, ...PDFKIT_RUNTIME_FILES.assets],
      runtimeImports: PDFKIT_RUNTIME_FILES.runtimeImports,
      // Two 10.5 MB fonts parsed for the PDFs; more memory is also more CPU for rendering.
      memorySize: 1024,
      environment: props.environment,
      // A day's sends are paced at the account's SES rate (sandbox: one per second).
      timeout: Duration.minutes(15),
      deadLetterQueue: this.failures,
      // Lambda retries a failed tick twice; the scheduled time in the event keeps the same Beijing day.
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      tracing: props.tracing,
    });
    // Exactly what DynamoStore does for the tick (send-due-reminders.ts, publish-documents.ts): queries
    // on the table (contacts), GSI1 (programmes, institutions) and GSI2 (obligations due); reads by key;
    // conditional put / update / delete of reminder claims, documents and address statuses.
    this.tick.addToRolePolicy(queryTableAndIndexes(table));
    this.tick.addToRolePolicy(tableItems('ReadAndRecordReminders', table, CLAIMING_ITEM_ACTIONS));
    this.tick.addToRolePolicy(mail.sendingStatement(props.sandboxRecipients));
    this.tick.addToRolePolicy(readLinkKey(linkKey));
    // Staff download the PDFs through /d/{token} (the API signs the GET), so the tick only writes them.
    this.tick.addToRolePolicy(files.objects('StoreGeneratedDocuments', ['s3:PutObject'], [DOCUMENTS_PREFIX]));
    acknowledgeObjectPrefixes(this.tick, [DOCUMENTS_PREFIX], 'the tick stores generated PDFs');

    // 09:00 Beijing time, every day; the tick itself skips what is not due (working days, stages).
    this.scheduleFailures = deadLetterQueue(scope, 'TickScheduleFailures');
    acknowledgeDeadLetterQueue(this.scheduleFailures, 'the EventBridge Scheduler schedule of the daily tick');
    this.schedule = new Schedule(scope, 'TickSchedule', {
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
        deadLetterQueue: this.scheduleFailures,
      }),
    });

    alarmOnErrors(
      this.tick,
      alarmAction,
      'The daily tick failed. Lambda retries it twice with the same scheduled time; sends that succeeded ' +
        'are not repeated. Look at the tick log group for "message(s) failed".',
    );
    alarmOnDeadLetters(
      this.failures,
      alarmAction,
      "A daily tick failed after all retries: that day's reminders are incomplete. The message holds the " +
        'event; run the tick again for that scheduled time once the cause is fixed.',
    );
    alarmOnDeadLetters(
      this.scheduleFailures,
      alarmAction,
      'EventBridge Scheduler could not invoke the daily tick (permissions, throttling, deleted function): ' +
        'the tick did not run. The message names the error and the scheduled time.',
    );
  }
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
