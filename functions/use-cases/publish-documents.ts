/**
 * What the daily tick publishes for commission staff, besides reminders.
 *
 * 1. The day after a due date (28 Feb, 10 Dec): the programme's status document as of that deadline
 *    (agreement status; annual summary of that year), stored, and a download link emailed to the
 *    provincial commission with the responsible city commissions in copy.
 * 2. On the first working day of each week while a deadline is open: a digest to every city
 *    commission of its pairings' outstanding obligations, and a province-wide one to the provincial
 *    commission, each with a link to the current status PDF.
 * Nothing is mailed on a non-working day (official PRC calendar, 调休 included): what falls due on one
 * goes out on the next working day. Both go out exactly once per document (its deadline) or per
 * commission and week (its Monday), never keyed by the day they happen to be sent (send-once.ts).
 */
import { createHash } from 'node:crypto';
import labels from '../../templates/labels.zh.json' with { type: 'json' };
import states from '../../templates/states.zh.json' with { type: 'json' };

import type { DigestView } from '../domain/email.ts';
import type {
  Institution,
  Obligation,
  ObligationRecord,
  ObligationState,
  Pairing,
  PlainDate,
  Programme,
} from '../domain/model.ts';
import { institutionDirectory } from '../domain/pairings.ts';
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
import type { DocumentRecord, ReminderRecord } from '../domain/records.ts';
import { urgencyZh } from '../domain/reminders.ts';
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
  const [programmes, institutions] = await Promise.all([
    ports.store.listProgrammes(),
    ports.store.listInstitutions(),
  ]);
  const directory = institutionDirectory(institutions);
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

    const pairings = await ports.store.listPairings(programme.id);
    const responsible = (pairing: Pairing) =>
      partyResolver(programme, pairing, directory).institutions('responsible-city-commission');
    const provincial = directory.byId.get(programme.provincialCommissionId) as Institution;
    const cityCommissions = uniqueById(pairings.flatMap(responsible)).filter((c) => c.id !== provincial.id);

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
      const outstanding = obligations.filter(({ obligation, record }) => {
        const state = obligationState(obligation, record, at);
        return state === 'open' || state === 'overdue' || state === 'returned';
      });
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
      const pairingById = new Map(pairings.map((p) => [p.id, p]));
      for (const commission of [provincial, ...cityCommissions]) {
        const mine = outstanding.filter(({ obligation }) => {
          const pairing = pairingById.get(obligation.pairingId);
          return (
            pairing &&
            (commission.id === provincial.id || responsible(pairing).some((c) => c.id === commission.id))
          );
        });
        if (mine.length === 0) continue;
        await sendDigest(
          ports,
          programme,
          commission,
          mine,
          pairingById,
          directory.byId,
          day,
          digestWeek,
          statusLink,
          result,
        );
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
  commission: Institution,
  items: { obligation: Obligation; record: ObligationRecord }[],
  pairings: Map<string, Pairing>,
  institutions: Map<string, Institution>,
  day: string,
  week: PlainDate,
  statusDocument: { title: string; url: string },
  result: PublishResult,
): Promise<void> {
  const nameOf = (id: string) => institutions.get(id)?.name ?? id;
  const at = startOfBeijingDay(day);
  const titleOf = new Map(programme.obligationKinds.map((k) => [k.kind, k.title]));
  const rows = items
    .map(({ obligation, record }) => {
      const pairing = pairings.get(obligation.pairingId) as Pairing;
      const state = obligationState(obligation, record, at);
      return {
        recipient: nameOf(pairing.recipientId),
        lead: nameOf(pairing.leadSupporterId),
        title: titleOf.get(obligation.kind) ?? obligation.kind,
        year: obligation.year,
        dueDateZh: dateZh(obligation.effectiveDueDate),
        stateZh: STATE_ZH[state] ?? state,
        urgencyZh: urgencyZh(daysBetween(day, obligation.effectiveDueDate)),
        overdue: state === 'overdue',
        due: obligation.effectiveDueDate,
      };
    })
    .sort((a, b) => a.due.localeCompare(b.due) || a.recipient.localeCompare(b.recipient, 'zh'));
  const view: DigestView = {
    programme: { id: programme.id, name: programme.name },
    commission: commission.name,
    weekOf: fill(labels.staffMail.weekOf, { date: dateZh(day), weekday: weekdayZh(day) }),
    items: rows.map(({ overdue: _o, due: _d, ...row }) => row),
    overdueCount: rows.filter((r) => r.overdue).length,
    openCount: rows.filter((r) => !r.overdue).length,
    statusDocument,
  };
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
