/**
 * When the provincial commission is told of a bounce or a complaint: nothing is mailed on a day that
 * is not a working day under the official PRC calendar (weekends and public holidays off, 调休 make-up
 * days on). The address is marked at once either way; only the notice to staff waits.
 */
import type { PlainDate } from './model.ts';
import { type WorkingDayCalendar, workingDayOnOrAfter } from './working-days.ts';

/** Send the notice now, or hold it for the tick of the first working day from `until` on. */
export type DeliveryNoticeTiming = { send: 'now' } | { send: 'held'; until: PlainDate };

/** The timing of a notice about a problem processed on Beijing day `processedOn`. */
export function deliveryNoticeTiming(
  calendar: WorkingDayCalendar,
  processedOn: PlainDate,
): DeliveryNoticeTiming {
  return calendar.isWorkingDay(processedOn)
    ? { send: 'now' }
    : { send: 'held', until: workingDayOnOrAfter(calendar, processedOn) };
}

/** Whether the tick of `day` sends a notice held until `until`: on a working day, from then on. */
export function isHeldNoticeDue(calendar: WorkingDayCalendar, day: PlainDate, until: PlainDate): boolean {
  return calendar.isWorkingDay(day) && until <= day;
}
