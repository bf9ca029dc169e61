/**
 * What commission staff do to an obligation, as pure rules: accept or return a submission, extend the
 * due date, exempt the obligation (and undo it). Each gives the obligation's next record and the audit
 * entry that says who did it, when, why, and what it was before and after. Pure: `at` is a parameter.
 *
 * Returning reopens the obligation (it awaits a new submission, so reminders resume); extending moves
 * the due date the reminder stages are computed from and timeliness is judged against; exempting takes
 * it out of reminders and out of completeness. The plans set the due dates (Fujian §3, Jiangsu §7):
 * an extension is a commission's decision about one obligation, recorded with its reason.
 */
import labels from '../../templates/staff-actions.zh.json' with { type: 'json' };
import { userFacingError } from './errors.ts';
import type { Obligation, ObligationRecord, PlainDate } from './model.ts';
import { isPlainDate } from './plain-date.ts';
import type { StaffIdentity } from './staff.ts';
import { awaitsSubmission } from './timeline.ts';
import { fill } from './wording.ts';

export const STAFF_ACTIONS = ['accept', 'return', 'extend', 'exempt', 'unexempt'] as const;
export type ObligationAction = (typeof STAFF_ACTIONS)[number];

/** The facts of a record an action can change, as the audit shows them before and after. */
export type RecordFacts = Pick<ObligationRecord, 'submittedAt' | 'review' | 'extendedTo' | 'exemptedAt'>;

/** One entry of the append-only audit log. */
export interface AuditEntry {
  /**
   * Unique and stable: `${obligationId}#${the record version it produced}` for obligation actions
   * (and `${forwardingId}#${version}` for a city commission's forwarding and the province's review
   * of it, which name the forwarding as their obligation); the other entries' ids are in
   * domain/audit.ts.
   */
  id: string;
  at: string;
  actor: Pick<StaffIdentity, 'subject' | 'email' | 'name' | 'commissionId' | 'role'>;
  action: ObligationAction | 'forward' | 'sign-in' | 'contact-change' | 'contact-removed' | 'links-revoked';
  programmeId?: string;
  pairingId?: string;
  obligationId?: string;
  reason?: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
}

/** An action the obligation's state does not allow (accepting what was never submitted …). */
export class ActionRefusedError extends userFacingError('action-refused') {
  override readonly name = 'ActionRefusedError';
}

export type ActionRequest =
  | { action: 'accept'; reason?: string }
  | { action: 'return'; reason: string }
  | { action: 'extend'; to: PlainDate; reason: string }
  | { action: 'exempt'; reason: string }
  | { action: 'unexempt'; reason: string };

const facts = (record: ObligationRecord): RecordFacts => ({
  ...(record.submittedAt ? { submittedAt: record.submittedAt } : {}),
  ...(record.review ? { review: record.review } : {}),
  ...(record.extendedTo ? { extendedTo: record.extendedTo } : {}),
  ...(record.exemptedAt ? { exemptedAt: record.exemptedAt } : {}),
});

/** The record after `request`, or ActionRefusedError naming why it cannot be done now. */
export function applyAction(
  obligation: Obligation,
  record: ObligationRecord,
  request: ActionRequest,
  at: Date,
): ObligationRecord {
  const refuse = (key: keyof typeof labels.refused, values: Record<string, string> = {}) => {
    throw new ActionRefusedError(fill(labels.refused[key], { obligation: obligation.id, ...values }));
  };
  const reason = request.reason?.trim() ?? '';
  if (request.action !== 'accept' && reason === '') refuse('reasonRequired');
  if (reason.length > 500) refuse('reasonTooLong');
  const now = at.toISOString();
  switch (request.action) {
    case 'accept':
    case 'return': {
      if (record.exemptedAt) refuse('exempt');
      if (!record.submittedAt || awaitsSubmission(record)) refuse('nothingToReview');
      return {
        ...record,
        review: {
          outcome: request.action === 'accept' ? 'accepted' : 'returned',
          at: now,
          ...(reason ? { reason } : {}),
        },
      };
    }
    case 'extend': {
      if (!isPlainDate(request.to)) refuse('badDate', { to: request.to });
      if (request.to <= (record.extendedTo ?? obligation.dueDate)) {
        refuse('notLater', { to: request.to, due: record.extendedTo ?? obligation.dueDate });
      }
      if (record.exemptedAt) refuse('exempt');
      return { ...record, extendedTo: request.to };
    }
    case 'exempt': {
      if (record.exemptedAt) refuse('alreadyExempt');
      return { ...record, exemptedAt: now };
    }
    case 'unexempt': {
      if (!record.exemptedAt) refuse('notExempt');
      const { exemptedAt: _, ...rest } = record;
      return rest;
    }
  }
}

/** Who acted, as every audit entry records them: the subject is the key, the rest as they were then. */
export function auditActor(actor: StaffIdentity): AuditEntry['actor'] {
  return {
    subject: actor.subject,
    email: actor.email,
    name: actor.name,
    commissionId: actor.commissionId,
    role: actor.role,
  };
}

/** The audit entry of an action that turned `before` into `after` at record version `version`. */
export function obligationAuditEntry(
  actor: StaffIdentity,
  obligation: Obligation,
  request: ActionRequest,
  before: ObligationRecord,
  after: ObligationRecord,
  version: number,
  at: Date,
): AuditEntry {
  const reason = request.reason?.trim();
  return {
    id: `${obligation.id}#${version}`,
    at: at.toISOString(),
    actor: auditActor(actor),
    action: request.action,
    programmeId: obligation.programmeId,
    pairingId: obligation.pairingId,
    obligationId: obligation.id,
    ...(reason ? { reason } : {}),
    before: facts(before),
    after: facts(after),
  };
}
