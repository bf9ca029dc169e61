/**
 * What the daily tick publishes for commission staff, besides reminders.
 *
 * 1. The day after a due date (28 Feb, 10 Dec): the programme's status document as of that deadline
 *    (agreement status; annual summary of that year), stored, and a download link emailed to the
 *    provincial commission with the responsible city commissions in copy.
 * 2. On the first working day of each week while a deadline is open: a digest to every city
 *    commission listing its pairings' outstanding obligations, and one to the provincial commission
 *    summarising them by city, each with a link to the current status PDF (the full list). The
 *    outstanding obligations are grouped by commission in one pass, each pairing's parties resolved
 *    once, so a digest costs its own rows, not the province's.
 * Nothing is mailed on a non-working day (official PRC calendar, 调休 included): what falls due on one
 * goes out on the next working day. Both go out exactly once per document (its deadline) or per
 * commission and week (its Monday), never keyed by the day they happen to be sent (send-once.ts).
 */
import { createHash } from 'node:crypto';
import labels from '../../templates/labels.zh.json' with { type: 'json' };
import states from '../../templates/states.zh.json' with { type: 'json' };

import type { DigestCityRow, DigestView } from '../domain/email.ts';
import type { Institution, ObligationState, Pairing, PlainDate, Programme } from '../domain/model.ts';
import { type InstitutionDirectory, institutionDirectory } from '../domain/pairings.ts';
import { partyResolver } from '../domain/parties.ts';
import {
  addDays,
  beijingDateTime,
  dateInYear,
  daysBetween,
  startOfBeijingDay,
  weekday,
  weekdayZh,
} from '../domain/plain-date.ts';
import type { DocumentRecord, ObligationWithRecord, ReminderRecord } from '../domain/records.ts';
import { urgencyZh } from '../domain/reminders.ts';
import { documentCityOf } from '../domain/reports/snapshot.ts';
import { obligationState } from '../domain/timeline.ts';
import { dateZh, fill } from '../domain/wording.ts';
import { type WorkingDayCalendar, workingDayOnOrAfter } from '../domain/working-days.ts';
import {
  downloadLink,
  generateDocument,
  type RenderingDocumentPorts,
  statusDocumentRequest,
} from './documents.ts';
import type { LeaseClock, Mailer, PublishStore, StaffMailRenderer } from './ports.ts';
import { envelopeOf, reachableAddressees, recordsOf, sendOnce } from './send-once.ts';

export interface PublishPorts {
  store: PublishStore;
  documents: RenderingDocumentPorts;
  mailer: Mailer;
  staffMail: StaffMailRenderer;
  sender: string;
  clock: () => Date;
  runId: string;
  claimLeaseMs: number;
  /** What claims and their leases are timed by (send-once.ts); the wall clock by default. */
  leaseClock?: LeaseClock;
  calendar: WorkingDayCalendar;
}

export interface PublishResult {
  documents: DocumentRecord[];
  /** Messages sent: document notices and digests. */
  messages: { kind: 'document' | 'digest'; trace: string; to: string[]; cc: string[] }[];
  failed: string[];
  /** Handed to SES by a run that died before recording the outcome: not repeated, to be checked. */
  unconfirmed: { kind: 'document' | 'digest'; trace: string; email: string }[];
  /** Left out: the address was refused by SES, bounced or complained of earlier. */
  suppressed: { kind: 'document' | 'digest'; trace: string; email: string; reason: string }[];
}

/** The digest lists what is outstanding, for staff: the states it can show, in staff's words. */
const STATE_ZH: Partial<Record<ObligationState, string>> = states.digest;

export async function publishDocuments(ports: PublishPorts, day: string): Promise<PublishResult> {
  const result: PublishResult = {
    documents: [],
    messages: [],
    failed: [],
    unconfirmed: [],
    suppressed: [],
  };
  const programmes = await ports.store.listProgrammes();
  // The institutions are read only on a day with something to publish: a quiet day reads nothing
  // beyond the programmes, whatever the size of the plans.
  let loaded: InstitutionDirectory | undefined;
  const directoryOf = async () => {
    loaded ??= institutionDirectory(await ports.store.listInstitutions());
    return loaded;
  };
  const digestWeek = digestWeekDueOn(ports.calendar, day);
  for (const programme of programmes) {
    // The status documents of a deadline go out on the first working day after it, as of the deadline:
    // nothing is mailed on a non-working day (a due date on a Saturday is published on Monday).
    const dueYesterday = programme.obligationKinds.flatMap((rule) =>
      rule.years
        .filter((year) => workingDayOnOrAfter(ports.calendar, addDays(dateInYear(year, rule.due), 1)) === day)
        .map((year) => ({ rule, year, deadline: startOfBeijingDay(addDays(dateInYear(year, rule.due), 1)) })),
    );
    const openDeadline = programme.obligationKinds.some((rule) =>
      rule.years.some((year) => {
        const last = Math.max(0, ...programme.reminderStages);
        return dateInYear(year, rule.opens) <= day && day <= addDays(dateInYear(year, rule.due), last);
      }),
    );
    if (dueYesterday.length === 0 && !(digestWeek && openDeadline)) continue;
    const directory = await directoryOf();

    const pairings = await ports.store.listPairings(programme.id);
    const responsible = responsibleCommissions(programme, pairings, directory);
    const provincial = directory.byId.get(programme.provincialCommissionId) as Institution;
    const cityCommissions = uniqueById([...responsible.values()].flat()).filter(
      (c) => c.id !== provincial.id,
    );

    for (const { rule, year, deadline } of dueYesterday) {
      const document = await generateDocument(
        ports.documents,
        statusDocumentRequest(programme.id, rule.kind, year, deadline, ports.clock()),
      );
      result.documents.push(document);
      await announce(ports, programme, document, [provincial], cityCommissions, year, day, result);
    }

    if (digestWeek && openDeadline) {
      const obligations = await ports.store.listObligations(programme.id);
      const at = startOfBeijingDay(day);
      const outstanding = outstandingAt(obligations, at);
      if (outstanding.length === 0) continue;
      const current = outstanding.reduce((a, b) =>
        a.obligation.effectiveDueDate <= b.obligation.effectiveDueDate ? a : b,
      );
      const { kind, year } = current.obligation;
      const statusDocument = await generateDocument(
        ports.documents,
        statusDocumentRequest(programme.id, kind, year, at, ports.clock()),
      );
      result.documents.push(statusDocument);
      const statusLink = {
        title: statusDocument.title,
        url: await downloadLink(ports.documents, statusDocument),
      };
      for (const digest of digestsOf(
        programme,
        pairings,
        outstanding,
        directory,
        responsible,
        day,
        digestWeek,
      )) {
        await sendDigest(ports, programme, digest, digestWeek, statusLink, day, result);
      }
    }
  }
  return result;
}

/** Monday, or the first working day after it when Monday is a holiday. */
export function isFirstWorkingDayOfWeek(calendar: WorkingDayCalendar, day: string): boolean {
  return digestWeekDueOn(calendar, day) !== undefined;
}

/**
 * The week (its Monday) whose digest goes out on `day`: the week's first working day. A digest due on
 * a Monday that is off goes out on the week's next working day under the same week: Monday 3 October
 * 2022 (国庆) → Saturday 8 October, an adjusted working day (调休). A week without a working day
 * (春节, 31 January–6 February 2022) has no digest of its own: the next week's, on its Monday, lists
 * what is outstanding then, and two digests on one day would say the same.
 */
export function digestWeekDueOn(calendar: WorkingDayCalendar, day: PlainDate): PlainDate | undefined {
  if (!calendar.isWorkingDay(day)) return undefined;
  const monday = addDays(day, -((weekday(day) + 6) % 7));
  for (let d = monday; d < day; d = addDays(d, 1)) if (calendar.isWorkingDay(d)) return undefined;
  return monday;
}

async function announce(
  ports: PublishPorts,
  programme: Programme,
  document: DocumentRecord,
  to: Institution[],
  cc: Institution[],
  year: number,
  day: string,
  result: PublishResult,
): Promise<void> {
  const url = await downloadLink(ports.documents, document);
  const expires = new Date(ports.clock().getTime() + ports.documents.settings.downloadLinkDays * 86_400_000);
  const { records, suppressed } = await recordsFor(
    ports,
    programme,
    'document',
    year,
    `document-${document.id}`,
    day,
    to,
    cc,
  );
  const view = {
    programme: { id: programme.id, name: programme.name },
    title: document.title,
    asOf: fill(labels.staffMail.asOf, { time: beijingDateTime(new Date(document.asOf)) }),
    generatedAt: beijingDateTime(new Date(document.generatedAt)),
    url,
    linkValidUntil: beijingDateTime(expires),
    highlights: [],
  };
  const outcome = await sendOnce(ports, records, (claimed) =>
    ports.staffMail.document(
      view,
      envelopeOf(ports.sender, claimed),
      `${programme.id}#document#${document.id}`,
    ),
  );
  for (const sent of outcome.sent)
    result.messages.push({ kind: 'document', trace: document.id, to: sent.to, cc: sent.cc });
  result.failed.push(...outcome.failed);
  for (const email of outcome.unconfirmed)
    result.unconfirmed.push({ kind: 'document', trace: document.id, email });
  for (const skipped of suppressed)
    result.suppressed.push({ kind: 'document', trace: document.id, ...skipped });
}

async function sendDigest(
  ports: PublishPorts,
  programme: Programme,
  { commission, view: content }: CommissionDigest,
  week: PlainDate,
  statusDocument: { title: string; url: string },
  day: string,
  result: PublishResult,
): Promise<void> {
  const view: DigestView = { ...content, statusDocument };
  // The week is the digest's identity, whichever of its days it goes out on.
  const year = Number(week.slice(0, 4));
  const { records, suppressed } = await recordsFor(
    ports,
    programme,
    'digest',
    year,
    `digest-${week}-${commission.id}`,
    day,
    [commission],
    [],
  );
  const trace = `${programme.id}#digest#${week}`;
  const outcome = await sendOnce(ports, records, (claimed) =>
    ports.staffMail.digest(view, envelopeOf(ports.sender, claimed), trace),
  );
  const digestTrace = `${week} ${commission.id}`;
  for (const sent of outcome.sent)
    result.messages.push({ kind: 'digest', trace: digestTrace, to: sent.to, cc: sent.cc });
  result.failed.push(...outcome.failed);
  for (const email of outcome.unconfirmed)
    result.unconfirmed.push({ kind: 'digest', trace: digestTrace, email });
  for (const skipped of suppressed)
    result.suppressed.push({ kind: 'digest', trace: digestTrace, ...skipped });
}

/** What a digest counts as outstanding at `at`: not yet submitted (or returned), open or past due. */
export function outstandingAt<T extends ObligationWithRecord>(obligations: readonly T[], at: Date): T[] {
  return obligations.filter(({ obligation, record }) => {
    const state = obligationState(obligation, record, at);
    return state === 'open' || state === 'overdue' || state === 'returned';
  });
}

/**
 * A city commission's digest lists its own rows up to this many; beyond, a list is no longer read,
 * and it summarises by city as the province's does, the status document holding the full list.
 */
export const DIGEST_ROW_CAP = 200;

/** Each pairing's responsible commissions (Fujian §三(一), Jiangsu §七(一)), its parties resolved once. */
export function responsibleCommissions(
  programme: Programme,
  pairings: readonly Pairing[],
  directory: InstitutionDirectory,
): Map<string, Institution[]> {
  return new Map(
    pairings.map((pairing) => [
      pairing.id,
      partyResolver(programme, pairing, directory).institutions('responsible-city-commission'),
    ]),
  );
}

export interface CommissionDigest {
  commission: Institution;
  view: Omit<DigestView, 'statusDocument'>;
}

/** One outstanding obligation as the digests show it, worked out once for all the digests it is in. */
interface DigestEntry {
  row: DigestView['items'][number];
  city: string;
  due: PlainDate;
  overdue: boolean;
  dueThisWeek: boolean;
}

/**
 * The week's digests of a programme, provincial commission first, then its city commissions (those
 * with nothing outstanding get none). One pass over the outstanding obligations files each under the
 * provincial commission and its responsible city commissions; the province's digest and any city
 * commission's with more than DIGEST_ROW_CAP rows summarise by the recipient's city.
 */
export function digestsOf(
  programme: Programme,
  pairings: readonly Pairing[],
  outstanding: readonly ObligationWithRecord[],
  directory: InstitutionDirectory,
  responsible: ReadonlyMap<string, readonly Institution[]>,
  day: PlainDate,
  week: PlainDate,
): CommissionDigest[] {
  const provincial = directory.byId.get(programme.provincialCommissionId) as Institution;
  const pairingById = new Map(pairings.map((p) => [p.id, p]));
  const nameOf = (id: string) => directory.byId.get(id)?.name ?? id;
  const titleOf = new Map(programme.obligationKinds.map((k) => [k.kind, k.title]));
  const at = startOfBeijingDay(day);
  const sunday = addDays(week, 6);

  const filed = new Map<string, { commission: Institution; entries: DigestEntry[] }>([
    [provincial.id, { commission: provincial, entries: [] }],
  ]);
  for (const { obligation, record } of outstanding) {
    const pairing = pairingById.get(obligation.pairingId);
    if (!pairing) continue;
    const recipient = directory.byId.get(pairing.recipientId);
    const state = obligationState(obligation, record, at);
    const overdue = state === 'overdue';
    const entry: DigestEntry = {
      row: {
        recipient: recipient?.name ?? pairing.recipientId,
        lead: nameOf(pairing.leadSupporterId),
        title: titleOf.get(obligation.kind) ?? obligation.kind,
        year: obligation.year,
        dueDateZh: dateZh(obligation.effectiveDueDate),
        stateZh: STATE_ZH[state] ?? state,
        urgencyZh: urgencyZh(daysBetween(day, obligation.effectiveDueDate)),
      },
      city: recipient ? documentCityOf(programme, recipient.place) : pairing.recipientId,
      due: obligation.effectiveDueDate,
      overdue,
      dueThisWeek: !overdue && obligation.effectiveDueDate <= sunday,
    };
    for (const commission of [provincial, ...(responsible.get(pairing.id) ?? [])]) {
      const file = filed.get(commission.id) ?? { commission, entries: [] };
      // A commission named twice for one pairing (Jiangsu's paired cities in one city) lists it once.
      if (file.entries.at(-1) !== entry) file.entries.push(entry);
      filed.set(commission.id, file);
    }
  }
  return [...filed.values()]
    .filter(({ entries }) => entries.length > 0)
    .map(({ commission, entries }) => ({
      commission,
      view: digestView(
        programme,
        commission,
        entries,
        day,
        commission.id === provincial.id || entries.length > DIGEST_ROW_CAP,
      ),
    }));
}

function digestView(
  programme: Programme,
  commission: Institution,
  entries: readonly DigestEntry[],
  day: PlainDate,
  byCity: boolean,
): Omit<DigestView, 'statusDocument'> {
  const overdueCount = entries.filter((e) => e.overdue).length;
  return {
    programme: { id: programme.id, name: programme.name },
    commission: commission.name,
    weekOf: fill(labels.staffMail.weekOf, { date: dateZh(day), weekday: weekdayZh(day) }),
    items: byCity
      ? []
      : [...entries]
          .sort((a, b) => a.due.localeCompare(b.due) || a.row.recipient.localeCompare(b.row.recipient, 'zh'))
          .map((e) => e.row),
    cities: byCity ? cityRows(entries) : [],
    outstandingCount: entries.length,
    overdueCount,
    openCount: entries.length - overdueCount,
    dueThisWeekCount: entries.filter((e) => e.dueThisWeek).length,
  };
}

/** The most overdue cities first: the digest asks staff to chase them (督促落实). */
function cityRows(entries: readonly DigestEntry[]): DigestCityRow[] {
  const cities = new Map<string, DigestCityRow>();
  for (const e of entries) {
    const row = cities.get(e.city) ?? { city: e.city, outstanding: 0, overdue: 0, open: 0, dueThisWeek: 0 };
    row.outstanding += 1;
    if (e.overdue) row.overdue += 1;
    else row.open += 1;
    if (e.dueThisWeek) row.dueThisWeek += 1;
    cities.set(e.city, row);
  }
  return [...cities.values()].sort(
    (a, b) => b.overdue - a.overdue || b.outstanding - a.outstanding || collator.compare(a.city, b.city),
  );
}

const collator = new Intl.Collator('zh-CN');

/**
 * Exactly-once records for programme-wide mail: kept in the programme's own partition (PAIR#<programme>,
 * which no pairing id can equal: pairing ids are `<programme>.<recipient>`).
 */
async function recordsFor(
  ports: PublishPorts,
  programme: Programme,
  kind: string,
  year: number,
  stage: string,
  day: string,
  to: Institution[],
  cc: Institution[],
): Promise<{ records: ReminderRecord[]; suppressed: { email: string; reason: string }[] }> {
  const { reachable, suppressed } = await reachableAddressees(ports.store, { to, cc });
  const records = recordsOf(
    {
      programmeId: programme.id,
      pairingId: programme.id,
      obligationId: `${programme.id}#${kind}#${shortHash(stage)}`,
      kind,
      year,
      stage,
      day,
      runId: ports.runId,
    },
    reachable,
    ports.clock(),
  );
  return { records, suppressed };
}

function uniqueById(list: readonly Institution[]): Institution[] {
  return [...new Map(list.map((i) => [i.id, i])).values()];
}

function shortHash(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 8);
}
