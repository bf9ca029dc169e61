/**
 * The reminder log: one item per (obligation, stage), holding one attribute per address
 * (`@<address>`), so the addresses of one message are claimed, completed or released by one
 * conditional write on one item (send-once.ts says why that is what exactly-once needs). A tick reads
 * the logs of a page of messages with one consistent BatchGet, because every key is known from the
 * obligation and the stage.
 *
 * Tables written before this layout hold one item per (obligation, stage, address) under the same
 * sort-key prefix; `upgradeLegacyReminders` folds them into the stage items (the seed step runs it),
 * and the Query readers still read both until it has.
 */
import type { ReminderRecord } from '../../domain/records.ts';
import type { ReminderOutcome, ReminderStageRef } from '../../use-cases/ports.ts';
import { keys, TABLE_KEYS } from '../dynamo-keys.ts';
import { entity, type Item, type Table } from './table.ts';

/** What the stage item holds for one address. */
type AddressEntry = Pick<
  ReminderRecord,
  | 'institutionId'
  | 'field'
  | 'status'
  | 'runId'
  | 'claimedAt'
  | 'day'
  | 'sentAt'
  | 'messageId'
  | 'reason'
  | 'recipients'
>;

const ADDRESS_PREFIX = '@';
const STAGE_FIELDS = ['programmeId', 'pairingId', 'level', 'obligationId', 'kind', 'year', 'stage'] as const;

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
    return sortedByEmail(items.flatMap(recordsOfItem));
  }

  /** The logs of many stages, consistently, 100 to a request: one item each. */
  async remindersOfStages(stages: readonly ReminderStageRef[]): Promise<ReminderRecord[]> {
    const unique = new Map(stages.map((s) => [stageKeyOf(s).SK + s.pairingId, stageKeyOf(s)]));
    const items = await this.table.batchGet([...unique.values()], { consistent: true });
    return sortedByEmail(items.flatMap(recordsOfItem));
  }

  /** Every stage's log of one pairing's obligations: its own partition, not the programme's log. */
  async remindersOfPairing(pairingId: string): Promise<ReminderRecord[]> {
    const k = keys.remindersOfPairing(pairingId);
    const items = await this.table.partition(k.PK, k.SKPrefix, { consistent: false });
    return items.flatMap(recordsOfItem);
  }

  async remindersOfProgramme(programmeId: string): Promise<ReminderRecord[]> {
    const k = keys.remindersOfProgramme(programmeId);
    const items = await this.table.index(TABLE_KEYS.byProgramme, k.GSI1PK, k.GSI1SKPrefix);
    return items.flatMap(recordsOfItem);
  }

  /**
   * Claims every address of `records` (one stage) as they are given, in one conditional write: each
   * must be absent, or a `sending` claim older than `staleBefore` (left by a run that died). All or none.
   */
  async claimReminders(records: readonly ReminderRecord[], staleBefore: string): Promise<boolean> {
    const [first] = records;
    if (!first) return true;
    const names: Record<string, string> = { '#status': 'status', '#claimedAt': 'claimedAt' };
    const values: Record<string, unknown> = { ':sending': 'sending', ':staleBefore': staleBefore };
    const sets: string[] = [];
    const conditions: string[] = [];
    records.forEach((record, i) => {
      names[`#a${i}`] = addressAttribute(record.email);
      values[`:a${i}`] = entryOf(record);
      sets.push(`#a${i} = :a${i}`);
      conditions.push(
        `(attribute_not_exists(#a${i}) OR (#a${i}.#status = :sending AND #a${i}.#claimedAt < :staleBefore))`,
      );
    });
    // The stage's own fields and index keys, once: the first claim writes them, later ones keep them.
    const stage = stageItemOf(first);
    sets.push(...keepStageFields(stage, names, values));
    const written = await this.table.updateIf(
      { PK: stage.PK, SK: stage.SK },
      { expression: `SET ${sets.join(', ')}`, names, values },
      { expression: conditions.join(' AND ') },
    );
    return written !== undefined;
  }

  /**
   * Records one outcome for every address of `records`, in one write; only the run holding each claim
   * can (an address another run took over keeps that run's outcome, written one by one).
   */
  async completeReminders(records: readonly ReminderRecord[], outcome: ReminderOutcome): Promise<void> {
    const [first] = records;
    if (!first) return;
    const update = (subset: readonly ReminderRecord[]) => {
      const names: Record<string, string> = { '#runId': 'runId' };
      const values: Record<string, unknown> = {};
      const sets: string[] = [];
      const conditions: string[] = [];
      subset.forEach((record, i) => {
        names[`#a${i}`] = addressAttribute(record.email);
        values[`:r${i}`] = record.runId;
        conditions.push(`#a${i}.#runId = :r${i}`);
        for (const [field, value] of Object.entries(outcome)) {
          if (value === undefined) continue;
          names[`#o_${field}`] = field;
          values[`:o_${field}`] = value;
          sets.push(`#a${i}.#o_${field} = :o_${field}`);
        }
      });
      return this.table.updateIf(
        stageKeyOf(first),
        { expression: `SET ${sets.join(', ')}`, names, values },
        { expression: conditions.join(' AND '), names, values },
      );
    };
    if ((await update(records)) !== undefined || records.length === 1) return;
    for (const record of records) await update([record]);
  }

  /**
   * Folds the programme's records of the earlier layout (one item per address) into stage items, then
   * deletes them: an address the stage item already has keeps its entry, so a rerun after a crash
   * half-way (some folded, not yet deleted) changes nothing and finishes the deletes.
   */
  async upgradeLegacyReminders(programmeId: string): Promise<number> {
    const k = keys.remindersOfProgramme(programmeId);
    const legacy = (await this.table.index(TABLE_KEYS.byProgramme, k.GSI1PK, k.GSI1SKPrefix))
      .filter((item) => item.itemType === 'reminder')
      .map((item) => entity<ReminderRecord>(item));
    const stages = new Map<string, ReminderRecord[]>();
    for (const record of legacy) {
      const key = `${stageKeyOf(record).PK}|${stageKeyOf(record).SK}`;
      stages.set(key, [...(stages.get(key) ?? []), record]);
    }
    for (const records of stages.values()) {
      const first = [...records].sort((a, b) => (a.day < b.day ? -1 : 1))[0] as ReminderRecord;
      const stage = stageItemOf(first);
      for (let i = 0; i < records.length; i += ADDRESSES_PER_UPGRADE) {
        const names: Record<string, string> = {};
        const values: Record<string, unknown> = {};
        const sets: string[] = [];
        records.slice(i, i + ADDRESSES_PER_UPGRADE).forEach((record, n) => {
          names[`#a${n}`] = addressAttribute(record.email);
          values[`:a${n}`] = entryOf(record);
          sets.push(`#a${n} = if_not_exists(#a${n}, :a${n})`);
        });
        sets.push(...keepStageFields(stage, names, values));
        await this.table.update(
          { PK: stage.PK, SK: stage.SK },
          { expression: `SET ${sets.join(', ')}`, names, values },
        );
      }
      for (const record of records)
        await this.table.deleteIf(keys.legacyReminder(record), { expression: 'attribute_exists(PK)' });
    }
    return legacy.length;
  }

  /** Frees this run's claims so a later run sends them: a failed SES call is known not to have sent. */
  async releaseReminders(records: readonly ReminderRecord[]): Promise<void> {
    for (const record of records) {
      await this.table.updateIf(
        stageKeyOf(record),
        { expression: 'REMOVE #a', names: { '#a': addressAttribute(record.email) } },
        {
          expression: '#a.#runId = :runId AND #a.#status IN (:sending, :dispatched)',
          names: { '#a': addressAttribute(record.email), '#runId': 'runId', '#status': 'status' },
          values: { ':runId': record.runId, ':sending': 'sending', ':dispatched': 'dispatched' },
        },
      );
    }
  }
}

/** A stage item's update holds at most this many addresses: expressions stay far below their limits. */
const ADDRESSES_PER_UPGRADE = 50;

const addressAttribute = (email: string) => `${ADDRESS_PREFIX}${email.toLowerCase()}`;

function stageKeyOf(stage: ReminderStageRef) {
  const { PK, SK } = keys.reminderStage(stage);
  return { PK, SK };
}

/**
 * `SET` clauses writing the stage item's own fields and index keys if they are not there yet: the
 * first write of a stage sets them, later ones keep them. Adds their names and values.
 */
function keepStageFields(
  stage: Item,
  names: Record<string, string>,
  values: Record<string, unknown>,
): string[] {
  return Object.entries(stage).flatMap(([field, value]) => {
    if (value === undefined || field === 'PK' || field === 'SK') return [];
    names[`#f_${field}`] = field;
    values[`:f_${field}`] = value;
    return [`#f_${field} = if_not_exists(#f_${field}, :f_${field})`];
  });
}

function stageItemOf(record: ReminderRecord): Item {
  return {
    ...keys.reminderStage(record),
    itemType: 'reminder-stage',
    ...Object.fromEntries(STAGE_FIELDS.map((f) => [f, record[f]])),
  };
}

function entryOf(record: ReminderRecord): AddressEntry {
  const { institutionId, field, status, runId, claimedAt, day, sentAt, messageId, reason, recipients } =
    record;
  return Object.fromEntries(
    Object.entries({
      institutionId,
      field,
      status,
      runId,
      claimedAt,
      day,
      sentAt,
      messageId,
      reason,
      recipients,
    }).filter(([, v]) => v !== undefined),
  ) as AddressEntry;
}

/** The records an item holds: one per address of a stage item, or the one of a legacy item. */
function recordsOfItem(item: Item): ReminderRecord[] {
  if (item.itemType !== 'reminder-stage') return [entity<ReminderRecord>(item)];
  const stage = Object.fromEntries(
    STAGE_FIELDS.flatMap((f) => (item[f] === undefined ? [] : [[f, item[f]]])),
  );
  const records = Object.entries(item)
    .filter(([name]) => name.startsWith(ADDRESS_PREFIX))
    .map(([name, entry]) => ({
      ...stage,
      email: name.slice(ADDRESS_PREFIX.length),
      ...(entry as AddressEntry),
    })) as ReminderRecord[];
  return withRecipients(sortedByEmail(records));
}

/**
 * Every address of one message shares its message id: each record names the message's recipients
 * (in address order) for the log, derived on read rather than written on each address. A record of
 * the earlier layout keeps the list it was written with.
 */
export function withRecipients(records: ReminderRecord[]): ReminderRecord[] {
  const byMessage = new Map<string, string[]>();
  for (const r of records)
    if (r.messageId)
      byMessage.set(r.messageId, [...(byMessage.get(r.messageId) ?? []), r.email.toLowerCase()]);
  for (const r of records)
    if (r.messageId && !r.recipients) r.recipients = [...(byMessage.get(r.messageId) ?? [])].sort();
  return records;
}

function sortedByEmail(records: ReminderRecord[]): ReminderRecord[] {
  return records.sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
}
