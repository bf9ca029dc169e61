/**
 * The daily tick for one Beijing day, as EventBridge Scheduler starts it at 09:00 Asia/Shanghai:
 *
 * 1. the pairings' reminders whose stage falls on the day (send-due-reminders.ts), then
 * 2. the city commissions' reminders of their own deliverables (send-forwarding-reminders.ts), then
 * 3. what commission staff get (publish-documents.ts): the status document the day after a due date,
 *    and the weekly digest on the first working day of a week while a deadline is open, then
 * 4. on a working day, the notices of bounces and complaints held over the days off
 *    (delivery-problems.ts): nothing is mailed on a non-working day under the official calendar.
 *
 * Every step is safe to run again for the same day: what went out is not sent twice. The commissions'
 * reminders join the pairings' in one result (their `obligationId` is the forwarding's id), so a
 * failed one fails the run and is retried like any other; `forwardings` counts them apart. A held
 * notice whose send failed joins `failed` the same way (its `obligationId` is `<programme>#bounce`
 * or `#complaint`) and stays held for the retry.
 */
import {
  type DeliveryProblemPorts,
  type PendingNoticesResult,
  sendPendingDeliveryNotices,
} from './delivery-problems.ts';
import { type PublishPorts, type PublishResult, publishDocuments } from './publish-documents.ts';
import { type ReminderPorts, sendDueReminders, type TickResult } from './send-due-reminders.ts';
import {
  type ForwardingReminderPorts,
  type ForwardingReminderResult,
  sendForwardingReminders,
} from './send-forwarding-reminders.ts';
import { AddressBook } from './send-once.ts';

export interface DailyTickPorts {
  reminders: ReminderPorts;
  forwardingReminders: ForwardingReminderPorts;
  publishing: PublishPorts;
  deliveryNotices: DeliveryProblemPorts;
}

export type DailyTickResult = TickResult & {
  /** The city commissions' deliverables: in a window, and with a send due on the day. */
  forwardings: { candidates: number; due: number; messages: number };
  published: PublishResult;
  /** The bounce and complaint notices held over the days off that went out. */
  deliveryNotices: Pick<PendingNoticesResult, 'due' | 'notices' | 'pending' | 'noRecipients'>;
};

/**
 * Steps 1 and 2: the pairings' and the commissions' reminders of the day, on one read of the
 * programmes and one address book (an institution's contacts are read once for both). On a day with nothing due this is the programmes and the two due indexes, nothing else.
 */
export async function sendTickReminders(
  ports: Pick<DailyTickPorts, 'reminders' | 'forwardingReminders'>,
  day: string,
): Promise<{ reminders: TickResult; forwardings: ForwardingReminderResult }> {
  const shared = {
    programmes: await ports.reminders.store.listProgrammes(),
    addresses: new AddressBook(ports.reminders.store),
  };
  const reminders = await sendDueReminders(ports.reminders, day, shared);
  const forwardings = await sendForwardingReminders(ports.forwardingReminders, day, shared);
  return { reminders, forwardings };
}

export async function runDailyTick(ports: DailyTickPorts, day: string): Promise<DailyTickResult> {
  const { reminders, forwardings } = await sendTickReminders(ports, day);
  const published = await publishDocuments(ports.publishing, day);
  const notices = await sendPendingDeliveryNotices(ports.deliveryNotices, day);
  return {
    ...reminders,
    messages: [...reminders.messages, ...forwardings.messages],
    alreadySent: reminders.alreadySent + forwardings.alreadySent,
    rejected: [...reminders.rejected, ...forwardings.rejected],
    suppressed: [...reminders.suppressed, ...forwardings.suppressed],
    failed: [...reminders.failed, ...forwardings.failed, ...notices.failed],
    unconfirmed: [...reminders.unconfirmed, ...forwardings.unconfirmed, ...notices.unconfirmed],
    noContacts: [...reminders.noContacts, ...forwardings.noContacts],
    forwardings: {
      candidates: forwardings.candidates,
      due: forwardings.due,
      messages: forwardings.messages.length,
    },
    published,
    deliveryNotices: {
      due: notices.due,
      notices: notices.notices,
      pending: notices.pending,
      noRecipients: notices.noRecipients,
    },
  };
}
