/**
 * The four PDF documents as plain view models, built from a snapshot of one programme's records. Pure:
 * `at` (the instant the report describes) and `generatedAt` are parameters; nothing here draws.
 *
 * - Agreement status: every pairing's agreement obligation, grouped by the recipient's city and
 *   county, with its state and totals per city and for the programme.
 * - Annual summary: the annual report of a year per pairing (on time, late, missing) and the plan's
 *   targets checked against the figures submitted.
 * - Pairing dossier: one pairing's obligations, submissions and reminders.
 * - Agreement form: the parties of one pairing for the annex-3 tripartite agreement.
 */
import type {
  Institution,
  Obligation,
  ObligationRecord,
  ObligationState,
  Pairing,
  PairingCategory,
  PlainDate,
  Programme,
  TaskLevel,
} from './model.ts';
import { institutionDirectory } from './pairings.ts';
import { partyResolver } from './parties.ts';
import { beijingDate, deadlineOf } from './plain-date.ts';
import type { ObligationWithRecord, ReminderRecord } from './records.ts';
import type { AnnualFigures, Submission } from './submission.ts';
import { applicableTargets, type TargetVerdict, targetVerdicts } from './targets.ts';
import { obligationState } from './timeline.ts';

/** Obligation kinds of the programme data the documents are about. */
export const AGREEMENT_KIND = 'agreement';
export const ANNUAL_REPORT_KIND = 'annual-report';

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

// ---- 1. agreement status ----------------------------------------------------------------------

export interface AgreementRow extends PairingParties {
  obligationId: string;
  year: number;
  dueDate: PlainDate;
  effectiveDueDate: PlainDate;
  state: ReportState;
  /** ISO instant of the submission counted, and its Beijing date. */
  submittedAt?: string;
  submittedOn?: PlainDate;
}

export interface AgreementStatusView extends ReportHeading {
  /** The plan's due dates of the agreements (normally one: 28 February). */
  dueDates: PlainDate[];
  cities: CityGroup<AgreementRow>[];
  totals: StateCounts;
}

export function agreementStatusView(snapshot: ReportSnapshot): AgreementStatusView {
  const context = snapshotContext(snapshot);
  const rows = snapshot.obligations
    .filter(({ obligation }) => obligation.kind === AGREEMENT_KIND)
    .flatMap(({ obligation, record }) => {
      const pairing = context.pairingById.get(obligation.pairingId);
      if (!pairing) return [];
      const status = context.statusOf(obligation, record);
      return [
        {
          row: {
            ...context.parties(pairing),
            obligationId: obligation.id,
            year: obligation.year,
            dueDate: obligation.dueDate,
            effectiveDueDate: obligation.effectiveDueDate,
            ...status,
          } satisfies AgreementRow,
          pairing,
        },
      ];
    });
  const cities = context.groupByPlace(rows);
  return {
    ...heading(snapshot),
    dueDates: [...new Set(rows.map((r) => r.row.dueDate))].sort(),
    cities,
    totals: sumCounts(cities.map((c) => c.counts)),
  };
}

// ---- 2. annual summary -------------------------------------------------------------------------

export interface AnnualRow extends PairingParties {
  obligationId: string;
  dueDate: PlainDate;
  effectiveDueDate: PlainDate;
  state: ReportState;
  submittedAt?: string;
  submittedOn?: PlainDate;
  /** Whether the latest report counted carried the year's figures. */
  figuresSubmitted: boolean;
  /** False for pairings the per-pairing targets do not apply to (CDC pairings). */
  targetsApply: boolean;
  verdicts: TargetVerdict[];
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
}

export interface AnnualSummaryView extends ReportHeading {
  year: number;
  dueDates: PlainDate[];
  cities: AnnualCityGroup[];
  totals: StateCounts;
  targetTotals: TargetCounts;
  /** Per target of the plan: how many pairings met it and how many did not. */
  perTarget: TargetTally[];
}

export function annualSummaryView(snapshot: ReportSnapshot, year: number): AnnualSummaryView {
  const context = snapshotContext(snapshot);
  const { programme } = snapshot;
  const rule = programme.obligationKinds.find((k) => k.kind === ANNUAL_REPORT_KIND);
  if (!rule?.years.includes(year)) {
    throw new RangeError(`programme ${programme.id} has no annual report for ${year}`);
  }
  const rows = snapshot.obligations
    .filter(({ obligation }) => obligation.kind === ANNUAL_REPORT_KIND && obligation.year === year)
    .flatMap(({ obligation, record }) => {
      const pairing = context.pairingById.get(obligation.pairingId);
      if (!pairing) return [];
      const status = context.statusOf(obligation, record);
      const counted = status.state === 'on-time' || status.state === 'late';
      const figures = counted ? context.figuresOf(obligation) : undefined;
      const targetsApply = applicableTargets(programme.targets, pairing.category).length > 0;
      const verdicts = targetVerdicts(programme.targets, pairing.category, year, figures, programme);
      const row: AnnualRow = {
        ...context.parties(pairing),
        obligationId: obligation.id,
        dueDate: obligation.dueDate,
        effectiveDueDate: obligation.effectiveDueDate,
        ...status,
        figuresSubmitted: figures !== undefined,
        targetsApply,
        verdicts,
        unmetCount: verdicts.filter((v) => !v.met).length,
      };
      return [{ row, pairing }];
    });
  const cities = context.groupByPlace(rows).map((city) => ({
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
        met: verdicts.filter((v) => v.met).length,
        unmet: verdicts.filter((v) => !v.met).length,
      };
    });
  return {
    ...heading(snapshot),
    year,
    dueDates: [...new Set(rows.map((r) => r.row.dueDate))].sort(),
    cities,
    totals: sumCounts(cities.map((c) => c.counts)),
    targetTotals: targetCounts(allRows),
    perTarget,
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

// ---- 3. pairing dossier ------------------------------------------------------------------------

export interface DossierObligation {
  id: string;
  kind: string;
  title: string;
  year: number;
  opensOn: PlainDate;
  dueDate: PlainDate;
  effectiveDueDate: PlainDate;
  state: ReportState;
  /** The timeline's own state (open, returned, accepted …) for the detail column. */
  timelineState: ObligationState;
  submittedAt?: string;
  review?: { outcome: 'accepted' | 'returned'; at: string; reason?: string };
  exemptedAt?: string;
}

export interface DossierSubmission {
  obligationId: string;
  title: string;
  year: number;
  version: number;
  receivedAt: string;
  filename: string;
  size: number;
  submittedBy: string;
  hasFigures: boolean;
}

export interface DossierRecipient {
  institution: string;
  email: string;
  field: 'to' | 'cc';
  status: SentReminder['status'];
  reason?: string;
}

/** One send: a stage of an obligation's reminder, on a day, to its addresses. */
export interface DossierReminder {
  obligationId: string;
  title: string;
  year: number;
  stage: string;
  day: PlainDate;
  recipients: DossierRecipient[];
}

export interface DossierTargets {
  year: number;
  figuresSubmitted: boolean;
  verdicts: TargetVerdict[];
}

export interface PairingDossierView extends ReportHeading {
  pairing: PairingParties & {
    /** 福建省南平市松溪县 */
    recipientPlace: string;
    countyGovernment?: string;
    responsibleCommissions: string[];
    /** Where the plan lists it: 附件1 序号1（国家级任务）. */
    sources: { annex: string; seq?: number; taskLevel?: TaskLevel }[];
  };
  obligations: DossierObligation[];
  submissions: DossierSubmission[];
  reminders: DossierReminder[];
  /** The target check of each year whose annual report is in. */
  targets: DossierTargets[];
}

export function pairingDossierView(snapshot: ReportSnapshot, pairingId: string): PairingDossierView {
  const context = snapshotContext(snapshot);
  const pairing = context.pairingById.get(pairingId);
  if (!pairing) throw new RangeError(`no pairing ${pairingId} in programme ${snapshot.programme.id}`);
  const { programme, at } = snapshot;
  const parties = partyResolver(programme, pairing, context.directory);
  const titleOf = (kind: string) => programme.obligationKinds.find((k) => k.kind === kind)?.title ?? kind;
  const recipient = context.institution(pairing.recipientId);

  const obligations = snapshot.obligations
    .filter(({ obligation }) => obligation.pairingId === pairingId)
    .map(({ obligation, record }) => {
      const asOf = context.recordAsOf(obligation, record);
      return {
        id: obligation.id,
        kind: obligation.kind,
        title: titleOf(obligation.kind),
        year: obligation.year,
        opensOn: obligation.opensOn,
        dueDate: obligation.dueDate,
        effectiveDueDate: obligation.effectiveDueDate,
        state: reportState(obligation, asOf, at),
        timelineState: obligationState(obligation, asOf, at),
        ...(asOf.submittedAt ? { submittedAt: asOf.submittedAt } : {}),
        ...(asOf.review ? { review: asOf.review } : {}),
        ...(asOf.exemptedAt ? { exemptedAt: asOf.exemptedAt } : {}),
      } satisfies DossierObligation;
    })
    .sort((a, b) => a.effectiveDueDate.localeCompare(b.effectiveDueDate) || a.kind.localeCompare(b.kind));

  const submissions = snapshot.submissions
    .filter((s) => s.pairingId === pairingId && new Date(s.receivedAt) <= at)
    .sort(bySubmissionOrder)
    .map((s) => ({
      obligationId: s.obligationId,
      title: titleOf(s.kind),
      year: s.year,
      version: context.versionOf(s),
      receivedAt: s.receivedAt,
      filename: s.filename,
      size: s.size,
      submittedBy: context.nameOf(s.institutionId),
      hasFigures: s.figures !== undefined,
    }));

  const sends = new Map<string, DossierReminder>();
  const reminders = snapshot.reminders
    .filter((r) => r.pairingId === pairingId && new Date(r.sentAt ?? r.claimedAt) <= at)
    .sort(
      (a, b) =>
        a.day.localeCompare(b.day) ||
        a.obligationId.localeCompare(b.obligationId) ||
        a.stage.localeCompare(b.stage) ||
        a.field.localeCompare(b.field) ||
        a.email.localeCompare(b.email),
    );
  for (const r of reminders) {
    const key = `${r.day}#${r.obligationId}#${r.stage}`;
    const send = sends.get(key) ?? {
      obligationId: r.obligationId,
      title: titleOf(r.kind),
      year: r.year,
      stage: r.stage,
      day: r.day,
      recipients: [],
    };
    send.recipients.push({
      institution: context.nameOf(r.institutionId),
      email: r.email,
      field: r.field,
      status: r.status,
      ...(r.reason ? { reason: r.reason } : {}),
    });
    sends.set(key, send);
  }

  const targets = obligations
    .filter((o) => o.kind === ANNUAL_REPORT_KIND && (o.state === 'on-time' || o.state === 'late'))
    .map((o) => {
      const figures = context.figuresOf(o);
      return {
        year: o.year,
        figuresSubmitted: figures !== undefined,
        verdicts: targetVerdicts(programme.targets, pairing.category, o.year, figures, programme),
      };
    })
    .filter((t) => t.verdicts.length > 0);

  return {
    ...heading(snapshot),
    pairing: {
      ...context.parties(pairing),
      recipientPlace: [recipient.place.province, recipient.place.city, recipient.place.county].join(''),
      ...optional('countyGovernment', parties.institutions('county-government')[0]?.name),
      responsibleCommissions: parties.institutions('responsible-city-commission').map((i) => i.name),
      sources: pairing.sources.map((s) => ({
        annex: s.annex,
        ...(s.seq !== undefined ? { seq: s.seq } : {}),
        ...(s.taskLevel ? { taskLevel: s.taskLevel } : {}),
      })),
    },
    obligations,
    submissions,
    reminders: [...sends.values()],
    targets,
  };
}

// ---- 4. agreement form -------------------------------------------------------------------------

export interface FormParty {
  name: string;
  /** Hospitals sign as 支援医院 / 受援医院; other bodies (a city commission, a CDC) as 单位. */
  isHospital: boolean;
}

export interface AgreementFormView {
  programme: ProgrammeHeading;
  documentRefs: { id: string; title: string }[];
  generatedAt: string;
  pairingId: string;
  category: PairingCategory;
  taskLevels: TaskLevel[];
  /** Lead first, then the others in the plan's order. */
  supporters: (FormParty & { lead: boolean })[];
  /** Absent when the seeds name no government for the recipient's county: the form leaves a blank. */
  countyGovernment?: FormParty;
  recipient: FormParty & { place: string };
}

export function agreementFormView(
  snapshot: Pick<ReportSnapshot, 'programme' | 'institutions' | 'pairings' | 'generatedAt'>,
  pairingId: string,
): AgreementFormView {
  const { programme } = snapshot;
  const directory = institutionDirectory(snapshot.institutions);
  const pairing = snapshot.pairings.find((p) => p.id === pairingId);
  if (!pairing) throw new RangeError(`no pairing ${pairingId} in programme ${programme.id}`);
  const parties = partyResolver(programme, pairing, directory);
  const party = (i: Institution): FormParty => ({ name: i.name, isHospital: isHospital(i) });
  const [lead] = parties.institutions('lead-supporter') as [Institution];
  const government = parties.institutions('county-government')[0];
  const recipient = parties.institutions('recipient')[0] as Institution;
  return {
    programme: programmeHeading(programme),
    documentRefs: programme.documentRefs.map((d) => ({ ...d })),
    generatedAt: snapshot.generatedAt.toISOString(),
    pairingId,
    category: pairing.category,
    taskLevels: [...pairing.taskLevels],
    supporters: [
      { ...party(lead), lead: true },
      ...parties.institutions('other-supporters').map((i) => ({ ...party(i), lead: false })),
    ],
    ...(government ? { countyGovernment: party(government) } : {}),
    recipient: {
      ...party(recipient),
      place: [recipient.place.province, recipient.place.city, recipient.place.county].join(''),
    },
  };
}

function isHospital(institution: Institution): boolean {
  return institution.type.endsWith('hospital');
}

// ---- shared ------------------------------------------------------------------------------------

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

function heading(snapshot: ReportSnapshot): ReportHeading {
  return {
    programme: programmeHeading(snapshot.programme),
    at: snapshot.at.toISOString(),
    generatedAt: snapshot.generatedAt.toISOString(),
  };
}

function programmeHeading(programme: Programme): ProgrammeHeading {
  return {
    id: programme.id,
    name: programme.name,
    shortName: programme.shortName,
    province: programme.province,
  };
}

function emptyCounts(): StateCounts {
  return { total: 0, 'on-time': 0, late: 0, missing: 0, pending: 0, exempt: 0 };
}

function sumCounts(list: readonly StateCounts[]): StateCounts {
  const sum = emptyCounts();
  for (const counts of list) {
    sum.total += counts.total;
    for (const state of REPORT_STATES) sum[state] += counts[state];
  }
  return sum;
}

/** Oldest first: by time received, then by version, then by upload id. */
function bySubmissionOrder(a: Submission, b: Submission): number {
  return (
    a.receivedAt.localeCompare(b.receivedAt) ||
    (a.version ?? 0) - (b.version ?? 0) ||
    a.id.localeCompare(b.id)
  );
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

const collator = new Intl.Collator('zh-CN');
const CATEGORY_ORDER: readonly PairingCategory[] = ['general', 'tcm', 'cdc'];

/** Lookups shared by the builders. */
function snapshotContext(snapshot: ReportSnapshot) {
  const { programme, at } = snapshot;
  const directory = institutionDirectory(snapshot.institutions);
  const pairingById = new Map(snapshot.pairings.map((p) => [p.id, p]));
  const institution = (id: string): Institution => {
    const found = directory.byId.get(id);
    if (!found) throw new RangeError(`unknown institution ${id}`);
    return found;
  };
  const nameOf = (id: string) => directory.byId.get(id)?.name ?? id;
  // Uploads received by `at`, per obligation, oldest first.
  const submissionsOf = new Map<string, Submission[]>();
  for (const s of [...snapshot.submissions].sort(bySubmissionOrder)) {
    if (new Date(s.receivedAt) > at) continue;
    submissionsOf.set(s.obligationId, [...(submissionsOf.get(s.obligationId) ?? []), s]);
  }
  /** The latest upload counts (a resubmission replaces the one before). */
  const latestSubmission = (obligationId: string) => submissionsOf.get(obligationId)?.at(-1);
  /** A submission's version: its own, or its place among the obligation's uploads. */
  const versionOf = (s: Submission) =>
    s.version ?? (submissionsOf.get(s.obligationId) ?? []).findIndex((x) => x.id === s.id) + 1;

  /**
   * The record as it stood at `at`: a submission, review or exemption recorded later is left out; if
   * a resubmission came later, the last upload received by `at` counts.
   */
  const recordAsOf = (obligation: Obligation, record: ObligationRecord): ObligationRecord => {
    const asOf: ObligationRecord = { ...record };
    if (asOf.submittedAt && new Date(asOf.submittedAt) > at) {
      const earlier = latestSubmission(obligation.id)?.receivedAt;
      if (earlier) asOf.submittedAt = earlier;
      else delete asOf.submittedAt;
    }
    if (asOf.review && new Date(asOf.review.at) > at) delete asOf.review;
    if (asOf.exemptedAt && new Date(asOf.exemptedAt) > at) delete asOf.exemptedAt;
    return asOf;
  };

  const statusOf = (obligation: Obligation, record: ObligationRecord) => {
    const asOf = recordAsOf(obligation, record);
    const state = reportState(obligation, asOf, at);
    const submitted = state === 'on-time' || state === 'late';
    return {
      state,
      ...(submitted && asOf.submittedAt
        ? { submittedAt: asOf.submittedAt, submittedOn: beijingDate(new Date(asOf.submittedAt)) }
        : {}),
    };
  };

  /** The figures of the latest upload counted for an annual report. */
  const figuresOf = (obligation: { id: string }): AnnualFigures | undefined =>
    latestSubmission(obligation.id)?.figures;

  const parties = (pairing: Pairing): PairingParties => ({
    pairingId: pairing.id,
    recipient: nameOf(pairing.recipientId),
    lead: nameOf(pairing.leadSupporterId),
    otherSupporters: pairing.supporterIds.filter((id) => id !== pairing.leadSupporterId).map(nameOf),
    category: pairing.category,
    taskLevels: [...pairing.taskLevels],
  });

  /**
   * Rows grouped by the recipient's city, then county. Cities of the programme's own province come
   * first, then those of other provinces (Fujian's national tasks in Tibet and Ningxia); each sorted
   * by pinyin, as are counties; within a county hospitals before TCM hospitals before CDCs.
   */
  const groupByPlace = <Row extends PairingParties & { state: ReportState }>(
    rows: readonly { row: Row; pairing: Pairing }[],
  ): CityGroup<Row>[] => {
    const cities = new Map<string, { sort: [number, string, string]; counties: Map<string, Row[]> }>();
    for (const { row, pairing } of rows) {
      const { place } = institution(pairing.recipientId);
      const own = place.province === programme.province;
      const city = own ? (place.city ?? place.province) : `${place.province}${place.city ?? ''}`;
      const entry = cities.get(city) ?? {
        sort: [own ? 0 : 1, place.province, place.city ?? ''] as [number, string, string],
        counties: new Map<string, Row[]>(),
      };
      const county = place.county ?? place.city ?? place.province;
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
      .map(([city, { counties }]) => {
        const groups = [...counties]
          .sort(([a], [b]) => collator.compare(a, b))
          .map(([county, list]) => ({
            county,
            rows: [...list].sort(
              (a, b) =>
                CATEGORY_ORDER.indexOf(a.category) - CATEGORY_ORDER.indexOf(b.category) ||
                collator.compare(a.recipient, b.recipient) ||
                a.pairingId.localeCompare(b.pairingId),
            ),
          }));
        const counts = emptyCounts();
        for (const row of groups.flatMap((g) => g.rows)) {
          counts.total++;
          counts[row.state]++;
        }
        return { city, counties: groups, counts };
      });
  };

  return {
    directory,
    pairingById,
    institution,
    nameOf,
    versionOf,
    recordAsOf,
    statusOf,
    figuresOf,
    parties,
    groupByPlace,
  };
}
