/**
 * A programme's timeline: which obligations each pairing has, when they open and fall due, and what
 * state each is in at a given instant. Pure: `at` is a parameter.
 */
import type {
  Obligation,
  ObligationKindRule,
  ObligationRecord,
  ObligationState,
  Pairing,
  PlainDate,
  Programme,
} from './model.ts';
import type { InstitutionDirectory } from './pairings.ts';
import { dateInYear, deadlineOf, startOfBeijingDay } from './plain-date.ts';
import type { ObligationWithRecord } from './records.ts';
import { collectorOf, pairingDueDate } from './reporting-chain.ts';
import type { WorkingDayCalendar } from './working-days.ts';

export function obligationId(pairingId: string, kind: string, year: number): string {
  return `${pairingId}#${kind}#${year}`;
}

/**
 * Every obligation of one pairing: one per obligation kind and year the programme lists, due when its
 * place in the reporting chain says (reporting-chain.ts).
 */
export function obligationsOfPairing(
  programme: Programme,
  pairing: Pairing,
  directory: InstitutionDirectory,
  calendar: WorkingDayCalendar,
): Obligation[] {
  const collector = collectorOf(programme, pairing, directory);
  return programme.obligationKinds.flatMap((rule) =>
    rule.years.map((year) =>
      obligationFor(programme.id, pairing.id, rule, year, {
        dueDate: pairingDueDate(programme, rule.kind, year, rule.due, collector, calendar),
        collectorId: collector.id,
      }),
    ),
  );
}

export function obligationFor(
  programmeId: string,
  pairingId: string,
  rule: ObligationKindRule,
  year: number,
  route: { dueDate?: PlainDate; collectorId?: string } = {},
  record: ObligationRecord = {},
): Obligation {
  const dueDate = route.dueDate ?? dateInYear(year, rule.due);
  return {
    id: obligationId(pairingId, rule.kind, year),
    programmeId,
    pairingId,
    kind: rule.kind,
    year,
    opensOn: dateInYear(year, rule.opens),
    dueDate,
    effectiveDueDate: effectiveDueDate(dueDate, record),
    ...(route.collectorId ? { collectorId: route.collectorId } : {}),
  };
}

/** The due date in force: the plan's, or the date a granted extension replaced it with. */
export function effectiveDueDate(dueDate: PlainDate, record: ObligationRecord): PlainDate {
  return record.extendedTo ?? dueDate;
}

/**
 * The obligation once `facts` are recorded about it: the facts merged into what was recorded before,
 * and the due date in force re-derived from them (an extension moves it).
 */
export function recordFacts(
  current: ObligationWithRecord,
  facts: Partial<ObligationRecord>,
): ObligationWithRecord {
  const record = { ...current.record, ...facts };
  return {
    obligation: {
      ...current.obligation,
      effectiveDueDate: effectiveDueDate(current.obligation.dueDate, record),
    },
    record,
  };
}

/** What the recorded facts alone say, before dates are considered. */
function recordedOutcome(
  record: ObligationRecord,
): 'exempt' | 'accepted' | 'returned' | 'submitted' | 'none' {
  if (record.exemptedAt) return 'exempt';
  const submittedAt = record.submittedAt ? new Date(record.submittedAt) : undefined;
  const review = record.review;
  if (review && (!submittedAt || new Date(review.at) >= submittedAt)) return review.outcome;
  return submittedAt ? 'submitted' : 'none';
}

/** The state of an obligation at `at`, from its dates and the facts recorded about it. */
export function obligationState(
  obligation: Pick<Obligation, 'opensOn' | 'effectiveDueDate'>,
  record: ObligationRecord,
  at: Date,
): ObligationState {
  const outcome = recordedOutcome(record);
  if (outcome === 'submitted') {
    return new Date(record.submittedAt as string) < deadlineOf(obligation.effectiveDueDate)
      ? 'submitted'
      : 'late';
  }
  if (outcome !== 'none') return outcome;
  if (at < startOfBeijingDay(obligation.opensOn)) return 'upcoming';
  return at < deadlineOf(obligation.effectiveDueDate) ? 'open' : 'overdue';
}

/**
 * Whether someone still has to act, whatever the date: such obligations stay in the due-date index
 * and get reminders; a submitted, accepted or exempt one drops out.
 */
export function awaitsSubmission(record: ObligationRecord): boolean {
  const outcome = recordedOutcome(record);
  return outcome === 'none' || outcome === 'returned';
}
