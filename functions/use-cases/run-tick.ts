/**
 * The daily tick for one Beijing day, as EventBridge Scheduler starts it at 09:00 Asia/Shanghai:
 *
 * 1. the reminders whose stage falls on the day (send-due-reminders.ts), then
 * 2. what commission staff get (publish-documents.ts): the status document the day after a due date,
 *    and the weekly digest on the first working day of a week while a deadline is open.
 *
 * Both steps are safe to run again for the same day: what went out is not sent twice.
 */
import { type PublishPorts, type PublishResult, publishDocuments } from './publish-documents.ts';
import { type ReminderPorts, sendDueReminders, type TickResult } from './send-due-reminders.ts';

export interface DailyTickPorts {
  reminders: ReminderPorts;
  publishing: PublishPorts;
}

export type DailyTickResult = TickResult & { published: PublishResult };

export async function runDailyTick(ports: DailyTickPorts, day: string): Promise<DailyTickResult> {
  const reminders = await sendDueReminders(ports.reminders, day);
  const published = await publishDocuments(ports.publishing, day);
  return { ...reminders, published };
}
