/**
 * When reminders for one obligation go out. Default stages (programme data): 30, 14, 7, 3 and 1 days
 * before the due date, the due day, and 1 and 7 days after. Nobody reads email on a holiday, so a stage
 * that falls on a non-working day moves to the previous working day, or, once the due date has passed,
 * to the next one; stages that land on the same day go out as one message.
 */
import type { PlainDate } from './model.ts';
import { addDays } from './plain-date.ts';
import { type WorkingDayCalendar, workingDayOnOrAfter, workingDayOnOrBefore } from './working-days.ts';

export interface ReminderSend {
  /** The working day the message goes out. */
  sendOn: PlainDate;
  /** Offsets (days from the due date) merged into this send, ascending. */
  offsets: number[];
  /** Stable name of the send, e.g. `T-1+T0`: part of the exactly-once key. */
  stage: string;
  /** True once the due date has passed: the responsible commission joins. */
  afterDue: boolean;
  /** True for the send holding the programme's last stage: the provincial commission joins. */
  lastStage: boolean;
}

export function stageName(offset: number): string {
  if (offset === 0) return 'T0';
  return offset < 0 ? `T${offset}` : `T+${offset}`;
}

/** Every send for a due date, in date order. */
export function reminderSchedule(
  dueDate: PlainDate,
  stageOffsets: readonly number[],
  calendar: WorkingDayCalendar,
): ReminderSend[] {
  const offsets = [...new Set(stageOffsets)].sort((a, b) => a - b);
  const last = offsets.at(-1);
  const byDay = new Map<PlainDate, number[]>();
  for (const offset of offsets) {
    const nominal = addDays(dueDate, offset);
    const sendOn =
      offset > 0 ? workingDayOnOrAfter(calendar, nominal) : workingDayOnOrBefore(calendar, nominal);
    byDay.set(sendOn, [...(byDay.get(sendOn) ?? []), offset]);
  }
  return [...byDay.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([sendOn, merged]) => ({
      sendOn,
      offsets: merged,
      stage: merged.map(stageName).join('+'),
      afterDue: sendOn > dueDate,
      lastStage: last !== undefined && merged.includes(last),
    }));
}

/** The send due on `day`, if any. */
export function reminderOn(
  day: PlainDate,
  dueDate: PlainDate,
  stageOffsets: readonly number[],
  calendar: WorkingDayCalendar,
): ReminderSend | undefined {
  return reminderSchedule(dueDate, stageOffsets, calendar).find((send) => send.sendOn === day);
}

/**
 * The due dates whose reminders can fall on `day`: a window wide enough for the furthest stage plus
 * the longest run of non-working days (Spring Festival, National Day) a stage can be moved across.
 */
export function dueDateWindow(
  day: PlainDate,
  stageOffsets: readonly number[],
): { from: PlainDate; to: PlainDate } {
  const maxMove = 12;
  const earliest = Math.min(0, ...stageOffsets);
  const latest = Math.max(0, ...stageOffsets);
  return { from: addDays(day, -latest - maxMove), to: addDays(day, -earliest + maxMove) };
}
