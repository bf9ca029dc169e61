/**
 * The status documents' section on the reporting chain's second level: one row per city commission
 * that collects this kind and year (its pairings, how many are accepted and outstanding, when it
 * forwarded and in what state), and the pairings that report to the province directly as their own
 * row. Fujian §三(一): city commissions send their hospitals' signed agreements to the province by
 * 28 February, provincially managed hospitals send theirs directly; §三(二): city commissions report
 * their evaluation by 10 December.
 */
import { chainStatus, type PairingTally } from '../chain-status.ts';
import type { Forwarding, ForwardingRecord, ObligationKind, ObligationRecord, PlainDate } from '../model.ts';
import { beijingDate, deadlineOf } from '../plain-date.ts';
import { obligationState } from '../timeline.ts';
import type { ReportSnapshot, SnapshotIndex } from './snapshot.ts';

/**
 * What a document says about a forwarding: forwarded by the commission's date, after it, not yet
 * (date not passed), returned by the province, not at all though past the date, or exempted.
 */
export const FORWARDING_REPORT_STATES = [
  'on-time',
  'late',
  'not-forwarded',
  'returned',
  'overdue',
  'exempt',
] as const;
export type ForwardingReportState = (typeof FORWARDING_REPORT_STATES)[number];

export interface ForwardingReportRow extends Omit<PairingTally, 'exempt'> {
  commissionId: string;
  commission: string;
  /** The hospitals' dates of its pairings (the pairings' own due dates). */
  pairingDueDates: PlainDate[];
  /** The commission's date: the plan's. */
  dueDate: PlainDate;
  effectiveDueDate: PlainDate;
  state: ForwardingReportState;
  forwardedOn?: PlainDate;
  returnedReason?: string;
}

export interface DirectReportRow extends Omit<PairingTally, 'exempt'> {
  pairingDueDates: PlainDate[];
}

export interface ForwardingSection {
  /** The commissions' dates (the plan's), oldest first. */
  dueDates: PlainDate[];
  rows: ForwardingReportRow[];
  /** The pairings that report directly (省属), absent when there are none. */
  direct?: DirectReportRow;
  counts: Record<ForwardingReportState, number> & { total: number };
}

/** The state a document shows for a forwarding at `at`, from the timeline's state. */
export function forwardingReportState(
  forwarding: Pick<Forwarding, 'opensOn' | 'effectiveDueDate'>,
  record: ForwardingRecord,
  at: Date,
): ForwardingReportState {
  switch (obligationState(forwarding, record, at)) {
    case 'submitted':
      return 'on-time';
    case 'late':
      return 'late';
    case 'accepted':
      return !record.submittedAt || new Date(record.submittedAt) < deadlineOf(forwarding.effectiveDueDate)
        ? 'on-time'
        : 'late';
    case 'returned':
      return 'returned';
    case 'overdue':
      return 'overdue';
    case 'upcoming':
    case 'open':
      return 'not-forwarded';
    case 'exempt':
      return 'exempt';
  }
}

const collator = new Intl.Collator('zh-CN');

/** The section for one kind the pairings deliver and one year, from the snapshot as it stood at `at`. */
export function forwardingSection(
  snapshot: ReportSnapshot,
  index: SnapshotIndex,
  forwards: ObligationKind,
  year: number,
): ForwardingSection {
  const { at } = snapshot;
  const forwardings = (snapshot.forwardings ?? [])
    .filter(({ forwarding }) => forwarding.forwards === forwards && forwarding.year === year)
    .map(({ forwarding, record }) => ({ forwarding, record: forwardingRecordAsOf(record, at) }));
  const chain = chainStatus({
    programme: snapshot.programme,
    pairings: snapshot.pairings,
    directory: index.directory,
    obligations: snapshot.obligations
      .filter(({ obligation }) => obligation.kind === forwards && obligation.year === year)
      .map(({ obligation, record }) => ({ obligation, record: index.recordAsOf(obligation, record) })),
    forwardings,
    at,
  });
  const recordOf = new Map(forwardings.map((f) => [f.forwarding.id, f]));
  const rows = chain.forwardings
    .map((status): ForwardingReportRow => {
      const { forwarding, record } = recordOf.get(status.forwardingId) as (typeof forwardings)[number];
      const state = forwardingReportState(forwarding, record, at);
      const forwarded = state === 'on-time' || state === 'late';
      return {
        commissionId: status.commissionId,
        commission: index.nameOf(status.commissionId),
        ...countsOf(status.tally),
        pairingDueDates: status.pairingDueDates,
        dueDate: status.dueDate,
        effectiveDueDate: status.effectiveDueDate,
        state,
        ...(forwarded && record.submittedAt
          ? { forwardedOn: beijingDate(new Date(record.submittedAt)) }
          : {}),
        ...(state === 'returned' && status.returnedReason ? { returnedReason: status.returnedReason } : {}),
      };
    })
    .sort(
      (a, b) => collator.compare(a.commission, b.commission) || a.commissionId.localeCompare(b.commissionId),
    );
  const direct = chain.direct.find((d) => d.forwards === forwards && d.year === year);
  const counts = { total: rows.length } as ForwardingSection['counts'];
  for (const state of FORWARDING_REPORT_STATES) counts[state] = rows.filter((r) => r.state === state).length;
  return {
    dueDates: [...new Set(rows.map((r) => r.dueDate))].sort(),
    rows,
    ...(direct ? { direct: { ...countsOf(direct.tally), pairingDueDates: direct.pairingDueDates } } : {}),
    counts,
  };
}

/** A document counts an exempt pairing as neither accepted nor outstanding, as the tally does. */
function countsOf(tally: PairingTally): Omit<PairingTally, 'exempt'> {
  return {
    pairings: tally.pairings,
    accepted: tally.accepted,
    awaitingReview: tally.awaitingReview,
    outstanding: tally.outstanding,
  };
}

/** The forwarding's record as it stood at `at`: a later forwarding, review or exemption is left out. */
function forwardingRecordAsOf(record: ForwardingRecord, at: Date): ObligationRecord {
  const asOf: ForwardingRecord = { ...record };
  if (asOf.submittedAt && new Date(asOf.submittedAt) > at) {
    delete asOf.submittedAt;
    delete asOf.forwarded;
  }
  if (asOf.review && new Date(asOf.review.at) > at) delete asOf.review;
  if (asOf.exemptedAt && new Date(asOf.exemptedAt) > at) delete asOf.exemptedAt;
  return asOf;
}
