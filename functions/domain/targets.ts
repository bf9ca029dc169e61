/**
 * The plans' per-pairing targets checked against the figures a pairing submitted for a year. Pure:
 * the targets come from the programme data, the figures from the annual report, the wording from
 * `templates/pdf/target-verdicts.zh.json`.
 *
 * Fujian §2(1), §2(2), §2(4), §2(6) and Jiangsu §3(1)–(2): backbone staff trained, the stationed team
 * (size, a president or vice-president, six continuous months each, someone there all year),
 * infection-control training, the five emergency centres. Programme-scope targets (share of county
 * hospitals meeting a standard by 2025) are not a pairing's and are skipped here.
 */
import wording from '../../templates/pdf/target-verdicts.zh.json' with { type: 'json' };
import type { PairingCategory, Target } from './model.ts';
import { type AnnualFigures, LEADERSHIP_ROLES, monthsStationed, type StationedStaff } from './submission.ts';

export interface TargetVerdict {
  targetId: string;
  /** Plan section, e.g. 二（六）. */
  citation: string;
  /** The plan's sentence. */
  text: string;
  met: boolean;
  /** What the figures show, for people (派驻5人); absent when nothing was submitted. */
  actual?: string;
  /** What is missing, in Chinese (派驻人员4人，少于要求的5人); only when not met. */
  gap?: string;
}

/** The targets checked per pairing and year for a pairing of this category (none for CDC pairings). */
export function applicableTargets(targets: readonly Target[], category: PairingCategory): Target[] {
  return targets.filter(
    (t) => t.scope === 'pairing-year' && (t.appliesTo === undefined || t.appliesTo.includes(category)),
  );
}

/**
 * One verdict per applicable target. Without figures every target is unmet (未提交年度数据): a report
 * with no figures proves nothing.
 */
export function targetVerdicts(
  targets: readonly Target[],
  category: PairingCategory,
  year: number,
  figures: AnnualFigures | undefined,
): TargetVerdict[] {
  return applicableTargets(targets, category).map((target) => {
    const base = { targetId: target.id, citation: target.citation, text: target.text };
    if (!figures) return { ...base, met: false, gap: wording.noFigures };
    return { ...base, ...checkMetric(target, category, year, figures) };
  });
}

type Check = { met: boolean; actual?: string; gap?: string };

function checkMetric(target: Target, category: PairingCategory, year: number, figures: AnnualFigures): Check {
  const min = target.minByCategory?.[category] ?? target.min ?? 1;
  const team = stationedPeople(figures.stationedStaff, year);
  switch (target.metric) {
    case 'stationedStaff':
      return atLeast(team.length, min, wording.stationedStaff);
    case 'stationedLeadership': {
      const leaders = team.filter((p) => p.roles.some((r) => LEADERSHIP_ROLES.includes(r))).length;
      const check = atLeast(leaders, min, wording.stationedLeadership);
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
      return atLeast(figures.backboneStaffTrained, min, wording.backboneStaffTrained);
    case 'infectionControlTrainings':
      return atLeast(figures.infectionControlTrainings, min, wording.infectionControlTrainings);
    case 'emergencyCentres': {
      const items = target.items ?? [];
      const statuses = figures.emergencyCentres as Record<string, string | undefined>;
      const missing = items.filter((item) => statuses[item] !== 'built');
      const actual = fill(wording.emergencyCentres.actual, {
        built: items.length - missing.length,
        total: items.length,
      });
      if (missing.length === 0) return { met: true, actual };
      return {
        met: false,
        actual,
        gap: fill(wording.emergencyCentres.gap, { centres: missing.join(wording.listSeparator) }),
      };
    }
    default:
      // A target the programme data names but this code cannot check: say so rather than guess.
      return { met: false, gap: fill(wording.unknownMetric, { metric: target.metric }) };
  }
}

function atLeast(count: number, min: number, words: { actual: string; gap: string }): Check {
  const actual = fill(words.actual, { count });
  return count >= min ? { met: true, actual } : { met: false, actual, gap: fill(words.gap, { count, min }) };
}

interface StationedPerson {
  name: string;
  roles: StationedStaff['role'][];
  /** The longest run of continuous months, across the stints listed for this person. */
  longestRun: number;
  /** Months (1–12) of `year` this person was stationed. */
  monthsInYear: number[];
}

/**
 * The people stationed during `year`. One person may be listed for several stints (a change of role,
 * two periods): they count once, and back-to-back stints are one continuous stay. Stints wholly outside
 * the year are not this year's team.
 */
function stationedPeople(staff: readonly StationedStaff[], year: number): StationedPerson[] {
  const byName = new Map<string, { roles: Set<StationedStaff['role']>; months: Set<number> }>();
  for (const stint of staff) {
    const first = monthIndex(stint.from);
    const months = Array.from({ length: monthsStationed(stint) }, (_, i) => first + i);
    if (!months.some((m) => Math.floor(m / 12) === year)) continue;
    const person = byName.get(stint.name) ?? { roles: new Set(), months: new Set() };
    person.roles.add(stint.role);
    for (const m of months) person.months.add(m);
    byName.set(stint.name, person);
  }
  return [...byName].map(([name, { roles, months }]) => ({
    name,
    roles: [...roles],
    longestRun: longestRun([...months]),
    monthsInYear: [...months].filter((m) => Math.floor(m / 12) === year).map((m) => (m % 12) + 1),
  }));
}

/** `YYYY-MM` → months since year 0, so consecutive months differ by one across New Year. */
function monthIndex(month: string): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return y * 12 + (m - 1);
}

function longestRun(months: number[]): number {
  const sorted = [...new Set(months)].sort((a, b) => a - b);
  let best = 0;
  let run = 0;
  sorted.forEach((m, i) => {
    run = i > 0 && m === (sorted[i - 1] as number) + 1 ? run + 1 : 1;
    best = Math.max(best, run);
  });
  return best;
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

function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => String(values[key] ?? whole));
}
