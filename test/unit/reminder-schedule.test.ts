import { describe, expect, it } from 'vitest';
import { dueDateWindow, reminderOn, reminderSchedule } from '../../functions/domain/reminder-schedule.ts';
import { prcCalendar } from '../../functions/domain/working-days.ts';

const DEFAULT_STAGES = [-30, -14, -7, -3, -1, 0, 1, 7];
const sends = (due: string, stages = DEFAULT_STAGES) =>
  reminderSchedule(due, stages, prcCalendar).map((s) => [s.sendOn, s.stage]);

describe('reminder schedule on real plan dates', () => {
  it('agreement due Mon 28 Feb 2022: T-30 on the make-up Saturday, T-1 (Sunday) merged into Friday T-3', () => {
    expect(sends('2022-02-28')).toEqual([
      ['2022-01-29', 'T-30'],
      ['2022-02-14', 'T-14'],
      ['2022-02-21', 'T-7'],
      ['2022-02-25', 'T-3+T-1'],
      ['2022-02-28', 'T0'],
      ['2022-03-01', 'T+1'],
      ['2022-03-07', 'T+7'],
    ]);
  });

  it('annual report due Sat 10 Dec 2022: the due-day stage moves to Friday and merges with T-1; after-due stages move to Mondays', () => {
    expect(sends('2022-12-10')).toEqual([
      ['2022-11-10', 'T-30'],
      ['2022-11-25', 'T-14'],
      ['2022-12-02', 'T-7'],
      ['2022-12-07', 'T-3'],
      ['2022-12-09', 'T-1+T0'],
      ['2022-12-12', 'T+1'],
      ['2022-12-19', 'T+7'],
    ]);
  });

  it('annual report due Sun 10 Dec 2023', () => {
    expect(sends('2023-12-10')).toEqual([
      ['2023-11-10', 'T-30'],
      ['2023-11-24', 'T-14'],
      ['2023-12-01', 'T-7'],
      ['2023-12-07', 'T-3'],
      ['2023-12-08', 'T-1+T0'],
      ['2023-12-11', 'T+1'],
      ['2023-12-18', 'T+7'],
    ]);
  });

  it('annual report due Tue 10 Dec 2024: only the weekend stages move', () => {
    expect(sends('2024-12-10')).toEqual([
      ['2024-11-08', 'T-30'],
      ['2024-11-26', 'T-14'],
      ['2024-12-03', 'T-7'],
      ['2024-12-06', 'T-3'],
      ['2024-12-09', 'T-1'],
      ['2024-12-10', 'T0'],
      ['2024-12-11', 'T+1'],
      ['2024-12-17', 'T+7'],
    ]);
  });

  it('annual report due Wed 10 Dec 2025', () => {
    expect(sends('2025-12-10')).toEqual([
      ['2025-11-10', 'T-30'],
      ['2025-11-26', 'T-14'],
      ['2025-12-03', 'T-7'],
      ['2025-12-05', 'T-3'],
      ['2025-12-09', 'T-1'],
      ['2025-12-10', 'T0'],
      ['2025-12-11', 'T+1'],
      ['2025-12-17', 'T+7'],
    ]);
  });

  it('marks after-due sends and the last stage for escalation', () => {
    const schedule = reminderSchedule('2022-02-28', DEFAULT_STAGES, prcCalendar);
    expect(schedule.filter((s) => s.afterDue).map((s) => s.stage)).toEqual(['T+1', 'T+7']);
    expect(schedule.filter((s) => s.lastStage).map((s) => s.stage)).toEqual(['T+7']);
  });

  it('a stage before the due date that falls in the National Day break goes out on the last working day before it', () => {
    expect(sends('2022-10-12', [-7])).toEqual([['2022-09-30', 'T-7']]);
  });

  it('a stage after the due date that falls in the National Day break goes out on the make-up Saturday', () => {
    expect(sends('2022-09-30', [1])).toEqual([['2022-10-08', 'T+1']]);
  });

  it('honours a programme that configures its own stages', () => {
    expect(sends('2022-02-28', [-10, 0])).toEqual([
      ['2022-02-18', 'T-10'],
      ['2022-02-28', 'T0'],
    ]);
  });

  it('finds the send of a given day, and none on other days', () => {
    expect(reminderOn('2022-02-25', '2022-02-28', DEFAULT_STAGES, prcCalendar)?.offsets).toEqual([-3, -1]);
    expect(reminderOn('2022-02-27', '2022-02-28', DEFAULT_STAGES, prcCalendar)).toBeUndefined();
  });

  it('the due-date window of a day covers every due date with a send on that day', () => {
    for (const due of ['2022-02-28', '2022-12-10', '2023-12-10', '2024-12-10', '2025-12-10']) {
      for (const send of reminderSchedule(due, DEFAULT_STAGES, prcCalendar)) {
        const window = dueDateWindow(send.sendOn, DEFAULT_STAGES);
        expect(due >= window.from && due <= window.to, `${due} from ${send.sendOn}`).toBe(true);
      }
    }
  });
});
