/**
 * The daily tick: sends each reminder due on a Beijing day, exactly once per obligation, stage and
 * address.
 *
 * 1. For each programme, query the due-date index for obligations still awaiting submission whose
 *    due date lies in the window a send on `day` can concern (no Scan).
 * 2. For each, find the send due on `day` (a missed earlier one is caught up), re-read the obligation
 *    (consistent read: a submission a moment ago stops it) and resolve who receives it.
 * 3. Claim each address with a conditional write before sending; send one message to the claimed
 *    addresses; record the outcome. A rerun, an overlapping tick or a crash leaves no duplicate: a
 *    claim held by a run that died is taken over once its lease has passed.
 * 4. A rejected address is marked and reported and the rest still go out; a message that fails after
 *    the client's retries is released for the next run and reported. An address a dead run had already
 *    handed to SES is not sent again but reported as unconfirmed, for a person to check in the SES log.
 */
import PQueue from 'p-queue';
import type { Institution, Obligation, ObligationKindRule, Pairing, Programme } from '../domain/model.ts';
import { institutionDirectory } from '../domain/pairings.ts';
import { partyResolver, uniqueInstitutions } from '../domain/parties.ts';
import { addDays } from '../domain/plain-date.ts';
import type { ReminderRecord } from '../domain/records.ts';
import { dueDateWindow, type ReminderSend } from '../domain/reminder-schedule.ts';
import { reminderAudience, reminderView, sendDueOn } from '../domain/reminders.ts';
import { awaitsSubmission } from '../domain/timeline.ts';
import type { WorkingDayCalendar } from '../domain/working-days.ts';
import type { LeaseClock, Mailer, ReminderRenderer, ReminderStore } from './ports.ts';
import { envelopeOf, reachableAddressees, recordsOf, sendOnce } from './send-once.ts';

export interface ReminderOptions {
  /** Obligations processed at once (each is a few DynamoDB calls and one send). */
  concurrency: number;
  /** How many days back a missed send is still caught up. */
  catchUpDays: number;
  /** How long a claim protects an unfinished send before another run may take it over. */
  claimLeaseMs: number;
}

export const DEFAULT_REMINDER_OPTIONS: ReminderOptions = {
  concurrency: 8,
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
  /** A personal upload link for an institution, where one can be issued. */
  uploadLink?: (obligation: Obligation, institution: Institution) => Promise<string | undefined>;
  onProgress?: (event: { programmeId: string; done: number; total: number }) => void;
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
}

interface Job {
  programme: Programme;
  rule: ObligationKindRule;
  pairing: Pairing;
  obligation: Obligation;
  send: ReminderSend;
}

export async function sendDueReminders(ports: ReminderPorts, day: string): Promise<TickResult> {
  const options = { ...DEFAULT_REMINDER_OPTIONS, ...ports.options };
  const result: TickResult = {
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
  const [programmes, institutions] = await Promise.all([
    ports.store.listProgrammes(),
    ports.store.listInstitutions(),
  ]);
  const directory = institutionDirectory(institutions);

  for (const programme of programmes) {
    const window = dueDateWindow(day, programme.reminderStages);
    const candidates = await ports.store.openObligationsDueBetween(
      programme.id,
      window.from,
      addDays(window.to, options.catchUpDays),
    );
    result.candidates += candidates.length;
    const rules = new Map(programme.obligationKinds.map((k) => [k.kind, k]));
    const due = candidates.flatMap(({ obligation }) => {
      const rule = rules.get(obligation.kind);
      const send =
        rule &&
        sendDueOn(
          day,
          obligation.effectiveDueDate,
          programme.reminderStages,
          ports.calendar,
          options.catchUpDays,
        );
      return rule && send ? [{ obligation, rule, send }] : [];
    });
    result.due += due.length;
    if (due.length === 0) continue;
    const pairings = new Map(
      (await ports.store.getPairings(due.map((d) => d.obligation.pairingId))).map((p) => [p.id, p]),
    );

    const queue = new PQueue({ concurrency: options.concurrency });
    let done = 0;
    for (const { obligation, rule, send } of due) {
      const pairing = pairings.get(obligation.pairingId);
      if (!pairing) continue;
      queue.add(async () => {
        try {
          await remindOne(
            ports,
            options,
            directory,
            { programme, rule, pairing, obligation, send },
            day,
            result,
          );
        } catch (error) {
          // One obligation failing (a store or network error) is recorded; the others still go out,
          // and its unsent claims are taken over by the next run once their lease has passed.
          result.failed.push({
            obligationId: obligation.id,
            stage: send.stage,
            error: (error as Error).message,
          });
        }
        ports.onProgress?.({ programmeId: programme.id, done: ++done, total: due.length });
      });
    }
    await queue.onIdle();
  }
  return result;
}

async function remindOne(
  ports: ReminderPorts,
  options: ReminderOptions,
  directory: ReturnType<typeof institutionDirectory>,
  job: Job,
  day: string,
  result: TickResult,
): Promise<void> {
  const { programme, rule, pairing, obligation, send } = job;
  const current = await ports.store.getObligation(pairing.id, obligation.kind, obligation.year);
  if (!current || !awaitsSubmission(current.record)) return;

  const parties = partyResolver(programme, pairing, directory);
  const audience = reminderAudience(rule, send, parties);
  const { reachable, suppressed, withoutContacts } = await reachableAddressees(ports.store, audience);
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

  const submitters = uniqueInstitutions(rule.submittedBy.flatMap((party) => parties.institutions(party)));
  const render = async (claimed: ReminderRecord[]) => {
    const uploadLinks = await Promise.all(
      submitters.map(async (institution) => {
        const url = await ports.uploadLink?.(obligation, institution);
        return { institution: institution.name, ...(url ? { url } : {}) };
      }),
    );
    const view = reminderView({
      programme,
      pairing,
      rule,
      obligation: current.obligation,
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
  );
  result.alreadySent += outcome.alreadySent;
  for (const m of outcome.sent)
    result.messages.push({ obligationId: obligation.id, stage: send.stage, ...m });
  for (const r of outcome.rejected)
    result.rejected.push({ obligationId: obligation.id, stage: send.stage, ...r });
  for (const error of outcome.failed)
    result.failed.push({ obligationId: obligation.id, stage: send.stage, error });
  for (const email of outcome.unconfirmed)
    result.unconfirmed.push({ obligationId: obligation.id, stage: send.stage, email });
}
