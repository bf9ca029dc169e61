/**
 * A worker's share of the daily tick: the reminders of one page of the due index, handed over by the
 * tick through a work queue (send-due-reminders.ts), sent exactly once per obligation, stage and
 * address however often and however concurrently the page is delivered.
 *
 * 1. Read the page's programme and its obligations, by key in one batch: the page names them only,
 *    so what was submitted, extended or removed since the tick read the index counts.
 * 2. Keep those still awaiting submission with a send due on the page's day (the same rule and
 *    catch-up as the tick's own loop).
 * 3. Remind them as the tick does inline (`remindBatch`): pairings, parties and addresses read
 *    together, each obligation re-read consistently, each address claimed before its send. A second
 *    delivery of the page finds the claims and sends nothing.
 */
import { awaitsSubmission } from '../domain/timeline.ts';
import type { DuePage, DuePageStore } from './ports.ts';
import {
  DEFAULT_REMINDER_OPTIONS,
  dueSendsOf,
  emptyTickResult,
  type ReminderPorts,
  remindBatch,
  runReadsOf,
  type TickResult,
} from './send-due-reminders.ts';

/** The tick's reminder ports, with a store that reads obligations by key; no queue of its own. */
export interface DuePagePorts extends Omit<ReminderPorts, 'store' | 'workQueue'> {
  store: DuePageStore;
}

/** What the page's sends did, in the tick's shape: `failed` holds what a redelivery should retry. */
export async function remindDuePage(ports: DuePagePorts, page: DuePage): Promise<TickResult> {
  const options = { ...DEFAULT_REMINDER_OPTIONS, ...ports.options };
  const result = emptyTickResult(page.day);
  if (page.obligations.length === 0) return result;
  const programme = (await ports.store.listProgrammes()).find((p) => p.id === page.programmeId);
  if (!programme) return result;

  const open = (await ports.store.getObligations(page.obligations)).filter(
    (o) => o.obligation.programmeId === programme.id && awaitsSubmission(o.record),
  );
  result.candidates = open.length;
  const due = dueSendsOf(programme, open, page.day, ports.calendar, options);
  result.due = due.length;
  if (due.length === 0) return result;
  const progress = { done: 0, total: due.length };
  await remindBatch(ports, options, runReadsOf(ports.store), programme, due, page.day, result, progress);
  return result;
}
