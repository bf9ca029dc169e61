import { describe, expect, it } from 'vitest';
import {
  type DeliveryNoticeTiming,
  deliveryNoticeTiming,
  isHeldNoticeDue,
} from '../../functions/domain/delivery-notices.ts';
import { prcCalendar } from '../../functions/domain/working-days.ts';

describe('when a bounce or complaint notice is mailed (official working-day calendar)', () => {
  it.each<[string, DeliveryNoticeTiming, string]>([
    ['2022-09-30', { send: 'now' }, 'a Friday before 国庆'],
    ['2022-10-01', { send: 'held', until: '2022-10-08' }, '国庆, a Saturday'],
    ['2022-10-07', { send: 'held', until: '2022-10-08' }, 'the last day of 国庆'],
    ['2022-10-08', { send: 'now' }, 'Saturday 8 October, a 调休 working day'],
    ['2022-10-15', { send: 'held', until: '2022-10-17' }, 'an ordinary Saturday'],
  ])('a problem processed on %s is %o (%s)', (day, timing) => {
    expect(deliveryNoticeTiming(prcCalendar, day)).toEqual(timing);
  });

  it.each<[string, boolean, string]>([
    ['2022-10-07', false, 'before the day it is held until'],
    ['2022-10-08', true, 'on that day, a 调休 working day'],
    ['2022-10-15', false, 'a later Saturday: still no mail on a non-working day'],
    ['2022-10-17', true, 'the next working day after that'],
  ])('a notice held until 2022-10-08 is due on %s: %s (%s)', (day, due) => {
    expect(isHeldNoticeDue(prcCalendar, day, '2022-10-08')).toBe(due);
  });
});
