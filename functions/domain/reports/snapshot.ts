/**
 * What the four PDF documents share: the snapshot of one programme's records they are built from, the
 * state a report shows for an obligation, the heading, the names of a pairing's parties, and rows
 * grouped by the recipient's city and county with their counts. Pure: `at` (the instant the report
 * describes) and `generatedAt` are the snapshot's; nothing here draws.
 *
 * Each document has its own module beside this one, named like its renderer in adapters/pdf/.
 */
import type {
  Forwarding,
  ForwardingRecord,
  Institution,
  Obligation,
  ObligationRecord,
  Pairing,
  PairingCategory,
  Place,
  PlainDate,
  Programme,
  TaskLevel,
} from '../model.ts';
import { type InstitutionDirectory, institutionDirectory } from '../pairings.ts';
import { beijingDate, deadlineOf } from '../plain-date.ts';
import type { ObligationWithRecord, ReminderRecord } from '../records.ts';
import type { AuditEntry } from '../staff-actions.ts';
import type { AnnualFigures, Submission } from '../submission.ts';
import { obligationState } from '../timeline.ts';

/**
 * What a report says about an obligation: submitted by the due date, after it, not at all though it
 * is past due, not yet due, or exempted by staff.
 */
export const REPORT_STATES = ['on-time', 'late', 'missing', 'pending', 'exempt'] as const;
export type ReportState = (typeof REPORT_STATES)[number];

/** What a dossier shows of the reminder log: the fields of the record it reads. */
export type SentReminder = Pick<
  ReminderRecord,
  | 'pairingId'
  | 'obligationId'
  | 'kind'
  | 'year'
  | 'stage'
  | 'day'
  | 'email'
  | 'institutionId'
  | 'field'
  | 'status'
  | 'claimedAt'
  | 'sentAt'
  | 'reason'
>;

/** One programme's records as read from the store. */
export interface ReportSnapshot {
  programme: Programme;
  institutions: readonly Institution[];
  pairings: readonly Pairing[];
  obligations: readonly ObligationWithRecord[];
  submissions: readonly Submission[];
  reminders: readonly SentReminder[];
  /**
   * The city commissions' forwardings (reporting-chain.ts), read by the documents that show the
   * chain's second level: the agreement status and the annual summary.
   */
  forwardings?: readonly { forwarding: Forwarding; record: ForwardingRecord }[];
  /** What staff did (the dossier shows its pairing's): read only by the documents that show it. */
  audit?: readonly AuditEntry[];
  /** The instant the report describes: later submissions, reviews and reminders are left out. */
  at: Date;
  generatedAt: Date;
}

export interface ProgrammeHeading {
  id: string;
  name: string;
  shortName: string;
  province: string;
}

export interface ReportHeading {
  programme: ProgrammeHeading;
  /** ISO instants. */
  at: string;
  generatedAt: string;
}

export interface PairingParties {
  pairingId: string;
  recipient: string;
  lead: string;
  /** Supporters other than the lead, in the plan's order. */
  otherSupporters: string[];
  category: PairingCategory;
  taskLevels: TaskLevel[];
}

/** An obligation's state at `at`, and the submission counted if it is in. */
export interface ReportStatus {
  state: ReportState;
  /** ISO instant of the submission counted, and its Beijing date. */
  submittedAt?: string;
  submittedOn?: PlainDate;
}

export type StateCounts = Record<ReportState, number> & { total: number };

export interface CountyGroup<Row> {
  county: string;
  rows: Row[];
}

export interface CityGroup<Row> {
  /** 南平市; outside the programme's province with the province: 西藏自治区昌都市. */
  city: string;
  counties: CountyGroup<Row>[];
  counts: StateCounts;
}

/** The state a report shows for an obligation at `at`, from the timeline's state. */
export function reportState(obligation: Obligation, record: ObligationRecord, at: Date): ReportState {
  const state = obligationState(obligation, record, at);
  const deadline = deadlineOf(obligation.effectiveDueDate);
  switch (state) {
    case 'submitted':
      return 'on-time';
    case 'late':
      return 'late';
    case 'overdue':
      return 'missing';
    case 'upcoming':
    case 'open':
      return 'pending';
    case 'exempt':
      return 'exempt';
    case 'returned':
      // Returned for correction: as good as not submitted.
      return at < deadline ? 'pending' : 'missing';
    case 'accepted':
      return !record.submittedAt || new Date(record.submittedAt) < deadline ? 'on-time' : 'late';
  }
}

/** Whether a submission is in: on time or late. */
export function isSubmitted(state: ReportState): boolean {
  return state === 'on-time' || state === 'late';
}

export function heading(snapshot: ReportSnapshot): ReportHeading {
  return {
    programme: programmeHeading(snapshot.programme),
    at: snapshot.at.toISOString(),
    generatedAt: snapshot.generatedAt.toISOString(),
  };
}

export function programmeHeading(programme: Programme): ProgrammeHeading {
  return {
    id: programme.id,
    name: programme.name,
    shortName: programme.shortName,
    province: programme.province,
  };
}

/** 福建省南平市松溪县 */
/**
 * The city a place is grouped under in the documents and the digests: a city of the programme's own
 * province by its name, one of another province with the province (西藏自治区昌都市).
 */
export function documentCityOf(programme: Pick<Programme, 'province'>, place: Place): string {
  return place.province === programme.province
    ? (place.city ?? place.province)
    : `${place.province}${place.city ?? ''}`;
}

export function placeName(institution: Institution): string {
  const { place } = institution;
  return [place.province, place.city, place.county].join('');
}

/** The plan's due dates among the rows, oldest first (normally one per kind and year). */
export function dueDatesOf(rows: readonly { row: { dueDate: PlainDate } }[]): PlainDate[] {
  return [...new Set(rows.map((r) => r.row.dueDate))].sort();
}

export function sumCounts(list: readonly StateCounts[]): StateCounts {
  const sum = emptyCounts();
  for (const counts of list) {
    sum.total += counts.total;
    for (const state of REPORT_STATES) sum[state] += counts[state];
  }
  return sum;
}

export function countStates(rows: readonly { state: ReportState }[]): StateCounts {
  const counts = emptyCounts();
  for (const row of rows) {
    counts.total++;
    counts[row.state]++;
  }
  return counts;
}

function emptyCounts(): StateCounts {
  return { total: 0, 'on-time': 0, late: 0, missing: 0, pending: 0, exempt: 0 };
}

/**
 * Completeness and timeliness of a group, as the documents and the console print them. An obligation
 * is due once its due date has passed and staff have not exempted it: exempt and not-yet-due ones are
 * left out of the denominator. Completeness counts submissions in (on time or late), timeliness those
 * on time; both are percentages, absent while nothing is due.
 */
export interface StateRates {
  due: number;
  completeness?: number;
  timeliness?: number;
}

export function stateRates(counts: StateCounts): StateRates {
  const due = counts.total - counts.pending - counts.exempt;
  if (due <= 0) return { due };
  return {
    due,
    completeness: (100 * (counts['on-time'] + counts.late)) / due,
    timeliness: (100 * counts['on-time']) / due,
  };
}

/** Oldest first: by time received, then by version, then by upload id. */
export function bySubmissionOrder(a: Submission, b: Submission): number {
  return (
    a.receivedAt.localeCompare(b.receivedAt) ||
    (a.version ?? 0) - (b.version ?? 0) ||
    a.id.localeCompare(b.id)
  );
}

const collator = new Intl.Collator('zh-CN');
const CATEGORY_ORDER: readonly PairingCategory[] = ['general', 'tcm', 'cdc'];

/**
 * A snapshot's records indexed once per document, read as they stood at `at`: the lookups the
 * agreement status, the annual summary and the dossier all make.
 */
export class SnapshotIndex {
  /** The seeds' institutions by id; the dossier resolves its pairing's parties through it. */
  readonly directory: InstitutionDirectory;
  private readonly pairings: Map<string, Pairing>;
  /** Uploads received by `at`, per obligation, oldest first. */
  private readonly received = new Map<string, Submission[]>();

  constructor(private readonly snapshot: ReportSnapshot) {
    this.directory = institutionDirectory(snapshot.institutions);
    this.pairings = new Map(snapshot.pairings.map((p) => [p.id, p]));
    for (const s of [...snapshot.submissions].sort(bySubmissionOrder)) {
      if (new Date(s.receivedAt) > snapshot.at) continue;
      this.received.set(s.obligationId, [...(this.received.get(s.obligationId) ?? []), s]);
    }
  }

  pairing(id: string): Pairing | undefined {
    return this.pairings.get(id);
  }

  institution(id: string): Institution {
    const found = this.directory.byId.get(id);
    if (!found) throw new RangeError(`unknown institution ${id}`);
    return found;
  }

  /** The institution's name; its id if the seeds do not name it. */
  nameOf(id: string): string {
    return this.directory.byId.get(id)?.name ?? id;
  }

  parties(pairing: Pairing): PairingParties {
    return {
      pairingId: pairing.id,
      recipient: this.nameOf(pairing.recipientId),
      lead: this.nameOf(pairing.leadSupporterId),
      otherSupporters: pairing.supporterIds
        .filter((id) => id !== pairing.leadSupporterId)
        .map((id) => this.nameOf(id)),
      category: pairing.category,
      taskLevels: [...pairing.taskLevels],
    };
  }

  /** An obligation's uploads received by `at`, oldest first. */
  submissionsOf(obligationId: string): readonly Submission[] {
    return this.received.get(obligationId) ?? [];
  }

  /**
   * The record as it stood at `at`: a submission, review or exemption recorded later is left out; if
   * a resubmission came later, the last upload received by `at` counts.
   */
  recordAsOf(obligation: Obligation, record: ObligationRecord): ObligationRecord {
    const { at } = this.snapshot;
    const asOf: ObligationRecord = { ...record };
    if (asOf.submittedAt && new Date(asOf.submittedAt) > at) {
      const earlier = this.latestSubmission(obligation.id)?.receivedAt;
      if (earlier) asOf.submittedAt = earlier;
      else delete asOf.submittedAt;
    }
    if (asOf.review && new Date(asOf.review.at) > at) delete asOf.review;
    if (asOf.exemptedAt && new Date(asOf.exemptedAt) > at) delete asOf.exemptedAt;
    return asOf;
  }

  statusOf(obligation: Obligation, record: ObligationRecord): ReportStatus {
    const asOf = this.recordAsOf(obligation, record);
    const state = reportState(obligation, asOf, this.snapshot.at);
    return {
      state,
      ...(isSubmitted(state) && asOf.submittedAt
        ? { submittedAt: asOf.submittedAt, submittedOn: beijingDate(new Date(asOf.submittedAt)) }
        : {}),
    };
  }

  /** The figures of the latest upload counted for an annual report. */
  figuresOf(obligation: { id: string }): AnnualFigures | undefined {
    return this.latestSubmission(obligation.id)?.figures;
  }

  /**
   * The recipient's city and county as the documents group them: a city of the programme's own
   * province by its name, one of another province with the province (西藏自治区昌都市); an institution
   * above county level under its city.
   */
  placeOf(pairing: Pairing): { city: string; county: string } {
    const { place } = this.institution(pairing.recipientId);
    return {
      city: documentCityOf(this.snapshot.programme, place),
      county: place.county ?? place.city ?? place.province,
    };
  }

  /**
   * Rows grouped by the recipient's city, then county. Cities of the programme's own province come
   * first, then those of other provinces (Fujian's national tasks in Tibet and Ningxia); each sorted
   * by pinyin, as are counties; within a county hospitals before TCM hospitals before CDCs.
   */
  groupByPlace<Row extends PairingParties & { state: ReportState }>(
    rows: readonly { row: Row; pairing: Pairing }[],
  ): CityGroup<Row>[] {
    return this.placeGroups(rows).map((city) => ({
      ...city,
      counts: countStates(city.counties.flatMap((g) => g.rows)),
    }));
  }

  /** `groupByPlace` without the counts, for rows that carry no single state. */
  placeGroups<Row extends PairingParties>(
    rows: readonly { row: Row; pairing: Pairing }[],
  ): { city: string; counties: CountyGroup<Row>[] }[] {
    const cities = new Map<string, { sort: [number, string, string]; counties: Map<string, Row[]> }>();
    for (const { row, pairing } of rows) {
      const { place } = this.institution(pairing.recipientId);
      const { city, county } = this.placeOf(pairing);
      const own = place.province === this.snapshot.programme.province;
      const entry = cities.get(city) ?? {
        sort: [own ? 0 : 1, place.province, place.city ?? ''] as [number, string, string],
        counties: new Map<string, Row[]>(),
      };
      entry.counties.set(county, [...(entry.counties.get(county) ?? []), row]);
      cities.set(city, entry);
    }
    return [...cities]
      .sort(
        ([, a], [, b]) =>
          a.sort[0] - b.sort[0] ||
          collator.compare(a.sort[1], b.sort[1]) ||
          collator.compare(a.sort[2], b.sort[2]),
      )
      .map(([city, { counties }]) => ({
        city,
        counties: [...counties]
          .sort(([a], [b]) => collator.compare(a, b))
          .map(([county, list]) => ({
            county,
            rows: [...list].sort(
              (a, b) =>
                CATEGORY_ORDER.indexOf(a.category) - CATEGORY_ORDER.indexOf(b.category) ||
                collator.compare(a.recipient, b.recipient) ||
                a.pairingId.localeCompare(b.pairingId),
            ),
          })),
      }));
  }

  /** The latest upload counts (a resubmission replaces the one before). */
  private latestSubmission(obligationId: string): Submission | undefined {
    return this.submissionsOf(obligationId).at(-1);
  }
}
