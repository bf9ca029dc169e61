/**
 * The console's programme overview: the plan's timeline with today marked, and per obligation kind
 * and year how complete and timely the submissions are, by the recipient's city, for the pairings in
 * the staff member's jurisdiction.
 */
import type { ObligationKind, PlainDate } from '../domain/model.ts';
import { beijingDate, dateInYear, daysBetween } from '../domain/plain-date.ts';
import {
  type ProgrammeHeading,
  programmeHeading,
  SnapshotIndex,
  type StateCounts,
  type StateRates,
  stateRates,
  sumCounts,
} from '../domain/reports/snapshot.ts';
import type { StaffIdentity } from '../domain/staff.ts';
import { type ConsolePorts, programmeInScope, snapshotOf } from './console-scope.ts';

export interface ProgrammeOverview {
  programme: ProgrammeHeading;
  /** The instant the figures describe (ISO). */
  at: string;
  /** Pairings in the staff member's jurisdiction. */
  pairingCount: number;
  timeline: PlanTimeline;
  /** One per obligation kind and year, by due date. */
  sections: CompletenessSection[];
}

/** The plan's due dates from the programme data (Fujian §3: agreements by 28 Feb, reports by 10 Dec). */
export interface PlanTimeline {
  /** 1 January of the first year with an obligation, 31 December of the last. */
  from: PlainDate;
  to: PlainDate;
  /** The Beijing date of `at`. */
  today: PlainDate;
  todayIs: 'before' | 'during' | 'after';
  milestones: Milestone[];
}

export interface Milestone {
  /** The completeness section of this kind and year. */
  sectionId: string;
  kind: ObligationKind;
  title: string;
  year: number;
  opensOn: PlainDate;
  /** The plan's due date; extensions granted to single pairings are on the pairing page. */
  dueDate: PlainDate;
  /** `past`: the due date is behind today; `next`: the first that is not; `later`: the rest. */
  when: 'past' | 'next' | 'later';
  /** Submissions are open today (opening day to due date). */
  isOpen: boolean;
  /** Days from today to the due date; negative once it has passed. */
  daysLeft: number;
}

export interface CityCompleteness {
  city: string;
  counts: StateCounts;
  rates: StateRates;
}

export interface CompletenessSection {
  /** `agreement-2022`: stable, usable as an anchor. */
  id: string;
  kind: ObligationKind;
  title: string;
  year: number;
  dueDate: PlainDate;
  /** The deadline staff are working on: the last to have opened by today (else the first). */
  isCurrent: boolean;
  cities: CityCompleteness[];
  totals: { counts: StateCounts; rates: StateRates };
}

/**
 * 1. Read the programme's records in the staff member's jurisdiction (console-scope.ts).
 * 2. Lay out the plan's deadlines and mark today.
 * 3. Per kind and year, each obligation's report state at `now` (reportState), grouped and counted by
 *    city as the PDFs do (SnapshotIndex.groupByPlace), with completeness and timeliness (stateRates).
 */
export async function programmeOverview(
  ports: ConsolePorts,
  staff: StaffIdentity,
  programmeId: string,
  now: Date,
): Promise<ProgrammeOverview> {
  const scope = await programmeInScope(ports.store, staff, programmeId);
  const { programme } = scope;
  const index = new SnapshotIndex(snapshotOf(scope, now));
  const pairingById = new Map(scope.pairings.map((p) => [p.id, p]));
  const today = beijingDate(now);

  const deadlines = programme.obligationKinds
    .flatMap((rule) =>
      rule.years.map((year) => ({
        id: `${rule.kind}-${year}`,
        kind: rule.kind,
        title: rule.title,
        year,
        opensOn: dateInYear(year, rule.opens),
        dueDate: dateInYear(year, rule.due),
      })),
    )
    .sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.kind.localeCompare(b.kind));
  const current = deadlines.filter((d) => d.opensOn <= today).at(-1) ?? deadlines[0];
  const next = deadlines.find((d) => d.dueDate >= today);

  const sections = deadlines.map((deadline): CompletenessSection => {
    const rows = scope.obligations
      .filter(({ obligation }) => obligation.kind === deadline.kind && obligation.year === deadline.year)
      .flatMap(({ obligation, record }) => {
        const pairing = pairingById.get(obligation.pairingId);
        if (!pairing) return [];
        return [{ row: { ...index.parties(pairing), ...index.statusOf(obligation, record) }, pairing }];
      });
    const cities = index.groupByPlace(rows).map((group) => ({
      city: group.city,
      counts: group.counts,
      rates: stateRates(group.counts),
    }));
    const totals = sumCounts(cities.map((c) => c.counts));
    return {
      id: deadline.id,
      kind: deadline.kind,
      title: deadline.title,
      year: deadline.year,
      dueDate: deadline.dueDate,
      isCurrent: deadline === current,
      cities,
      totals: { counts: totals, rates: stateRates(totals) },
    };
  });

  const years = deadlines.map((d) => d.year);
  const from = `${Math.min(...years, ...programme.planYears)}-01-01`;
  const to = `${Math.max(...years, ...programme.planYears)}-12-31`;
  return {
    programme: programmeHeading(programme),
    at: now.toISOString(),
    pairingCount: scope.pairings.length,
    timeline: {
      from,
      to,
      today,
      todayIs: today < from ? 'before' : today > to ? 'after' : 'during',
      milestones: deadlines.map((d) => ({
        sectionId: d.id,
        kind: d.kind,
        title: d.title,
        year: d.year,
        opensOn: d.opensOn,
        dueDate: d.dueDate,
        when: d.dueDate < today ? 'past' : d === next ? 'next' : 'later',
        isOpen: d.opensOn <= today && today <= d.dueDate,
        daysLeft: daysBetween(today, d.dueDate),
      })),
    },
    sections,
  };
}
