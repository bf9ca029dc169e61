/**
 * The console's pairing list: the pairings in the staff member's jurisdiction with their obligations'
 * states, filtered by place, task level, category, obligation kind, year and state, and searched by
 * name. The same view feeds the page and its Excel export, so both always show the same rows.
 */
import {
  OBLIGATION_KINDS,
  OBLIGATION_STATES,
  type ObligationKind,
  type ObligationState,
  PAIRING_CATEGORIES,
  type PairingCategory,
  type PlainDate,
  TASK_LEVELS,
  type TaskLevel,
} from '../domain/model.ts';
import {
  type PairingParties,
  type ProgrammeHeading,
  programmeHeading,
  REPORT_STATES,
  type ReportState,
  SnapshotIndex,
} from '../domain/reports/snapshot.ts';
import type { StaffIdentity } from '../domain/staff.ts';
import { obligationState } from '../domain/timeline.ts';
import { type ConsolePorts, programmeInScope, snapshotOf } from './console-scope.ts';

/** Every filter is optional; absent means all. */
export interface PairingFilters {
  /** The recipient's city as the overview names it (泉州市; 西藏自治区昌都市 outside the province). */
  city?: string;
  county?: string;
  taskLevel?: TaskLevel;
  category?: PairingCategory;
  kind?: ObligationKind;
  year?: number;
  /** What the reports count: on time, late, missing, pending, exempt (the overview's columns). */
  outcome?: ReportState;
  /** Where the obligation stands in its workflow: open, submitted, returned, accepted … */
  state?: ObligationState;
  /** Part of the recipient's or a supporter's name (or an alias), or of the pairing id. */
  q?: string;
}

/** The query parameters, in the order the page's form and its links write them. */
export const PAIRING_FILTER_KEYS = [
  'city',
  'county',
  'taskLevel',
  'category',
  'kind',
  'year',
  'outcome',
  'state',
  'q',
] as const satisfies readonly (keyof PairingFilters)[];

const MAX_SEARCH_LENGTH = 60;

/**
 * Filters from a URL's query (GET, so a filtered list is a link to share). A value the console does
 * not offer is left out rather than refused: the form then shows 全部 for it, as the list does.
 */
export function parsePairingFilters(query: Readonly<Record<string, string | undefined>>): PairingFilters {
  const text = (key: keyof PairingFilters) => {
    const value = query[key]?.trim();
    return value ? value.slice(0, MAX_SEARCH_LENGTH) : undefined;
  };
  const oneOf = <T extends string>(key: keyof PairingFilters, values: readonly T[]): T | undefined => {
    const value = text(key);
    return value !== undefined && (values as readonly string[]).includes(value) ? (value as T) : undefined;
  };
  const year = text('year');
  const filters: PairingFilters = {
    city: text('city'),
    county: text('county'),
    taskLevel: oneOf('taskLevel', TASK_LEVELS),
    category: oneOf('category', PAIRING_CATEGORIES),
    kind: oneOf('kind', OBLIGATION_KINDS),
    year: year && /^\d{4}$/.test(year) ? Number(year) : undefined,
    outcome: oneOf('outcome', REPORT_STATES),
    state: oneOf('state', OBLIGATION_STATES),
    q: text('q'),
  };
  return Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)) as PairingFilters;
}

/** `?city=…&kind=…` for the filters set, in a fixed order; '' when none is. */
export function pairingFiltersQuery(filters: PairingFilters): string {
  const params = new URLSearchParams();
  for (const key of PAIRING_FILTER_KEYS) {
    const value = filters[key];
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const query = params.toString();
  return query ? `?${query}` : '';
}

export interface ListedObligation {
  id: string;
  kind: ObligationKind;
  title: string;
  year: number;
  dueDate: PlainDate;
  /** The due date in force: an extension's, or the plan's. */
  effectiveDueDate: PlainDate;
  outcome: ReportState;
  state: ObligationState;
  submittedAt?: string;
  review?: { outcome: 'accepted' | 'returned'; at: string; reason?: string };
  exemptedAt?: string;
}

export interface PairingListRow extends PairingParties {
  city: string;
  county: string;
  /** The pairing's obligations the filters keep, by due date. */
  obligations: ListedObligation[];
}

export interface PairingFilterOptions {
  /** Cities in the overview's order, each with its counties. */
  cities: { city: string; counties: string[] }[];
  taskLevels: TaskLevel[];
  categories: PairingCategory[];
  kinds: { kind: ObligationKind; title: string; years: number[] }[];
  years: number[];
}

export interface PairingListView {
  programme: ProgrammeHeading;
  /** The instant the states describe (ISO). */
  at: string;
  /** The filters applied (as parsed). */
  filters: PairingFilters;
  options: PairingFilterOptions;
  /** Pairings in the staff member's jurisdiction, before filtering. */
  total: number;
  /** The pairings the filters keep, grouped by city and county as in the documents. */
  rows: PairingListRow[];
}

/**
 * 1. Read the programme's records in the staff member's jurisdiction (console-scope.ts).
 * 2. Each obligation's timeline state and report state at `now`.
 * 3. Keep the pairings matching the place, level, category and name filters, and of each the
 *    obligations matching kind, year and state; a pairing left with no obligation is dropped when an
 *    obligation filter is set.
 * 4. Order by city, county, category and name (pinyin), as the documents do.
 */
export async function pairingList(
  ports: ConsolePorts,
  staff: StaffIdentity,
  programmeId: string,
  filters: PairingFilters,
  now: Date,
): Promise<PairingListView> {
  const scope = await programmeInScope(ports.store, staff, programmeId);
  const { programme, directory } = scope;
  const index = new SnapshotIndex(snapshotOf(scope, now));
  const titleOf = new Map(programme.obligationKinds.map((k) => [k.kind, k.title]));

  const obligationsOf = new Map<string, ListedObligation[]>();
  for (const { obligation, record } of scope.obligations) {
    const asOf = index.recordAsOf(obligation, record);
    const listed: ListedObligation = {
      id: obligation.id,
      kind: obligation.kind,
      title: titleOf.get(obligation.kind) ?? obligation.kind,
      year: obligation.year,
      dueDate: obligation.dueDate,
      effectiveDueDate: obligation.effectiveDueDate,
      outcome: index.statusOf(obligation, record).state,
      state: obligationState(obligation, asOf, now),
      ...(asOf.submittedAt ? { submittedAt: asOf.submittedAt } : {}),
      ...(asOf.review ? { review: asOf.review } : {}),
      ...(asOf.exemptedAt ? { exemptedAt: asOf.exemptedAt } : {}),
    };
    obligationsOf.set(obligation.pairingId, [...(obligationsOf.get(obligation.pairingId) ?? []), listed]);
  }

  const needle = filters.q ? searchKey(filters.q) : '';
  const namesOf = (id: string) => {
    const institution = directory.byId.get(id);
    return institution ? [institution.name, ...institution.aliases] : [id];
  };
  const matchesName = (pairingId: string, ids: readonly string[]) =>
    needle === '' || [pairingId, ...ids.flatMap(namesOf)].some((name) => searchKey(name).includes(needle));
  const obligationFilterSet =
    filters.kind !== undefined ||
    filters.year !== undefined ||
    filters.outcome !== undefined ||
    filters.state !== undefined;

  const all = scope.pairings.map((pairing) => {
    const place = index.placeOf(pairing);
    const row: PairingListRow = {
      ...index.parties(pairing),
      ...place,
      obligations: (obligationsOf.get(pairing.id) ?? [])
        .filter(
          (o) =>
            (filters.kind === undefined || o.kind === filters.kind) &&
            (filters.year === undefined || o.year === filters.year) &&
            (filters.outcome === undefined || o.outcome === filters.outcome) &&
            (filters.state === undefined || o.state === filters.state),
        )
        .sort((a, b) => a.effectiveDueDate.localeCompare(b.effectiveDueDate) || a.kind.localeCompare(b.kind)),
    };
    return { row, pairing };
  });
  const kept = all.filter(
    ({ row, pairing }) =>
      (filters.city === undefined || row.city === filters.city) &&
      (filters.county === undefined || row.county === filters.county) &&
      (filters.taskLevel === undefined || pairing.taskLevels.includes(filters.taskLevel)) &&
      (filters.category === undefined || pairing.category === filters.category) &&
      (!obligationFilterSet || row.obligations.length > 0) &&
      matchesName(pairing.id, [pairing.recipientId, ...pairing.supporterIds]),
  );
  const flatten = <Row>(groups: { counties: { rows: Row[] }[] }[]) =>
    groups.flatMap((g) => g.counties.flatMap((c) => c.rows));

  const kinds = programme.obligationKinds.map((k) => ({ kind: k.kind, title: k.title, years: [...k.years] }));
  return {
    programme: programmeHeading(programme),
    at: now.toISOString(),
    filters,
    options: {
      cities: index
        .placeGroups(all)
        .map((g) => ({ city: g.city, counties: g.counties.map((c) => c.county) })),
      taskLevels: TASK_LEVELS.filter((level) => scope.pairings.some((p) => p.taskLevels.includes(level))),
      categories: PAIRING_CATEGORIES.filter((category) =>
        scope.pairings.some((p) => p.category === category),
      ),
      kinds,
      years: [...new Set(kinds.flatMap((k) => k.years))].sort((a, b) => a - b),
    },
    total: scope.pairings.length,
    rows: flatten(index.placeGroups(kept)),
  };
}

/**
 * A name as the search compares it: NFKC folds full-width letters, digits and brackets into their
 * usual forms (（一） and (一), ＡＢＣ and ABC), spaces and invisible characters go, case is ignored.
 * Chinese has no case or word spacing, so a substring of the folded name is a match.
 */
export function searchKey(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\s\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}]/gu, '')
    .toLowerCase();
}
