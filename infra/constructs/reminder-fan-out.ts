/**
 * The daily tick's reminders fanned out past one invocation: the tick leaves each page of due
 * reminders (up to 200 obligations) as a message in the reminder queue, and the reminder worker
 * (functions/handlers/reminder-worker.handler.ts) sends one page per invocation. How many workers run
 * at once is capped so that together they stay within the account's SES rate: each is given its share
 * of `bangfu:sesMaxSendRate` in its environment, which its mailer paces itself to. A page with a failed
 * send is reported back to SQS alone (ReportBatchItemFailures) and delivered again after the visibility
 * timeout; after five receives it waits in the dead-letter queue for a person. Exactly-once records make
 * every redelivery safe.
 *
 * Not a construct, like the other functions' (stateless-stack.ts): the queues and the function are made
 * directly in `scope` under ids of their own (ReminderQueue, ReminderFailures, ReminderWorker).
 */
import { Duration, type Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { DEFAULT_SES_MAX_SEND_RATE } from '../../functions/adapters/config.ts';
import { alarmOn, alarmOnDeadLetters, alarmOnErrors, BangfuFunction, deadLetterQueue } from '../defaults.ts';
import { CLAIMING_ITEM_ACTIONS, queryTableAndIndexes, readLinkKey, tableItems } from '../grants.ts';
import { FUNCTION_FILES } from './function-files.ts';
import type { SendingFunctionProps } from './function-props.ts';

/** The most workers at once, whatever the rate: each also holds DynamoDB reads and claims in flight. */
export const MAX_REMINDER_WORKERS = 10;
/** The fewest an SQS event source's maximum concurrency may be. */
const MIN_EVENT_SOURCE_CONCURRENCY = 2;
/** Receives of a page before it is left in the dead-letter queue. */
export const REMINDER_MAX_RECEIVES = 5;
/** A worker's time for a page: 200 sends at half a message a second take under seven minutes. */
export const REMINDER_WORKER_TIMEOUT = Duration.minutes(15);
/** A page still waiting this long after the tick left it means the day's reminders are late. */
export const REMINDER_AGE_ALARM = Duration.hours(3);

/**
 * How many workers run at once and at what rate each sends, so that `workers × perWorkerRate` never
 * exceeds the account's rate: one worker per message a second, between 2 and MAX_REMINDER_WORKERS,
 * the rate shared evenly (rounded down to a thousandth).
 */
export function reminderWorkerSizing(maxSendRate: number): { workers: number; perWorkerRate: number } {
  const workers = Math.min(
    MAX_REMINDER_WORKERS,
    Math.max(MIN_EVENT_SOURCE_CONCURRENCY, Math.floor(maxSendRate)),
  );
  return { workers, perWorkerRate: Math.floor((maxSendRate / workers) * 1000) / 1000 };
}

export interface ReminderFanOutProps extends SendingFunctionProps {
  /** The account's SES MaxSendRate. @default DEFAULT_SES_MAX_SEND_RATE (the code's default) */
  readonly sesMaxSendRate?: number;
}

export class ReminderFanOut {
  /** Pages of due reminders, from the tick to the workers. */
  readonly queue: Queue;
  /** Pages that failed REMINDER_MAX_RECEIVES times. */
  readonly failures: Queue;
  readonly worker: BangfuFunction;
  readonly sizing: { workers: number; perWorkerRate: number };

  constructor(scope: Stack, props: ReminderFanOutProps) {
    const { table, linkKey, mail, alarmAction } = props;
    this.sizing = reminderWorkerSizing(props.sesMaxSendRate ?? DEFAULT_SES_MAX_SEND_RATE);
    this.failures = deadLetterQueue(scope, 'ReminderFailures');
    this.queue = new Queue(scope, 'ReminderQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS's advice for a Lambda event source: at least six times the function's timeout, so a page
      // is not delivered to a second worker while the first still works on it.
      visibilityTimeout: Duration.seconds(REMINDER_WORKER_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.failures, maxReceiveCount: REMINDER_MAX_RECEIVES },
    });

    this.worker = new BangfuFunction(scope, 'ReminderWorker', {
      entry: 'functions/handlers/reminder-worker.handler.ts',
      description: "bangfu reminder worker: sends one page of the daily tick's due reminders",
      assets: [...FUNCTION_FILES.email],
      environment: { ...props.environment, sesMaxSendRate: String(this.sizing.perWorkerRate) },
      timeout: REMINDER_WORKER_TIMEOUT,
      tracing: props.tracing,
    });
    this.worker.function.addEventSource(
      new SqsEventSource(this.queue, {
        // One page per invocation: a failed page is retried alone, and a worker's time is one page's.
        batchSize: 1,
        reportBatchItemFailures: true,
        maxConcurrency: this.sizing.workers,
      }),
    );
    // What the tick's reminder path does (send-due-reminders.ts): queries on the table and its
    // indexes, reads by key, conditional writes of claims, address marks and upload links; SES; the
    // link-signing key for the personal upload links. No S3: a page renders no document.
    this.worker.addToRolePolicy(queryTableAndIndexes(table));
    this.worker.addToRolePolicy(tableItems('ReadAndRecordReminders', table, CLAIMING_ITEM_ACTIONS));
    this.worker.addToRolePolicy(mail.sendingStatement(props.sandboxRecipients));
    this.worker.addToRolePolicy(readLinkKey(linkKey));

    alarmOnErrors(
      this.worker,
      alarmAction,
      'A reminder worker failed outside a page (a malformed SQS event, a timeout, a crash): its page is ' +
        'delivered again after the visibility timeout. Look at the ReminderWorker log group.',
    );
    alarmOnDeadLetters(
      this.failures,
      alarmAction,
      `A page of the day's reminders failed ${REMINDER_MAX_RECEIVES} times and waits in the dead-letter ` +
        "queue: its obligations' reminders are incomplete. Fix the cause, then redrive the queue (the " +
        'sends that went out are not repeated), or run the tick again for that day.',
    );
    alarmOn(this.queue, 'OldestMessageAlarm', {
      metric: this.queue.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: REMINDER_AGE_ALARM.toSeconds(),
      description:
        `A page of due reminders has waited over ${REMINDER_AGE_ALARM.toHours()} hours: the workers are ` +
        'not keeping up (throttled, failing, or too few for the day) and reminders go out late.',
      action: alarmAction,
    });
  }

  /** Lets `tick` leave pages in the queue, and nothing else on it. */
  allowEnqueue(tick: BangfuFunction): void {
    tick.addToRolePolicy(
      new PolicyStatement({
        sid: 'EnqueueReminderPages',
        actions: ['sqs:SendMessage'],
        resources: [this.queue.queueArn],
      }),
    );
  }
}
