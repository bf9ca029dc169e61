import { describe, expect, it } from 'vitest';
import {
  CalendarNotPublishedError,
  prcCalendar,
  workingDayOnOrAfter,
  workingDayOnOrBefore,
} from '../../functions/domain/working-days.ts';

describe('PRC working-day calendar', () => {
  it.each([
    ['2022-01-29', true, 'Saturday make-up working day before Spring Festival 2022'],
    ['2022-01-30', true, 'Sunday make-up working day before Spring Festival 2022'],
    ['2022-01-31', false, 'Spring Festival eve holiday 2022'],
    ['2022-02-04', false, 'Spring Festival holiday 2022'],
    ['2022-02-07', true, 'first Monday after Spring Festival 2022'],
    ['2022-02-26', false, 'ordinary Saturday'],
    ['2022-02-28', true, 'Monday, the agreement due date'],
    ['2022-10-08', true, 'National Day make-up Saturday 2022'],
    ['2022-12-10', false, 'Saturday, annual report due date 2022'],
    ['2023-12-10', false, 'Sunday, annual report due date 2023'],
    ['2024-02-04', true, 'Spring Festival make-up Sunday 2024'],
    ['2024-02-18', true, 'Spring Festival make-up Sunday 2024'],
    ['2024-12-10', true, 'Tuesday, annual report due date 2024'],
    ['2025-01-26', true, 'Spring Festival make-up Sunday 2025'],
    ['2025-02-08', true, 'Spring Festival make-up Saturday 2025'],
    ['2025-10-08', false, 'National Day and Mid-Autumn holiday 2025'],
    ['2025-12-10', true, 'Wednesday, annual report due date 2025'],
  ])('%s is a working day: %s (%s)', (date, expected) => {
    expect(prcCalendar.isWorkingDay(date)).toBe(expected);
  });

  it('names why a day is off or on', () => {
    expect(prcCalendar.describe('2022-02-01')).toBe('春节');
    expect(prcCalendar.describe('2022-01-29')).toBe('春节调休上班');
    expect(prcCalendar.describe('2022-02-26')).toBe('周末');
    expect(prcCalendar.describe('2022-02-28')).toBe('工作日');
  });

  it('moves back across the whole Spring Festival break to the last working day', () => {
    expect(workingDayOnOrBefore(prcCalendar, '2022-02-06')).toBe('2022-01-30');
  });

  it('moves forward across the National Day break to the make-up Saturday', () => {
    expect(workingDayOnOrAfter(prcCalendar, '2022-10-01')).toBe('2022-10-08');
  });

  it('refuses to guess for a year whose official calendar is not in the data', () => {
    expect(() => prcCalendar.isWorkingDay('2035-03-01')).toThrow(CalendarNotPublishedError);
  });
});
