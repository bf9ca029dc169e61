/**
 * Bounces and complaints: the mail configuration set reports them on the default EventBridge bus, and a
 * rule sends them to the ses-events function (functions/handlers/ses-events.handler.ts), which marks
 * the address so no reminder goes there again and tells the provincial commission. Delivery and
 * Lambda's own retries end in one dead-letter queue; an alarm watches it and the function's errors.
 *
 * Not a construct: the function, the queue and the rule are made directly in `scope` (the stack) under
 * the ids they have always had (SesEvents, SesEventFailures, DeliveryProblem), and the event destination
 * inside the configuration set (DeliveryProblems), so their logical ids and construct paths stay the
 * same.
 */
import { Duration, type Stack } from 'aws-cdk-lib';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { EmailSendingEvent, EventDestination } from 'aws-cdk-lib/aws-ses';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { alarmOnDeadLetters, alarmOnErrors, BangfuFunction, deadLetterQueue } from '../defaults.ts';
import { CLAIMING_ITEM_ACTIONS, queryTableAndIndexes, readLinkKey, tableItems } from '../grants.ts';
import { FUNCTION_FILES } from './function-files.ts';
import type { SendingFunctionProps } from './function-props.ts';

export type DeliveryEventsProps = SendingFunctionProps;

export class DeliveryEvents {
  readonly sesEvents: BangfuFunction;
  /** Sends SES's bounce and complaint events to the function. */
  readonly rule: Rule;
  /** Events that still failed after the rule's and Lambda's retries: those addresses are not marked. */
  readonly failures: Queue;

  constructor(scope: Stack, props: DeliveryEventsProps) {
    const { table, linkKey, mail, alarmAction } = props;
    mail.configurationSet.addEventDestination('DeliveryProblems', {
      destination: EventDestination.eventBus(EventBus.fromEventBusName(scope, 'DefaultBus', 'default')),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });
    this.failures = deadLetterQueue(scope, 'SesEventFailures');
    this.sesEvents = new BangfuFunction(scope, 'SesEvents', {
      entry: 'functions/handlers/ses-events.handler.ts',
      description: 'bangfu: marks bounced or complained addresses and tells the provincial commission',
      assets: [...FUNCTION_FILES.email],
      environment: props.environment,
      deadLetterQueue: this.failures,
      tracing: props.tracing,
    });
    this.rule = new Rule(scope, 'DeliveryProblem', {
      description: 'bangfu: SES bounces and complaints go to the ses-events function',
      eventPattern: { source: ['aws.ses'], detailType: ['Email Bounced', 'Email Complaint Received'] },
      targets: [
        new LambdaFunction(this.sesEvents.function, {
          deadLetterQueue: this.failures,
          retryAttempts: 8,
          maxEventAge: Duration.hours(6),
        }),
      ],
    });
    this.sesEvents.addToRolePolicy(queryTableAndIndexes(table));
    this.sesEvents.addToRolePolicy(tableItems('MarkAddressesAndRecordNotices', table, CLAIMING_ITEM_ACTIONS));
    this.sesEvents.addToRolePolicy(mail.sendingStatement(props.sandboxRecipients));
    this.sesEvents.addToRolePolicy(readLinkKey(linkKey));

    alarmOnErrors(
      this.sesEvents,
      alarmAction,
      'A bounce or complaint could not be recorded; EventBridge retries it, then the DLQ.',
    );
    alarmOnDeadLetters(
      this.failures,
      alarmAction,
      'A bounce or complaint was not recorded after all retries: reminders may still go to that address. ' +
        'The message holds the SES event; send it to the ses-events function again.',
    );
  }
}
