/**
 * Both levels of the reporting chain at an instant: each city commission's forwarding with how far
 * its pairings have got, and the pairings that report to the province directly. What `bangfu status`
 * and the status documents show. Pure: `at` is a parameter, records are given as they stood.
 *
 * Fujian §三(一): city commissions collect their hospitals' signed agreements and send them to the
 * province by 28 February, provincially managed hospitals theirs directly; §三(二): city commissions
 * report their evaluation by 10 December. Jiangsu §七(一) names the same responsible bodies.
 */
import type {
  Forwarding,
  ForwardingKind,
  ForwardingRecord,
  Obligation,
  ObligationKind,
  ObligationRecord,
  ObligationState,
  Pairing,
  PlainDate,
  Programme,
} from './model.ts';
import type { InstitutionDirectory } from './pairings.ts';
import { collectorOf } from './reporting-chain.ts';
import { obligationState } from './timeline.ts';

/** How far a group of pairings has got with one deliverable. */
export interface PairingTally {
  pairings: number;
  /** Reviewed and accepted by whoever collects them. */
  accepted: number;
  /** Submitted (on time or late), not yet reviewed. */
  awaitingReview: number;
  /** Not submitted, not yet open, or returned for correction. */
  outstanding: number;
  exempt: number;
}

export interface ForwardingStatus {
  forwardingId: string;
  commissionId: string;
  kind: ForwardingKind;
  /** The pairings' deliverable it passes on. */
  forwards: ObligationKind;
  year: number;
  /** The plan's date: the commission's own. */
  dueDate: PlainDate;
  effectiveDueDate: PlainDate;
  state: ObligationState;
  /** When the commission forwarded (ISO instant). */
  forwardedAt?: string;
  /** The province's return, when the forwarding was sent back. */
  returnedReason?: string;
  pairingIds: string[];
  /** The hospitals' dates of its pairings (normally one: the lead before the commission's). */
  pairingDueDates: PlainDate[];
  tally: PairingTally;
}

/** The pairings of one kind and year that report to the province without a city step. */
export interface DirectStatus {
  forwards: ObligationKind;
  year: number;
  pairingIds: string[];
  pairingDueDates: PlainDate[];
  tally: PairingTally;
}

export interface ChainStatus {
  /** By due date, kind, then commission id. */
  forwardings: ForwardingStatus[];
  /** One per forwarded kind and year with at least one direct pairing. */
  direct: DirectStatus[];
}

export interface ChainStatusInput {
  programme: Programme;
  pairings: readonly Pairing[];
  directory: InstitutionDirectory;
  obligations: readonly { obligation: Obligation; record: ObligationRecord }[];
  forwardings: readonly { forwarding: Forwarding; record: ForwardingRecord }[];
  at: Date;
}

export function chainStatus(input: ChainStatusInput): ChainStatus {
  const { programme, at } = input;
  const pairingById = new Map(input.pairings.map((p) => [p.id, p]));
  const collectorIdOf = (obligation: Obligation): string | undefined => {
    if (obligation.collectorId) return obligation.collectorId;
    const pairing = pairingById.get(obligation.pairingId);
    return pairing && collectorOf(programme, pairing, input.directory).id;
  };
  const obligationsOf = new Map<string, { obligation: Obligation; state: ObligationState }[]>();
  for (const { obligation, record } of input.obligations) {
    if (!pairingById.has(obligation.pairingId)) continue;
    const key = `${obligation.kind}#${obligation.year}`;
    obligationsOf.set(key, [
      ...(obligationsOf.get(key) ?? []),
      { obligation, state: obligationState(obligation, record, at) },
    ]);
  }

  const forwardings = input.forwardings
    .map(({ forwarding, record }): ForwardingStatus => {
      const members = new Set(forwarding.pairingIds);
      const theirs = (obligationsOf.get(`${forwarding.forwards}#${forwarding.year}`) ?? []).filter((o) =>
        members.has(o.obligation.pairingId),
      );
      return {
        forwardingId: forwarding.id,
        commissionId: forwarding.commissionId,
        kind: forwarding.kind,
        forwards: forwarding.forwards,
        year: forwarding.year,
        dueDate: forwarding.dueDate,
        effectiveDueDate: forwarding.effectiveDueDate,
        state: obligationState(forwarding, record, at),
        ...(record.submittedAt ? { forwardedAt: record.submittedAt } : {}),
        ...(record.review?.outcome === 'returned' && record.review.reason
          ? { returnedReason: record.review.reason }
          : {}),
        pairingIds: [...forwarding.pairingIds],
        pairingDueDates: dueDatesOf(theirs),
        tally: tallyOf(theirs),
      };
    })
    .sort(
      (a, b) =>
        a.effectiveDueDate.localeCompare(b.effectiveDueDate) ||
        a.kind.localeCompare(b.kind) ||
        a.year - b.year ||
        a.commissionId.localeCompare(b.commissionId),
    );

  const direct = programme.reportingChain.forwardings.flatMap((rule) => {
    const years = programme.obligationKinds.find((k) => k.kind === rule.forwards)?.years ?? [];
    return years.flatMap((year): DirectStatus[] => {
      const theirs = (obligationsOf.get(`${rule.forwards}#${year}`) ?? []).filter(
        (o) => collectorIdOf(o.obligation) === programme.provincialCommissionId,
      );
      if (theirs.length === 0) return [];
      return [
        {
          forwards: rule.forwards,
          year,
          pairingIds: theirs.map((o) => o.obligation.pairingId).sort(),
          pairingDueDates: dueDatesOf(theirs),
          tally: tallyOf(theirs),
        },
      ];
    });
  });
  return { forwardings, direct };
}

/** Where a pairing's deliverable stands, as the chain counts it. */
export function tallyBucket(state: ObligationState): Exclude<keyof PairingTally, 'pairings'> {
  switch (state) {
    case 'accepted':
      return 'accepted';
    case 'submitted':
    case 'late':
      return 'awaitingReview';
    case 'exempt':
      return 'exempt';
    case 'upcoming':
    case 'open':
    case 'overdue':
    case 'returned':
      return 'outstanding';
  }
}

function tallyOf(rows: readonly { state: ObligationState }[]): PairingTally {
  const tally: PairingTally = { pairings: 0, accepted: 0, awaitingReview: 0, outstanding: 0, exempt: 0 };
  for (const { state } of rows) {
    tally.pairings++;
    tally[tallyBucket(state)]++;
  }
  return tally;
}

function dueDatesOf(rows: readonly { obligation: Obligation }[]): PlainDate[] {
  return [...new Set(rows.map((r) => r.obligation.effectiveDueDate))].sort();
}
