/**
 * Document 2, the annual summary: the annual report of a year per pairing (on time, late, missing),
 * grouped by the recipient's city and county, and the plan's targets checked against the figures
 * submitted.
 */
import type { PlainDate } from '../model.ts';
import { ANNUAL_REPORT_KIND } from '../model.ts';
import { dateInYear } from '../plain-date.ts';
import {
  applicableTargets,
  type ProgrammeTargetStatus,
  programmeTargets,
  type TargetVerdict,
  targetVerdicts,
} from '../targets.ts';
import { type ForwardingSection, forwardingSection } from './forwardings.ts';
import {
  type CityGroup,
  dueDatesOf,
  heading,
  isSubmitted,
  type PairingParties,
  type ReportHeading,
  type ReportSnapshot,
  type ReportStatus,
  SnapshotIndex,
  type StateCounts,
  sumCounts,
} from './snapshot.ts';

export interface AnnualRow extends PairingParties, ReportStatus {
  obligationId: string;
  dueDate: PlainDate;
  effectiveDueDate: PlainDate;
  /** Whether the latest report counted carried the year's figures. */
  figuresSubmitted: boolean;
  /** False for pairings the per-pairing targets do not apply to (CDC pairings). */
  targetsApply: boolean;
  verdicts: TargetVerdict[];
  /** Verdicts `unmet`: a plan-end target's progress in an earlier year is not one. */
  unmetCount: number;
}

export interface TargetCounts {
  /** Pairings the targets apply to. */
  checked: number;
  /** ... of which meeting every target. */
  allMet: number;
  /** ... missing at least one target on the figures they submitted. */
  someUnmet: number;
  /** ... with no figures submitted. */
  noFigures: number;
  /** Pairings the targets do not apply to. */
  notApplicable: number;
}

export interface AnnualCityGroup extends CityGroup<AnnualRow> {
  targets: TargetCounts;
}

export interface TargetTally {
  targetId: string;
  citation: string;
  text: string;
  met: number;
  unmet: number;
  /** Pairings on their way to a target judged at the plan's end (Jiangsu §三(二)). */
  progress: number;
}

export interface AnnualSummaryView extends ReportHeading {
  year: number;
  /** The plan's date of the year (10 December): the commissions' and the direct pairings'. */
  planDueDate: PlainDate;
  /** The pairings' own due dates: the hospitals' date where a city commission collects. */
  dueDates: PlainDate[];
  cities: AnnualCityGroup[];
  totals: StateCounts;
  targetTotals: TargetCounts;
  /** Per target of the plan: how many pairings met it and how many did not. */
  perTarget: TargetTally[];
  /** The programme-wide targets, which the product does not judge, each with the reason. */
  programmeTargets: ProgrammeTargetStatus[];
  /** The city commissions' evaluation reports of the year, and the direct pairings (Fujian §三(二)). */
  chain: ForwardingSection;
}

export function annualSummaryView(snapshot: ReportSnapshot, year: number): AnnualSummaryView {
  const index = new SnapshotIndex(snapshot);
  const { programme } = snapshot;
  const rule = programme.obligationKinds.find((k) => k.kind === ANNUAL_REPORT_KIND);
  if (!rule?.years.includes(year)) {
    throw new RangeError(`programme ${programme.id} has no annual report for ${year}`);
  }
  const rows = snapshot.obligations
    .filter(({ obligation }) => obligation.kind === ANNUAL_REPORT_KIND && obligation.year === year)
    .flatMap(({ obligation, record }) => {
      const pairing = index.pairing(obligation.pairingId);
      if (!pairing) return [];
      const status = index.statusOf(obligation, record);
      const figures = isSubmitted(status.state) ? index.figuresOf(obligation) : undefined;
      const targetsApply = applicableTargets(programme.targets, pairing.category).length > 0;
      const verdicts = targetVerdicts(programme.targets, pairing.category, year, figures, programme);
      const row: AnnualRow = {
        ...index.parties(pairing),
        obligationId: obligation.id,
        dueDate: obligation.dueDate,
        effectiveDueDate: obligation.effectiveDueDate,
        ...status,
        figuresSubmitted: figures !== undefined,
        targetsApply,
        verdicts,
        unmetCount: verdicts.filter((v) => v.outcome === 'unmet').length,
      };
      return [{ row, pairing }];
    });
  const cities = index.groupByPlace(rows).map((city) => ({
    ...city,
    targets: targetCounts(city.counties.flatMap((c) => c.rows)),
  }));
  const allRows = cities.flatMap((c) => c.counties.flatMap((county) => county.rows));
  const perTarget = programme.targets
    .filter((t) => t.scope === 'pairing-year')
    .map((t) => {
      const verdicts = allRows.flatMap((r) => r.verdicts.filter((v) => v.targetId === t.id));
      return {
        targetId: t.id,
        citation: t.citation,
        text: t.text,
        met: verdicts.filter((v) => v.outcome === 'met').length,
        unmet: verdicts.filter((v) => v.outcome === 'unmet').length,
        progress: verdicts.filter((v) => v.outcome === 'progress').length,
      };
    });
  return {
    ...heading(snapshot),
    year,
    planDueDate: dateInYear(year, rule.due),
    dueDates: dueDatesOf(rows),
    cities,
    totals: sumCounts(cities.map((c) => c.counts)),
    targetTotals: targetCounts(allRows),
    perTarget,
    programmeTargets: programmeTargets(programme.targets),
    chain: forwardingSection(snapshot, index, ANNUAL_REPORT_KIND, year),
  };
}

function targetCounts(rows: readonly AnnualRow[]): TargetCounts {
  const checked = rows.filter((r) => r.targetsApply);
  return {
    checked: checked.length,
    allMet: checked.filter((r) => r.figuresSubmitted && r.unmetCount === 0).length,
    someUnmet: checked.filter((r) => r.figuresSubmitted && r.unmetCount > 0).length,
    noFigures: checked.filter((r) => !r.figuresSubmitted).length,
    notApplicable: rows.length - checked.length,
  };
}
