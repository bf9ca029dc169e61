/**
 * The counts each run of a function reports as CloudWatch metrics (namespace `bangfu`, one `service`
 * dimension per function): every count on every run, zeros included, so an alarm on a sum sees a quiet
 * day as 0 rather than as missing data. Counts only: a metric never names anyone.
 */
import type { DeliveryProblem, DeliveryProblemResult } from '../use-cases/delivery-problems.ts';
import type { IngestOutcome } from '../use-cases/ingest-upload.ts';
import type { DailyTickResult } from '../use-cases/run-tick.ts';

/** Metric name → count, for one run. */
export type RunCounts = Readonly<Record<string, number>>;

/** The daily tick: reminders by outcome, then the commission staff's mail and the PDFs stored for it. */
export function tickCounts(result: DailyTickResult): RunCounts {
  const { published } = result;
  return {
    RemindersSent: result.messages.length,
    RemindersFailed: result.failed.length,
    RemindersUnconfirmed: result.unconfirmed.length,
    RemindersSuppressed: result.suppressed.length,
    RemindersRejected: result.rejected.length,
    StaffMessagesSent: published.messages.length,
    StaffMessagesFailed: published.failed.length,
    StaffMessagesUnconfirmed: published.unconfirmed.length,
    StaffMessagesSuppressed: published.suppressed.length,
    // A run can list one document twice (a deadline's status PDF is also the digest's).
    DocumentsStored: new Set(published.documents.map((d) => d.id)).size,
  };
}

/** One ingest event: its uploads by outcome. */
export function ingestCounts(outcomes: readonly IngestOutcome[]): RunCounts {
  const count = (outcome: IngestOutcome['outcome']) => outcomes.filter((o) => o.outcome === outcome).length;
  return {
    UploadsAccepted: count('accepted'),
    UploadsRejected: count('rejected'),
    UploadsSetAside: count('set-aside'),
  };
}

/** One bounce or complaint: the addresses marked, and the notices to the provincial commissions. */
export function deliveryProblemCounts(problem: DeliveryProblem, result: DeliveryProblemResult): RunCounts {
  return {
    BouncesMarked: problem.kind === 'bounce' ? result.marked.length : 0,
    ComplaintsMarked: problem.kind === 'complaint' ? result.marked.length : 0,
    CommissionNoticesSent: result.notices,
    CommissionNoticesFailed: result.failed.length,
    CommissionNoticesUnconfirmed: result.unconfirmed.length,
    CommissionNoticesNoRecipients: result.noRecipients.length,
  };
}
