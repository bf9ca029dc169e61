/**
 * The plans' per-pairing targets checked against the figures a pairing submitted for a year. Pure:
 * the targets come from the programme data, the figures from the annual report, the wording from
 * `templates/pdf/target-verdicts.zh.json`.
 *
 * Fujian §2(1), §2(2), §2(4), §2(6) and Jiangsu §3(1)–(2): backbone staff trained, the stationed team
 * (size, a president or vice-president, six continuous months each, someone there all year),
 * infection-control training, the five emergency centres. A target is judged each year or only at the
 * plan's end (`Target.judged`): Jiangsu §3(2) asks for all five centres built by 2025, so the reports of
 * 2022–2024 show how far a hospital has come, not a failure. Programme-scope targets (shares of county
 * hospitals meeting a standard by 2025) are not a pairing's: `programmeTargets` lists them with the
 * reason the product does not judge them.
 */
import wording from '../../templates/pdf/target-verdicts.zh.json' with { type: 'json' };
import type { PairingCategory, Programme, Target, TargetJudgement } from './model.ts';
import {
  type AnnualFigures,
  LEADERSHIP_ROLES,
  type StationedStaff,
  stintMonthRange,
  visibleName,
} from './submission.ts';
import { fill } from './wording.ts';

/**
 * `met` and `unmet` in a year the target is judged; `progress` in an earlier year of a target judged at
 * the plan's end, with what the figures show so far in `actual`.
 */
export type TargetOutcome = 'met' | 'unmet' | 'progress';

export interface TargetVerdict {
  targetId: string;
  /** Plan section, e.g. 二（六）. */
  citation: string;
  /** The plan's sentence. */
  text: string;
  /** When the target is judged. */
  judged: TargetJudgement;
  /** What "met" means, in the plan's words (the target's `met`). */
  criterion: string;
  outcome: TargetOutcome;
  /** `outcome === 'met'`. */
  met: boolean;
  /** What the figures show, for people (派驻5人); absent when nothing was submitted. */
  actual?: string;
  /** What is missing, in Chinese (派驻人员4人，少于要求的5人); only when unmet. */
  gap?: string;
}

/** A programme-wide target: what it asks and why the product gives no verdict on it. */
export interface ProgrammeTargetStatus {
  targetId: string;
  citation: string;
  text: string;
  judged: TargetJudgement;
  criterion: string;
  by?: number;
  /** 系统不核对：…, from the target's `notJudgedReason`. */
  notJudged: string;
}

/** The targets checked per pairing and year for a pairing of this category (none for CDC pairings). */
export function applicableTargets(targets: readonly Target[], category: PairingCategory): Target[] {
  return targets.filter(
    (t) => t.scope === 'pairing-year' && (t.appliesTo === undefined || t.appliesTo.includes(category)),
  );
}

/**
 * One verdict per applicable target. Without figures every target is unmet (未提交年度数据): a report
 * with no figures proves nothing. With the programme, stints are clipped to the months its figures may
 * name (`stintMonthRange`), so figures stored before those were checked still read sensibly.
 */
export function targetVerdicts(
  targets: readonly Target[],
  category: PairingCategory,
  year: number,
  figures: AnnualFigures | undefined,
  programme?: Pick<Programme, 'planYears'>,
): TargetVerdict[] {
  const range = programme && stintMonthRange(programme);
  // The team once for every target, not once per target.
  const team = figures ? stationedTeam(figures.stationedStaff, year, range) : [];
  return applicableTargets(targets, category).map((target) => {
    const base = {
      targetId: target.id,
      citation: target.citation,
      text: target.text,
      judged: target.judged,
      criterion: target.met,
    };
    if (!figures) return { ...base, outcome: 'unmet', met: false, gap: wording.noFigures };
    const check = checkMetric(target, category, figures, team);
    if (!check.met && isBeforeJudgement(target, year)) {
      return { ...base, outcome: 'progress', met: false, actual: check.progress ?? check.actual };
    }
    const { progress: _progress, ...shown } = check;
    return { ...base, outcome: check.met ? 'met' : 'unmet', ...shown };
  });
}

/** The programme-wide targets, each with the reason the product does not judge it. */
export function programmeTargets(targets: readonly Target[]): ProgrammeTargetStatus[] {
  return targets
    .filter((t) => t.scope === 'programme')
    .map((t) => ({
      targetId: t.id,
      citation: t.citation,
      text: t.text,
      judged: t.judged,
      criterion: t.met,
      ...(t.by === undefined ? {} : { by: t.by }),
      notJudged: fill(wording.notJudged, {
        reason: t.notJudgedReason ?? fill(wording.unknownMetric, { metric: t.metric }),
      }),
    }));
}

/** A plan-end target is judged in its `by` year; a report of an earlier year shows progress. */
function isBeforeJudgement(target: Target, year: number): boolean {
  return target.judged === 'plan-end' && target.by !== undefined && year < target.by;
}

/** `progress`: what a report before the judged year says instead (已建成3/5个，2025年底前全部建成). */
type Check = { met: boolean; actual?: string; gap?: string; progress?: string };

function checkMetric(
  target: Target,
  category: PairingCategory,
  figures: AnnualFigures,
  team: readonly StationedPerson[],
): Check {
  const min = target.minByCategory?.[category] ?? target.min ?? 1;
  const atLeast = (count: number, words: { actual: string; gap: string }) =>
    compare(count, min, target.comparison ?? 'at-least', words);
  switch (target.metric) {
    case 'stationedStaff':
      return atLeast(team.length, wording.stationedStaff);
    case 'stationedLeadership': {
      const leaders = team.filter((p) => p.roles.some((r) => LEADERSHIP_ROLES.includes(r))).length;
      const check = atLeast(leaders, wording.stationedLeadership);
      return leaders === 0 ? { ...check, gap: wording.stationedLeadership.none } : check;
    }
    case 'stationedMonthsMin': {
      if (team.length === 0) return { met: false, gap: wording.stationedMonthsMin.noStaff };
      const shortest = Math.min(...team.map((p) => p.longestRun));
      const actual = fill(wording.stationedMonthsMin.actual, { months: shortest });
      const short = team.filter((p) => p.longestRun < min);
      if (short.length === 0) return { met: true, actual };
      const people = short
        .map((p) => fill(wording.stationedMonthsMin.person, { name: p.name, months: p.longestRun }))
        .join(wording.listSeparator);
      return { met: false, actual, gap: fill(wording.stationedMonthsMin.gap, { people, min }) };
    }
    case 'yearRoundPresence': {
      const covered = new Set(team.flatMap((p) => p.monthsInYear));
      if (covered.size === 0) return { met: false, gap: wording.yearRoundPresence.noStaff };
      const actual = fill(wording.yearRoundPresence.actual, { covered: covered.size });
      const uncovered = [...Array(12).keys()].map((m) => m + 1).filter((m) => !covered.has(m));
      if (uncovered.length === 0) return { met: true, actual };
      return {
        met: false,
        actual,
        gap: fill(wording.yearRoundPresence.gap, { months: monthRuns(uncovered) }),
      };
    }
    case 'backboneStaffTrained':
      return atLeast(figures.backboneStaffTrained, wording.backboneStaffTrained);
    case 'infectionControlTrainings':
      return atLeast(figures.infectionControlTrainings, wording.infectionControlTrainings);
    case 'emergencyCentresStrengthened': {
      // Fujian §2(1): supporters help strengthen (加强) the centres; a centre built or being built counts.
      const statuses = centreStatuses(target, figures);
      const built = statuses.filter((s) => s === 'built').length;
      const inProgress = statuses.filter((s) => s === 'in-progress').length;
      const words = wording.emergencyCentresStrengthened;
      const actual = fill(words.actual, { built, inProgress });
      const check = compare(built + inProgress, min, target.comparison ?? 'at-least', {
        actual,
        gap: words.gap,
      });
      return { ...check, actual };
    }
    case 'emergencyCentresBuilt': {
      // Jiangsu §3(2): all five built (全部建成), an outcome for the plan's last year.
      const items = target.items ?? [];
      const statuses = centreStatuses(target, figures);
      const missing = items.filter((_, i) => statuses[i] !== 'built');
      const counts = { built: items.length - missing.length, total: items.length };
      const words = wording.emergencyCentresBuilt;
      const actual = fill(words.actual, counts);
      if (missing.length === 0) return { met: true, actual };
      return {
        met: false,
        actual,
        gap: fill(words.gap, { centres: missing.join(wording.listSeparator) }),
        progress: fill(words.progress, { ...counts, by: target.by ?? '' }),
      };
    }
    default:
      // A target the programme data names but this code cannot check: say so rather than guess.
      return { met: false, gap: fill(wording.unknownMetric, { metric: target.metric }) };
  }
}

/** ≥ `min`, or > `min` where the plan says 超过 (`more-than`). */
function compare(
  count: number,
  min: number,
  comparison: NonNullable<Target['comparison']>,
  words: { actual: string; gap: string },
): Check {
  const actual = fill(words.actual, { count });
  const met = comparison === 'more-than' ? count > min : count >= min;
  if (met) return { met, actual };
  const gap = comparison === 'more-than' ? wording.notAbove : words.gap;
  return { met, actual, gap: fill(gap, { count, min, actual }) };
}

/** The status of each of the target's centres, in its order; a centre not reported is not started. */
function centreStatuses(target: Target, figures: AnnualFigures): (string | undefined)[] {
  const statuses = figures.emergencyCentres as Record<string, string | undefined>;
  return (target.items ?? []).map((item) => statuses[item]);
}

interface StationedPerson {
  name: string;
  roles: StationedStaff['role'][];
  /** The longest run of continuous months, across the stints listed for this person. */
  longestRun: number;
  /** Months (1–12) of `year` this person was stationed. */
  monthsInYear: number[];
}

/** Months since year 0 (`YYYY-MM` → y × 12 + m − 1), so consecutive months differ by one across New Year. */
type MonthIndex = number;
/** First and last month of a stay, inclusive. */
type Interval = readonly [MonthIndex, MonthIndex];

/**
 * The people stationed during `year`, computed once per verdict list from the stints as month
 * intervals: cost grows with the rows, not with the months they span. One person may be listed for
 * several stints (a change of role, two periods): they count once, under their name as people read it,
 * and back-to-back stints are one continuous stay. Stints wholly outside the year (after clipping to
 * `range`) are not this year's team; a name with nothing visible is nobody.
 */
function stationedTeam(
  staff: readonly StationedStaff[],
  year: number,
  range?: { first: string; last: string },
): StationedPerson[] {
  const bounds: Interval = range ? [monthIndex(range.first), monthIndex(range.last)] : [-Infinity, Infinity];
  const yearMonths: Interval = [year * 12, year * 12 + 11];
  const byName = new Map<string, { roles: Set<StationedStaff['role']>; stints: Interval[] }>();
  for (const stint of staff) {
    const name = visibleName(stint.name);
    const clipped = intersection([monthIndex(stint.from), monthIndex(stint.to)], bounds);
    if (!name || !clipped || !intersection(clipped, yearMonths)) continue;
    const person = byName.get(name) ?? { roles: new Set(), stints: [] };
    person.roles.add(stint.role);
    person.stints.push(clipped);
    byName.set(name, person);
  }
  return [...byName].map(([name, { roles, stints }]) => {
    const stays = mergedStays(stints);
    return {
      name,
      roles: [...roles],
      longestRun: Math.max(...stays.map(([from, to]) => to - from + 1)),
      monthsInYear: stays.flatMap((stay) => {
        const inYear = intersection(stay, yearMonths);
        if (!inYear) return [];
        return Array.from({ length: inYear[1] - inYear[0] + 1 }, (_, i) => ((inYear[0] + i) % 12) + 1);
      }),
    };
  });
}

/** `YYYY-MM` → its month index; NaN for anything else, which no interval contains. */
function monthIndex(month: string): MonthIndex {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return y * 12 + (m - 1);
}

/** The months two intervals share; undefined when none (or either is not a valid interval). */
function intersection(a: Interval, b: Interval): Interval | undefined {
  const from = Math.max(a[0], b[0]);
  const to = Math.min(a[1], b[1]);
  return from <= to ? [from, to] : undefined;
}

/** A person's stints as disjoint continuous stays, in order: overlapping or back-to-back stints join. */
function mergedStays(stints: readonly Interval[]): Interval[] {
  const stays: [MonthIndex, MonthIndex][] = [];
  for (const [from, to] of [...stints].sort((a, b) => a[0] - b[0])) {
    const last = stays.at(-1);
    if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else stays.push([from, to]);
  }
  return stays;
}

/** [1, 2, 3, 11] → 1—3月、11月 */
function monthRuns(months: readonly number[]): string {
  const runs: [number, number][] = [];
  for (const m of months) {
    const last = runs.at(-1);
    if (last && last[1] === m - 1) last[1] = m;
    else runs.push([m, m]);
  }
  return runs
    .map(([from, to]) =>
      from === to ? fill(wording.singleMonth, { month: from }) : fill(wording.monthRun, { from, to }),
    )
    .join(wording.listSeparator);
}
