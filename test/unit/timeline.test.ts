import { describe, expect, it } from 'vitest';
import type { ObligationKindRule, ObligationRecord } from '../../functions/domain/model.ts';
import {
  beijingDate,
  deadlineOf,
  parseInstant,
  startOfBeijingDay,
} from '../../functions/domain/plain-date.ts';
import {
  awaitsSubmission,
  obligationFor,
  obligationState,
  recordFacts,
} from '../../functions/domain/timeline.ts';

const agreementRule: ObligationKindRule = {
  kind: 'agreement',
  title: '对口帮扶协议书',
  deliverable: '三方协议扫描件',
  citation: '三、（一）',
  years: [2022],
  opens: '01-01',
  opensBasis: { source: 'plan', section: '三、（一）' },
  due: '02-28',
  dueBasis: { source: 'plan', section: '三、（一）' },
  submittedBy: ['lead-supporter'],
  overseenBy: ['provincial-commission'],
  remind: { to: ['lead-supporter'], cc: [] },
  escalation: { afterDue: [], lastStage: [] },
};
const agreement = (record: ObligationRecord = {}) =>
  obligationFor('fj-2021', 'fj-2021.x', agreementRule, 2022, {}, record);
const stateAt = (at: string, record: ObligationRecord = {}) =>
  obligationState(agreement(record), record, new Date(at));

describe('Beijing dates and deadlines', () => {
  it('a due date ends at midnight Beijing time, 16:00 UTC', () => {
    expect(deadlineOf('2022-02-28').toISOString()).toBe('2022-02-28T16:00:00.000Z');
    expect(startOfBeijingDay('2022-12-10').toISOString()).toBe('2022-12-09T16:00:00.000Z');
  });

  it('the Beijing date of an instant late on a UTC day is the next day', () => {
    expect(beijingDate(new Date('2022-02-27T17:30:00Z'))).toBe('2022-02-28');
  });

  it('parses the CLI forms of an instant', () => {
    expect(parseInstant('2022-02-21T09:00+08:00').toISOString()).toBe('2022-02-21T01:00:00.000Z');
    expect(parseInstant('2022-02-21').toISOString()).toBe('2022-02-20T16:00:00.000Z');
    expect(() => parseInstant('21/02/2022')).toThrow(RangeError);
  });
});

describe('obligation state', () => {
  it('derives the agreement of a pairing with the plan dates', () => {
    expect(agreement()).toMatchObject({
      id: 'fj-2021.x#agreement#2022',
      opensOn: '2022-01-01',
      dueDate: '2022-02-28',
      effectiveDueDate: '2022-02-28',
    });
  });

  it.each([
    ['2021-12-31T23:59:59+08:00', 'upcoming'],
    ['2022-01-01T00:00:00+08:00', 'open'],
    ['2022-02-28T23:59:59+08:00', 'open'],
    ['2022-03-01T00:00:00+08:00', 'overdue'],
  ])('with nothing submitted, at %s it is %s', (at, expected) => {
    expect(stateAt(at)).toBe(expected);
  });

  it('a scan submitted at 23:59 Beijing time on the due date is on time; one a second after midnight is late', () => {
    expect(stateAt('2022-03-05T00:00:00+08:00', { submittedAt: '2022-02-28T15:59:00Z' })).toBe('submitted');
    expect(stateAt('2022-03-05T00:00:00+08:00', { submittedAt: '2022-02-28T16:00:01Z' })).toBe('late');
  });

  it('a returned submission is open for action again until it is resubmitted', () => {
    const returned = {
      submittedAt: '2022-02-20T02:00:00Z',
      review: { outcome: 'returned' as const, at: '2022-02-21T02:00:00Z', reason: '缺少县政府盖章' },
    };
    expect(stateAt('2022-02-22T00:00:00+08:00', returned)).toBe('returned');
    expect(awaitsSubmission(returned)).toBe(true);
    const resubmitted = { ...returned, submittedAt: '2022-02-23T02:00:00Z' };
    expect(stateAt('2022-02-24T00:00:00+08:00', resubmitted)).toBe('submitted');
    expect(awaitsSubmission(resubmitted)).toBe(false);
  });

  it('accepted and exempt obligations need nothing more', () => {
    const accepted = {
      submittedAt: '2022-02-20T02:00:00Z',
      review: { outcome: 'accepted' as const, at: '2022-02-21T02:00:00Z' },
    };
    expect(stateAt('2022-03-05T00:00:00+08:00', accepted)).toBe('accepted');
    expect(stateAt('2022-03-05T00:00:00+08:00', { exemptedAt: '2022-02-01T00:00:00Z' })).toBe('exempt');
    expect(awaitsSubmission({ exemptedAt: '2022-02-01T00:00:00Z' })).toBe(false);
  });

  it('an extension moves the deadline', () => {
    const extended = { extendedTo: '2022-03-15' };
    expect(agreement(extended).effectiveDueDate).toBe('2022-03-15');
    expect(stateAt('2022-03-10T00:00:00+08:00', extended)).toBe('open');
    expect(stateAt('2022-03-16T00:00:00+08:00', extended)).toBe('overdue');
  });

  it('recording an extension moves the due date in force and keeps what was recorded before', () => {
    const submitted = { submittedAt: '2022-02-20T02:00:00Z' };
    const next = recordFacts(
      { obligation: agreement(submitted), record: submitted },
      { extendedTo: '2022-03-15' },
    );
    expect(next.record).toEqual({ submittedAt: '2022-02-20T02:00:00Z', extendedTo: '2022-03-15' });
    expect(next.obligation).toMatchObject({ dueDate: '2022-02-28', effectiveDueDate: '2022-03-15' });
  });

  it('recording a submission leaves the due date in force where an earlier extension put it', () => {
    const extended = { extendedTo: '2022-03-15' };
    const next = recordFacts(
      { obligation: agreement(extended), record: extended },
      { submittedAt: '2022-03-10T02:00:00Z' },
    );
    expect(next.obligation.effectiveDueDate).toBe('2022-03-15');
    expect(awaitsSubmission(next.record)).toBe(false);
  });
});
