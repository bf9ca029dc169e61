/** What a run leaves behind when it dies between handing a message to SES and recording the outcome. */

import type { ReminderRecord } from '../../functions/domain/records.ts';
import type { ReminderStore } from '../../functions/use-cases/ports.ts';

export type DeadRunSend = Omit<ReminderRecord, 'status' | 'runId' | 'claimedAt'>;

/**
 * Writes `send` as the store holds it after such a death: `dispatched`, claimed an hour before `now`
 * (far past any lease a test uses; the wall clock unless a test times leases itself) by a run that no
 * longer exists.
 */
export async function leaveDispatchedByDeadRun(
  store: Pick<ReminderStore, 'claimReminders' | 'remindersOfStage'>,
  send: DeadRunSend,
  now: Date = new Date(),
): Promise<ReminderRecord> {
  const claimedAt = new Date(now.getTime() - 3600_000).toISOString();
  const record: ReminderRecord = { ...send, status: 'dispatched', runId: 'a-run-that-died', claimedAt };
  if (!(await store.claimReminders([record], claimedAt))) throw new Error(`${send.email} is already claimed`);
  const stored = (await store.remindersOfStage(send.pairingId, send.kind, send.year, send.stage)).find(
    (r) => r.email === send.email,
  );
  if (stored?.status !== 'dispatched') throw new Error(`${send.email} was not recorded as dispatched`);
  return record;
}
