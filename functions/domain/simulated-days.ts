/**
 * Moving a simulated "now" forward day by day, as a demo or a rehearsal of a plan year does: which
 * daily ticks the move passes, and the next day on which any reminder goes out. Pure: the instants,
 * due dates and calendar are parameters.
 */
import type { PlainDate } from './model.ts';
import { addDays, beijingDate, startOfBeijingDay } from './plain-date.ts';
import { reminderSchedule } from './reminder-schedule.ts';
import type { WorkingDayCalendar } from './working-days.ts';

/** The daily tick runs at 09:00 Beijing time, as the schedule runs it on AWS. */
const TICK_HOUR = 9;

/** 09:00 Beijing time on `day`: the instant that day's tick runs. */
export function tickInstantOf(day: PlainDate): Date {
  return new Date(startOfBeijingDay(day).getTime() + TICK_HOUR * 3600_000);
}

/**
 * The days whose tick a move from `from` to `to` passes, in order: each day whose 09:00 lies after
 * `from` and no later than `to`. Moving from 08:00 on 21 February to 09:00 on 22 February passes both
 * days' ticks; moving backwards or not at all passes none.
 */
export function tickDaysBetween(from: Date, to: Date): PlainDate[] {
  const days: PlainDate[] = [];
  for (let day = beijingDate(from); tickInstantOf(day) <= to; day = addDays(day, 1)) {
    if (tickInstantOf(day) > from) days.push(day);
  }
  return days;
}

/**
 * The first day after `after` on which a reminder stage of any of `dueDates` falls (stages moved off
 * non-working days and merged as reminder-schedule.ts does), or undefined when none is left.
 */
export function nextReminderDay(
  after: PlainDate,
  dueDates: readonly PlainDate[],
  stageOffsets: readonly number[],
  calendar: WorkingDayCalendar,
): PlainDate | undefined {
  let next: PlainDate | undefined;
  for (const dueDate of new Set(dueDates)) {
    const send = reminderSchedule(dueDate, stageOffsets, calendar).find((s) => s.sendOn > after);
    if (send && (next === undefined || send.sendOn < next)) next = send.sendOn;
  }
  return next;
}
