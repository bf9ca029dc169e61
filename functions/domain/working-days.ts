/**
 * Working days under the official PRC calendar: weekends off, public holidays off, and adjusted
 * working days (调休) on. The data is the State Council's annual notices as compiled by the
 * `chinese-days` package (its chinese-days.json is the reviewable source); a year the data does not
 * cover is an error, never a silent guess, because each year's calendar is published only in
 * November or December of the year before.
 */
import calendarData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import labels from '../../templates/labels.zh.json' with { type: 'json' };
import { userFacingError } from './errors.ts';
import type { PlainDate } from './model.ts';
import { addDays, weekday } from './plain-date.ts';
import { fill } from './wording.ts';

export interface WorkingDayCalendar {
  isWorkingDay(date: PlainDate): boolean;
  /** Why a day is off or on, for people: e.g. 春节, 调休上班, 周末. */
  describe(date: PlainDate): string;
}

export class CalendarNotPublishedError extends userFacingError('calendar-not-published') {
  override readonly name = 'CalendarNotPublishedError';
  constructor(readonly year: number) {
    super(`no official holiday calendar for ${year} in the holiday data; update the chinese-days package`);
  }
}

interface CalendarData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

/** Builds a calendar from holiday data (`date → "English,中文,days"`). */
export function workingDayCalendar(data: CalendarData): WorkingDayCalendar {
  const years = new Set(Object.keys(data.holidays).map((date) => Number(date.slice(0, 4))));
  const check = (date: PlainDate) => {
    const year = Number(date.slice(0, 4));
    if (!years.has(year)) throw new CalendarNotPublishedError(year);
  };
  const nameOf = (entry: string) => entry.split(',')[1] ?? entry;
  return {
    isWorkingDay(date) {
      check(date);
      if (data.workdays[date]) return true;
      if (data.holidays[date]) return false;
      const day = weekday(date);
      return day !== 0 && day !== 6;
    },
    describe(date) {
      check(date);
      const workday = data.workdays[date];
      if (workday) return fill(labels.calendar.makeUpWorkday, { holiday: nameOf(workday) });
      const holiday = data.holidays[date];
      if (holiday) return nameOf(holiday);
      const day = weekday(date);
      return day === 0 || day === 6 ? labels.calendar.weekend : labels.calendar.workday;
    },
  };
}

export const prcCalendar: WorkingDayCalendar = workingDayCalendar(calendarData as CalendarData);

/** The working day on or before `date`. */
export function workingDayOnOrBefore(calendar: WorkingDayCalendar, date: PlainDate): PlainDate {
  let day = date;
  while (!calendar.isWorkingDay(day)) day = addDays(day, -1);
  return day;
}

/** The working day on or after `date`. */
export function workingDayOnOrAfter(calendar: WorkingDayCalendar, date: PlainDate): PlainDate {
  let day = date;
  while (!calendar.isWorkingDay(day)) day = addDays(day, 1);
  return day;
}
