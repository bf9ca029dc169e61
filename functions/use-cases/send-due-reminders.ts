/**
 * The daily tick: sends each reminder due on a Beijing day, exactly once per obligation, stage and
 * address.
 *
 * 1. For each programme, query the due-date index for obligations still awaiting submission whose
 *    due date lies in the window a send on `day` can concern (no Scan), one page of at most
 *    `batchSize` at a time: a page is finished before the next is read, so what the run holds does
 *    not grow with the day. A day with nothing due reads the index and nothing else.
 * 2. For a page's obligations with a send due on `day` (a missed earlier one is caught up), read what
 *    they need in batches: their pairings, the institutions those name and the city commissions and
 *    county governments of their places, and the contacts and address marks of everyone addressed.
 *    Institutions, contacts and marks are kept for the run, so each is read once a tick.
 * 3. Right before the page's messages go out, re-read its obligations and their stages' reminder logs,
 *    consistently and in batches (a submission a moment ago stops its reminder). For each obligation,
 *    send one message to the addresses not yet handled and claim them with one conditional write
 *    right before SES is called; record the outcome (send-once.ts). A rerun, an overlapping tick or
 *    a crash leaves no duplicate. A rerun that finds everything sent reads the page's obligations and
 *    logs, and writes nothing.
 * 4. A rejected address is marked and reported and the rest still go out; a message that fails after
 *    the client's retries is released for the next run and reported. An address a dead run had already
 *    handed to SES is not sent again but reported as unconfirmed, for a person to check in the SES log.
 *
 * With a work queue (`ports.workQueue`, SQS on AWS), step 1 hands each page's due obligations to the
 * queue instead, by identity, and workers run steps 2-4 on each page (remind-due-page.ts): the day's
 * sends spread over as many workers as the SES rate allows, each still exactly once.
 */
import PQueue from 'p-queue';
import type {
  Institution,
  Obligation,
  ObligationKindRule,
  Pairing,
  Place,
  Programme,
} from '../domain/model.ts';
import { type InstitutionDirectory, institutionDirectory } from '../domain/pairings.ts';
import { partyResolver, uniqueInstitutions } from '../domain/parties.ts';
import { addDays } from '../domain/plain-date.ts';
import type { ReminderRecord } from '../domain/records.ts';
import { dueDateWindow, type ReminderSend } from '../domain/reminder-schedule.ts';
import { reminderAudience, reminderView, sendDueOn } from '../domain/reminders.ts';
import { awaitsSubmission } from '../domain/timeline.ts';
import type { WorkingDayCalendar } from '../domain/working-days.ts';
import type {
  DuePage,
  LeaseClock,
  Mailer,
  ReminderRenderer,
  ReminderStore,
  ReminderWorkQueue,
} from './ports.ts';
import { AddressBook, envelopeOf, recordsOf, type SendOnceOutcome, sendOnce } from './send-once.ts';

export interface ReminderOptions {
  /** Obligations processed at once (each is a few DynamoDB calls and one send). */
  concurrency: number;
  /** Obligations read from the due index and worked through together: what a run holds at most. */
  batchSize: number;
  /** How many days back a missed send is still caught up. */
  catchUpDays: number;
  /** How long a claim protects an unfinished send before another run may take it over. */
  claimLeaseMs: number;
}

export const DEFAULT_REMINDER_OPTIONS: ReminderOptions = {
  concurrency: 8,
  batchSize: 200,
  catchUpDays: 6,
  claimLeaseMs: 120_000,
};

export interface ReminderPorts {
  store: ReminderStore;
  mailer: Mailer;
  renderer: ReminderRenderer;
  calendar: WorkingDayCalendar;
  clock: () => Date;
  /** What claims and their leases are timed by (send-once.ts); the wall clock by default. */
  leaseClock?: LeaseClock;
  sender: string;
  /** Identifies this run in its claims. */
  runId: string;
  /**
   * The personal upload links of (obligation, institution) pairs, in the order given, where they can
   * be issued: asked once a page, for the messages with someone left to tell.
   */
  uploadLinks?: (
    requests: readonly { obligation: Obligation; institution: Institution }[],
  ) => Promise<(string | undefined)[]>;
  /** After each obligation; `total` counts the programme's due obligations found so far. */
  onProgress?: (event: { programmeId: string; done: number; total: number }) => void;
  /** Where each page of due obligations goes to be reminded by a worker; reminded inline without. */
  workQueue?: ReminderWorkQueue;
  options?: Partial<ReminderOptions>;
}

export interface SentMessage {
  obligationId: string;
  stage: string;
  messageId: string;
  to: string[];
  cc: string[];
}

export interface TickResult {
  day: string;
  /** Obligations whose due date was in a window. */
  candidates: number;
  /** Obligations with a send due on the day. */
  due: number;
  messages: SentMessage[];
  /** Addresses already handled by an earlier or overlapping run. */
  alreadySent: number;
  rejected: { obligationId: string; stage: string; email: string; reason: string }[];
  suppressed: { obligationId: string; email: string; reason: string }[];
  failed: { obligationId: string; stage: string; error: string }[];
  /** Handed to SES by a run that died before recording the outcome: not repeated, to be checked. */
  unconfirmed: { obligationId: string; stage: string; email: string }[];
  /** Institutions that should have been told but have nobody on the roster. */
  noContacts: { obligationId: string; institution: string }[];
  /** With a work queue: the pages and due obligations handed to workers instead of sent here. */
  enqueued?: { pages: number; obligations: number };
}

/** A result with nothing in it yet, for the Beijing day `day`. */
export function emptyTickResult(day: string): TickResult {
  return {
    day,
    candidates: 0,
    due: 0,
    messages: [],
    alreadySent: 0,
    rejected: [],
    suppressed: [],
    failed: [],
    unconfirmed: [],
    noContacts: [],
  };
}

interface Job {
  programme: Programme;
  rule: ObligationKindRule;
  pairing: Pairing;
  obligation: Obligation;
  send: ReminderSend;
  audience: ReturnType<typeof reminderAudience>;
  parties: ReturnType<typeof partyResolver>;
}

/**
 * What the daily tick's steps share, so each is read once a run: the programmes, and the contacts
 * and address marks of everyone told. Each step reads its own where it is not given.
 */
export interface TickShared {
  programmes?: readonly Programme[];
  addresses?: AddressBook;
}

export async function sendDueReminders(
  ports: ReminderPorts,
  day: string,
  shared: TickShared = {},
): Promise<TickResult> {
  const options = { ...DEFAULT_REMINDER_OPTIONS, ...ports.options };
  const result = emptyTickResult(day);
  if (ports.workQueue) result.enqueued = { pages: 0, obligations: 0 };
  const institutions = new PartyDirectory(ports.store);
  const addresses = shared.addresses ?? new AddressBook(ports.store);

  for (const programme of shared.programmes ?? (await ports.store.listProgrammes())) {
    const window = dueDateWindow(day, programme.reminderStages);
    const progress = { done: 0, total: 0 };
    const pages = ports.store.openObligationsDuePages(
      programme.id,
      window.from,
      addDays(window.to, options.catchUpDays),
      options.batchSize,
    );
    for await (const candidates of pages) {
      result.candidates += candidates.length;
      const due = dueSendsOf(programme, candidates, day, ports.calendar, options);
      result.due += due.length;
      progress.total += due.length;
      if (due.length === 0) continue;
      if (ports.workQueue && result.enqueued) {
        await ports.workQueue.enqueue([duePageOf(programme, day, due)]);
        result.enqueued.pages++;
        result.enqueued.obligations += due.length;
        continue;
      }
      await remindBatch(ports, options, { institutions, addresses }, programme, due, day, result, progress);
    }
  }
  return result;
}

/** An obligation with a send due on the day, and the rule of its kind. */
export interface DueSend {
  obligation: Obligation;
  rule: ObligationKindRule;
  send: ReminderSend;
}

/**
 * The obligations with a send due on `day` (a missed earlier one within the catch-up days included),
 * in the order given; an obligation of a kind the programme no longer lists has none.
 */
export function dueSendsOf(
  programme: Programme,
  candidates: readonly { obligation: Obligation }[],
  day: string,
  calendar: WorkingDayCalendar,
  options: Pick<ReminderOptions, 'catchUpDays'>,
): DueSend[] {
  const rules = new Map(programme.obligationKinds.map((k) => [k.kind, k]));
  return candidates.flatMap(({ obligation }) => {
    const rule = rules.get(obligation.kind);
    const send =
      rule &&
      sendDueOn(day, obligation.effectiveDueDate, programme.reminderStages, calendar, options.catchUpDays);
    return rule && send ? [{ obligation, rule, send }] : [];
  });
}

/** A page of due sends as a worker is handed it: the obligations' identities, nothing read. */
function duePageOf(programme: Programme, day: string, due: readonly DueSend[]): DuePage {
  return {
    programmeId: programme.id,
    day,
    obligations: due.map(({ obligation: o }) => ({ pairingId: o.pairingId, kind: o.kind, year: o.year })),
  };
}

/** What a run reads once and keeps: the institutions and the addresses of everyone it tells. */
export interface RunReads {
  institutions: PartyDirectory;
  addresses: AddressBook;
}

/** A run's reads, empty: each institution and address is read when a page first needs it. */
export function runReadsOf(store: ReminderStore, addresses?: AddressBook): RunReads {
  return { institutions: new PartyDirectory(store), addresses: addresses ?? new AddressBook(store) };
}

/** One page of due obligations: their pairings, parties and addresses read together, then each sent. */
export async function remindBatch(
  ports: ReminderPorts,
  options: ReminderOptions,
  reads: RunReads,
  programme: Programme,
  due: { obligation: Obligation; rule: ObligationKindRule; send: ReminderSend }[],
  day: string,
  result: TickResult,
  progress: { done: number; total: number },
): Promise<void> {
  const pairings = new Map(
    (await ports.store.getPairings(due.map((d) => d.obligation.pairingId))).map((p) => [p.id, p]),
  );
  const directory = await reads.institutions.covering(programme, [...pairings.values()]);
  const jobs: Job[] = [];
  for (const { obligation, rule, send } of due) {
    const pairing = pairings.get(obligation.pairingId);
    if (!pairing) continue;
    try {
      const parties = partyResolver(programme, pairing, directory);
      jobs.push({
        programme,
        rule,
        pairing,
        obligation,
        send,
        audience: reminderAudience(rule, send, parties),
        parties,
      });
    } catch (error) {
      // A pairing naming an institution not on file fails alone, like a store error in its send.
      result.failed.push({ obligationId: obligation.id, stage: send.stage, error: (error as Error).message });
    }
  }
  await reads.addresses.load(jobs.map((j) => j.audience));
  const current = new Map(
    (await ports.store.getObligations(jobs.map((j) => j.obligation))).map((o) => [o.obligation.id, o]),
  );
  const logs = groupBy(
    await ports.store.remindersOfStages(jobs.map((j) => ({ ...j.obligation, stage: j.send.stage }))),
    (r) => r.obligationId,
  );

  const sends: Send[] = [];
  for (const job of jobs) {
    const stored = current.get(job.obligation.id);
    if (!stored || !awaitsSubmission(stored.record)) {
      progress.done++;
      continue;
    }
    const log = (logs.get(job.obligation.id) ?? []).filter((r) => r.stage === job.send.stage);
    sends.push({ job: { ...job, obligation: stored.obligation }, log });
  }
  let links: Map<string, string>;
  try {
    links = await uploadLinksOf(ports, reads.addresses, sends);
  } catch (error) {
    // The page's links could not be read or issued: its messages wait for the next run.
    for (const { job } of sends)
      result.failed.push({
        obligationId: job.obligation.id,
        stage: job.send.stage,
        error: (error as Error).message,
      });
    return;
  }

  const queue = new PQueue({ concurrency: options.concurrency });
  for (const { job, log } of sends) {
    queue.add(async () => {
      try {
        await remindOne(ports, options, directory, reads.addresses, job, log, links, day, result);
      } catch (error) {
        // One obligation failing (a store or network error) is recorded; the others still go out,
        // and its claims are released for the next run.
        result.failed.push({
          obligationId: job.obligation.id,
          stage: job.send.stage,
          error: (error as Error).message,
        });
      }
      progress.done++;
      ports.onProgress?.({ programmeId: programme.id, ...progress });
    });
  }
  await queue.onIdle();
}

/** An obligation of the page with a send due, re-read, and its stage's log as read with the page's. */
interface Send {
  job: Job;
  log: readonly ReminderRecord[];
}

const linkKey = (obligationId: string, institutionId: string) => `${obligationId}|${institutionId}`;

/** The institutions an obligation's reminder asks to upload: its submitting parties. */
const submittersOf = (job: Job) =>
  uniqueInstitutions(job.rule.submittedBy.flatMap((party) => job.parties.institutions(party)));

/**
 * The upload links the page's messages carry, read (and the missing ones issued) in one go: only for
 * the messages with an address not yet in their log, so a rerun that sends nothing asks for none.
 */
async function uploadLinksOf(
  ports: ReminderPorts,
  addresses: AddressBook,
  sends: readonly Send[],
): Promise<Map<string, string>> {
  if (!ports.uploadLinks) return new Map();
  const requests = sends
    .filter(({ job, log }) => {
      const handled = new Set(log.map((r) => r.email.toLowerCase()));
      return addresses.reachable(job.audience).reachable.some((a) => !handled.has(a.email));
    })
    .flatMap(({ job }) =>
      submittersOf(job).map((institution) => ({ obligation: job.obligation, institution })),
    );
  const urls = await ports.uploadLinks(requests);
  const links = new Map<string, string>();
  requests.forEach(({ obligation, institution }, i) => {
    const url = urls[i];
    if (url) links.set(linkKey(obligation.id, institution.id), url);
  });
  return links;
}

/**
 * The institutions the run's pairings name, read as pages of them come and kept for the run (a
 * province's commission and a city's commission are named by many pairings): by id, then the city
 * commissions and county governments of the lead supporters' and recipients' places, which
 * domain/parties.ts looks up by place. Bounded by the institutions on file, not by the day.
 */
class PartyDirectory {
  private readonly byId = new Map<string, Institution>();
  private readonly placesRead = new Set<string>();

  constructor(private readonly store: Pick<ReminderStore, 'getInstitutions' | 'authoritiesOf'>) {}

  async covering(programme: Programme, pairings: readonly Pairing[]): Promise<InstitutionDirectory> {
    await this.read([
      programme.provincialCommissionId,
      ...pairings.flatMap((p) => [p.recipientId, ...p.supporterIds]),
    ]);
    const places = new Map<string, Place>();
    for (const pairing of pairings) {
      for (const id of [pairing.leadSupporterId, pairing.recipientId]) {
        const place = this.byId.get(id)?.place;
        const key = place && `${place.province}/${place.city ?? ''}/${place.county ?? ''}`;
        if (place && key && !this.placesRead.has(key)) places.set(key, place);
      }
    }
    if (places.size > 0) {
      for (const institution of await this.store.authoritiesOf([...places.values()]))
        this.byId.set(institution.id, institution);
      for (const key of places.keys()) this.placesRead.add(key);
    }
    // In id order, as listed: of two commissions on file for one city the same one counts.
    return institutionDirectory([...this.byId.values()].sort((a, b) => (a.id < b.id ? -1 : 1)));
  }

  private async read(ids: readonly string[]): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => !this.byId.has(id));
    if (missing.length === 0) return;
    for (const institution of await this.store.getInstitutions(missing))
      this.byId.set(institution.id, institution);
  }
}

async function remindOne(
  ports: ReminderPorts,
  options: ReminderOptions,
  directory: InstitutionDirectory,
  addresses: AddressBook,
  job: Job,
  log: readonly ReminderRecord[],
  links: ReadonlyMap<string, string>,
  day: string,
  result: TickResult,
): Promise<void> {
  const { programme, rule, pairing, obligation, send, audience } = job;

  const { reachable, suppressed, withoutContacts } = addresses.reachable(audience);
  for (const institution of withoutContacts) {
    result.noContacts.push({ obligationId: obligation.id, institution: institution.name });
  }
  for (const { email, reason } of suppressed) {
    result.suppressed.push({ obligationId: obligation.id, email, reason });
  }
  const base = {
    programmeId: programme.id,
    pairingId: pairing.id,
    obligationId: obligation.id,
    kind: obligation.kind,
    year: obligation.year,
    stage: send.stage,
    day,
    runId: ports.runId,
  };
  const records = recordsOf(base, reachable, ports.clock());
  if (records.length === 0) return;

  const submitters = submittersOf(job);
  const render = (claimed: ReminderRecord[]) => {
    const uploadLinks = submitters.map((institution) => {
      const url = links.get(linkKey(obligation.id, institution.id));
      return { institution: institution.name, ...(url ? { url } : {}) };
    });
    const view = reminderView({
      programme,
      pairing,
      rule,
      obligation,
      send,
      day,
      audience,
      submitters,
      nameOf: (id) => directory.byId.get(id)?.name ?? id,
      uploadLinks,
    });
    return ports.renderer.render(view, envelopeOf(ports.sender, claimed));
  };
  const outcome = await sendOnce(
    {
      store: ports.store,
      mailer: ports.mailer,
      clock: ports.clock,
      claimLeaseMs: options.claimLeaseMs,
      leaseClock: ports.leaseClock,
    },
    records,
    render,
    log,
  );
  recordSendOutcome(result, addresses, outcome, obligation.id, send.stage);
}

/**
 * What one exactly-once send did, into the tick's result under its obligation (or forwarding) and
 * stage; a refused address is marked in the run's address book so later messages leave it out.
 */
export function recordSendOutcome(
  result: TickResult,
  addresses: AddressBook,
  outcome: SendOnceOutcome,
  obligationId: string,
  stage: string,
): void {
  result.alreadySent += outcome.alreadySent;
  for (const m of outcome.sent) result.messages.push({ obligationId, stage, ...m });
  for (const r of outcome.rejected) {
    addresses.markRejected(r.email, r.reason);
    result.rejected.push({ obligationId, stage, ...r });
  }
  for (const error of outcome.failed) result.failed.push({ obligationId, stage, error });
  for (const email of outcome.unconfirmed) result.unconfirmed.push({ obligationId, stage, email });
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
  return groups;
}
