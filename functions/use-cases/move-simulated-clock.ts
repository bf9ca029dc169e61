/**
 * Staff move the local stack's simulated date forward from the console: to the next day, to the next
 * day a reminder goes out, or to a chosen date (09:00 Beijing time of the new day, when the daily tick
 * runs). Each day passed runs that day's tick, in order (the ClockControl port does that).
 *
 * 1. The actor must be an admin (`move-clock`): StaffForbiddenError otherwise.
 * 2. Work out the target from the simulated now; the next reminder stage from the programmes' stages
 *    over the open obligations and forwardings (domain/simulated-days.ts).
 * 3. Refuse a target not after now: time only moves forward, as the ticks already run cannot be undone.
 * 4. Advance the clock.
 *
 * Moving the clock touches no record of its own: the ticks it runs write and audit as they do on
 * schedule.
 */
import labels from '../../templates/console.zh.json' with { type: 'json' };
import actionLabels from '../../templates/staff-actions.zh.json' with { type: 'json' };
import type { PlainDate } from '../domain/model.ts';
import { addDays, beijingDate, beijingDateTime } from '../domain/plain-date.ts';
import { dueDateWindow } from '../domain/reminder-schedule.ts';
import { nextReminderDay, tickInstantOf } from '../domain/simulated-days.ts';
import { mayDo, StaffForbiddenError, type StaffIdentity } from '../domain/staff.ts';
import { ActionRefusedError } from '../domain/staff-actions.ts';
import { fill } from '../domain/wording.ts';
import type { WorkingDayCalendar } from '../domain/working-days.ts';
import type { ClockAdvance, ClockControl, ReminderDayStore } from './ports.ts';

export type ClockMove = { move: 'next-day' } | { move: 'next-stage' } | { move: 'date'; date: PlainDate };

export interface MoveClockPorts {
  store: ReminderDayStore;
  control: ClockControl;
  calendar: WorkingDayCalendar;
}

/** The last day the sparse due-date index is asked about: every open deliverable is due before it. */
const INDEX_END: PlainDate = '9999-12-31';

export async function moveSimulatedClock(
  ports: MoveClockPorts,
  actor: StaffIdentity,
  request: ClockMove,
): Promise<ClockAdvance> {
  if (!mayDo(actor, 'move-clock')) throw new StaffForbiddenError('role', actionLabels.forbidden.role);
  const now = ports.control.simulatedNow();
  if (!now) throw new ActionRefusedError(labels.simulatedClock.notSimulated);
  const today = beijingDate(now);
  const day = await targetDay(ports, today, request);
  const to = tickInstantOf(day);
  if (to <= now) {
    throw new ActionRefusedError(
      fill(labels.simulatedClock.backwards, { date: day, now: beijingDateTime(now) }),
    );
  }
  return ports.control.advanceTo(to);
}

async function targetDay(ports: MoveClockPorts, today: PlainDate, request: ClockMove): Promise<PlainDate> {
  if (request.move === 'next-day') return addDays(today, 1);
  if (request.move === 'date') return request.date;
  const day = await nextStageDay(ports, today);
  if (!day) throw new ActionRefusedError(labels.simulatedClock.noStage);
  return day;
}

/** The first day after `today` on which a reminder of any open obligation or forwarding goes out. */
export async function nextStageDay(
  ports: Pick<MoveClockPorts, 'store' | 'calendar'>,
  today: PlainDate,
): Promise<PlainDate | undefined> {
  let next: PlainDate | undefined;
  for (const programme of await ports.store.listProgrammes()) {
    // Due dates from the earliest whose last stage can still fall after today.
    const from = dueDateWindow(today, programme.reminderStages).from;
    const [obligations, forwardings] = await Promise.all([
      ports.store.openObligationsDueBetween(programme.id, from, INDEX_END),
      ports.store.openForwardingsDueBetween(programme.id, from, INDEX_END),
    ]);
    const dueDates = [
      ...obligations.map((o) => o.obligation.effectiveDueDate),
      ...forwardings.map((f) => f.forwarding.effectiveDueDate),
    ];
    const day = nextReminderDay(today, dueDates, programme.reminderStages, ports.calendar);
    if (day && (next === undefined || day < next)) next = day;
  }
  return next;
}
