/**
 * The reminder log: one item per (obligation, stage, address), claimed with a conditional write before
 * a message goes out and completed after, so each address gets each stage once (send-once.ts).
 */
import type { ReminderRecord } from '../../domain/records.ts';
import { keys, TABLE_KEYS } from '../dynamo-keys.ts';
import { entity, setFields, type Table } from './table.ts';

export class DynamoReminderLog {
  constructor(private readonly table: Table) {}

  /** Consistent: a claim taken a moment ago by another run counts. */
  async remindersOfStage(
    pairingId: string,
    kind: string,
    year: number,
    stage: string,
  ): Promise<ReminderRecord[]> {
    const k = keys.remindersOfStage(pairingId, kind, year, stage);
    const items = await this.table.partition(k.PK, k.SKPrefix, { consistent: true });
    return items.map((item) => entity<ReminderRecord>(item));
  }

  async remindersOfProgramme(programmeId: string): Promise<ReminderRecord[]> {
    const k = keys.remindersOfProgramme(programmeId);
    const items = await this.table.index(TABLE_KEYS.byProgramme, k.GSI1PK, k.GSI1SKPrefix);
    return items.map((item) => entity<ReminderRecord>(item));
  }

  /** Claims the record as `sending` unless it exists; a `sending` claim older than `staleBefore` is taken over. */
  claimReminder(record: ReminderRecord, staleBefore: string): Promise<boolean> {
    return this.table.putIf(
      { ...keys.reminder(record), itemType: 'reminder', ...record, status: 'sending' },
      {
        expression: 'attribute_not_exists(PK) OR (#status = :sending AND claimedAt < :staleBefore)',
        names: { '#status': 'status' },
        values: { ':sending': 'sending', ':staleBefore': staleBefore },
      },
    );
  }

  /** Records the outcome; only the run holding the claim can (a run whose claim was taken over cannot). */
  async completeReminder(
    record: ReminderRecord,
    outcome: Pick<ReminderRecord, 'status' | 'sentAt' | 'messageId' | 'recipients' | 'reason'>,
  ): Promise<void> {
    await this.table.updateIf(keyOf(record), setFields(outcome), {
      expression: 'runId = :runId',
      values: { ':runId': record.runId },
    });
  }

  /** Frees this run's claim so a later run sends it: a failed SES call is known not to have sent. */
  async releaseReminder(record: ReminderRecord): Promise<void> {
    await this.table.deleteIf(keyOf(record), {
      expression: 'runId = :runId AND #status IN (:sending, :dispatched)',
      names: { '#status': 'status' },
      values: { ':runId': record.runId, ':sending': 'sending', ':dispatched': 'dispatched' },
    });
  }
}

function keyOf(record: ReminderRecord) {
  const { PK, SK } = keys.reminder(record);
  return { PK, SK };
}
