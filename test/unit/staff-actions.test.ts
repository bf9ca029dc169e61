import { describe, expect, it } from 'vitest';
import type { Obligation, ObligationRecord } from '../../functions/domain/model.ts';
import type { StaffIdentity } from '../../functions/domain/staff.ts';
import {
  ActionRefusedError,
  applyAction,
  obligationAuditEntry,
} from '../../functions/domain/staff-actions.ts';
import { awaitsSubmission, obligationState } from '../../functions/domain/timeline.ts';

const obligation: Obligation = {
  id: 'fj-2021.fj-huaan-county-hospital#agreement#2022',
  programmeId: 'fj-2021',
  pairingId: 'fj-2021.fj-huaan-county-hospital',
  kind: 'agreement',
  year: 2022,
  opensOn: '2022-01-01',
  dueDate: '2022-02-28',
  effectiveDueDate: '2022-02-28',
};
const submitted: ObligationRecord = { submittedAt: '2022-02-25T02:00:00.000Z' };
const at = new Date('2022-03-02T01:00:00.000Z');
const reviewer: StaffIdentity = {
  subject: 'sub-1',
  email: 'reviewer@staff.bangfu.example.org',
  name: '审核员',
  commissionId: 'fj-provincial-commission',
  role: 'reviewer',
};

describe('staff actions on an obligation', () => {
  it('returning a submission reopens it: it awaits a new one and reminders resume', () => {
    const next = applyAction(obligation, submitted, { action: 'return', reason: '缺少盖章页' }, at);
    expect(next.review).toEqual({ outcome: 'returned', at: at.toISOString(), reason: '缺少盖章页' });
    expect(awaitsSubmission(next)).toBe(true);
    expect(obligationState(obligation, next, at)).toBe('returned');
  });

  it('accepting needs a submission, and a reason is optional', () => {
    expect(applyAction(obligation, submitted, { action: 'accept' }, at).review?.outcome).toBe('accepted');
    expect(() => applyAction(obligation, {}, { action: 'accept' }, at)).toThrow(ActionRefusedError);
  });

  it('a return, an extension and an exemption each need a reason', () => {
    expect(() => applyAction(obligation, submitted, { action: 'return', reason: '  ' }, at)).toThrow(/原因/);
    expect(() => applyAction(obligation, {}, { action: 'exempt', reason: '' }, at)).toThrow(/原因/);
  });

  it('an extension must move the due date later, and judges timeliness against the new date', () => {
    expect(() =>
      applyAction(obligation, {}, { action: 'extend', to: '2022-02-20', reason: '疫情' }, at),
    ).toThrow(/必须晚于/);
    expect(() =>
      applyAction(obligation, {}, { action: 'extend', to: '2022-13-01', reason: '疫情' }, at),
    ).toThrow(/无效/);
    const next = applyAction(obligation, {}, { action: 'extend', to: '2022-03-15', reason: '疫情' }, at);
    expect(next.extendedTo).toBe('2022-03-15');
  });

  it('an exemption takes the obligation out of what awaits submission, and can be undone', () => {
    const exempt = applyAction(obligation, {}, { action: 'exempt', reason: '该院已撤并' }, at);
    expect(awaitsSubmission(exempt)).toBe(false);
    expect(obligationState(obligation, exempt, at)).toBe('exempt');
    expect(() => applyAction(obligation, exempt, { action: 'exempt', reason: '重复' }, at)).toThrow(/已豁免/);
    const undone = applyAction(obligation, exempt, { action: 'unexempt', reason: '误操作' }, at);
    expect(undone.exemptedAt).toBeUndefined();
    expect(awaitsSubmission(undone)).toBe(true);
  });

  it('the audit entry says who, when, what, why, before and after, with a stable id', () => {
    const next = applyAction(obligation, submitted, { action: 'return', reason: '缺少盖章页' }, at);
    expect(
      obligationAuditEntry(
        reviewer,
        obligation,
        { action: 'return', reason: '缺少盖章页' },
        submitted,
        next,
        4,
        at,
      ),
    ).toEqual({
      id: `${obligation.id}#4`,
      at: at.toISOString(),
      actor: reviewer,
      action: 'return',
      programmeId: 'fj-2021',
      pairingId: obligation.pairingId,
      obligationId: obligation.id,
      reason: '缺少盖章页',
      before: { submittedAt: submitted.submittedAt },
      after: { submittedAt: submitted.submittedAt, review: next.review },
    });
  });
});
