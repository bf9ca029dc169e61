/**
 * Calendar dates as `YYYY-MM-DD` strings and the Beijing-time view of instants. The plans' dates are
 * Asia/Shanghai dates; China has kept UTC+8 without daylight saving since 1991, and the zone database
 * is still asked (through Intl) rather than assuming it.
 */

import labels from '../../templates/labels.zh.json' with { type: 'json' };
import type { PlainDate } from './model.ts';

export const PLAN_TIME_ZONE = 'Asia/Shanghai';

const PLAIN_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isPlainDate(value: string): boolean {
  const match = PLAIN_DATE.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function toUtcMidnight(date: PlainDate): Date {
  if (!isPlainDate(date)) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${date}`);
  return new Date(`${date}T00:00:00Z`);
}

export function addDays(date: PlainDate, days: number): PlainDate {
  const d = toUtcMidnight(date);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (positive when `b` is later). */
export function daysBetween(a: PlainDate, b: PlainDate): number {
  return Math.round((toUtcMidnight(b).getTime() - toUtcMidnight(a).getTime()) / 86_400_000);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: PlainDate): number {
  return toUtcMidnight(date).getUTCDay();
}

export function weekdayZh(date: PlainDate): string {
  return labels.weekdays[weekday(date)] as string;
}

const beijingParts = new Intl.DateTimeFormat('en-CA', {
  timeZone: PLAN_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function partsOf(instant: Date): Record<string, string> {
  if (Number.isNaN(instant.getTime())) throw new RangeError('invalid instant');
  return Object.fromEntries(beijingParts.formatToParts(instant).map((p) => [p.type, p.value]));
}

/** The Beijing calendar date of an instant. */
export function beijingDate(instant: Date): PlainDate {
  const p = partsOf(instant);
  return `${p.year}-${p.month}-${p.day}`;
}

/** `YYYY-MM-DD HH:mm` in Beijing time, for people. */
export function beijingDateTime(instant: Date): string {
  const p = partsOf(instant);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** The offset of Beijing time from UTC at `instant`, in minutes. */
function beijingOffsetMinutes(instant: Date): number {
  const p = partsOf(instant);
  const asUtc = Date.UTC(
    Number(p.year),
    Number(p.month) - 1,
    Number(p.day),
    Number(p.hour),
    Number(p.minute),
    Number(p.second),
  );
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/** The instant a Beijing calendar day starts. */
export function startOfBeijingDay(date: PlainDate): Date {
  const utcMidnight = toUtcMidnight(date).getTime();
  const guess = new Date(utcMidnight);
  return new Date(utcMidnight - beijingOffsetMinutes(guess) * 60_000);
}

/**
 * A due date means "by the end of that day, Beijing time": the deadline is the first instant of the
 * next day, and anything strictly before it is on time.
 */
export function deadlineOf(dueDate: PlainDate): Date {
  return startOfBeijingDay(addDays(dueDate, 1));
}

/** Parses an ISO instant or a plain date (taken as the start of that Beijing day). */
export function parseInstant(value: string): Date {
  if (isPlainDate(value)) return startOfBeijingDay(value);
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    throw new RangeError(`not an ISO date or instant: ${value}`);
  }
  return instant;
}

/** `MM-DD` in `year` → a calendar date. */
export function dateInYear(year: number, monthDay: string): PlainDate {
  const date = `${year}-${monthDay}`;
  if (!isPlainDate(date)) throw new RangeError(`${monthDay} is not a date in ${year}`);
  return date;
}
