/**
 * The daily tick's reminders of the city commissions' own deliverables (Fujian §三(一)-(二)): each
 * reminder due on a Beijing day, exactly once per forwarding, stage and address.
 *
 * 1. For each programme, query the forwardings still awaiting whose due date lies in the window a
 *    send on `day` can concern (the same window and catch-up as the pairings' reminders). A day with
 *    nothing due reads that index and nothing else; otherwise the pairings reported on, the
 *    institutions the messages name and the commissions' contacts are read in batches.
 * 2. For each, find the send due on `day` on the programme's stages, re-read the forwarding
 *    (consistent read: a commission that forwarded a moment ago is not reminded) and resolve who
 *    receives it: the commission, with the provincial commission in copy once the date has passed.
 * 3. Count where the commission's pairings stand (accepted, awaiting review, outstanding) and send one
 *    message through send-once.ts, under the commission's collection in the reminder log.
 */
import PQueue from 'p-queue';
import {
  forwardingProgress,
  forwardingReminderAudience,
  forwardingReminderView,
} from '../domain/forwarding-reminders.ts';
import type { Forwarding, ForwardingRule, Pairing, Programme } from '../domain/model.ts';
import { type InstitutionDirectory, institutionDirectory } from '../domain/pairings.ts';
import { addDays } from '../domain/plain-date.ts';
import type { ObligationWithRecord, ReminderRecord } from '../domain/records.ts';
import { dueDateWindow } from '../domain/reminder-schedule.ts';
import { sendDueOn } from '../domain/reminders.ts';
import { collectionId } from '../domain/reporting-chain.ts';
import { awaitsSubmission } from '../domain/timeline.ts';
import type { WorkingDayCalendar } from '../domain/working-days.ts';
import type { ForwardingReminderRenderer, ForwardingReminderStore, LeaseClock, Mailer } from './ports.ts';
import {
  DEFAULT_REMINDER_OPTIONS,
  type ReminderOptions,
  recordSendOutcome,
  type TickResult,
  type TickShared,
} from './send-due-reminders.ts';
import { AddressBook, envelopeOf, recordsOf, sendOnce } from './send-once.ts';

export interface ForwardingReminderPorts {
  store: ForwardingReminderStore;
  mailer: Mailer;
  renderer: ForwardingReminderRenderer;
  calendar: WorkingDayCalendar;
  clock: () => Date;
  /** What claims and their leases are timed by (send-once.ts); the wall clock by default. */
  leaseClock?: LeaseClock;
  sender: string;
  /** Identifies this run in its claims. */
  runId: string;
  /** The console page where the commission's staff review their pairings' deliverables and forward. */
  consoleLink?: (forwarding: Forwarding) => string;
  options?: Partial<ReminderOptions>;
}

/** The same shape as the pairings' reminders: `obligationId` is the forwarding's id. */
export type ForwardingReminderResult = TickResult;

export async function sendForwardingReminders(
  ports: ForwardingReminderPorts,
  day: string,
  shared: TickShared = {},
): Promise<ForwardingReminderResult> {
  const options = { ...DEFAULT_REMINDER_OPTIONS, ...ports.options };
  const result: ForwardingReminderResult = {
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
  const addresses = shared.addresses ?? new AddressBook(ports.store);
  for (const programme of shared.programmes ?? (await ports.store.listProgrammes())) {
    const window = dueDateWindow(day, programme.reminderStages);
    const candidates = await ports.store.openForwardingsDueBetween(
      programme.id,
      window.from,
      addDays(window.to, options.catchUpDays),
    );
    result.candidates += candidates.length;
    const rules = new Map(programme.reportingChain.forwardings.map((r) => [r.kind, r]));
    const due = candidates.flatMap(({ forwarding }) => {
      const rule = rules.get(forwarding.kind);
      const send =
        rule &&
        sendDueOn(
          day,
          forwarding.effectiveDueDate,
          programme.reminderStages,
          ports.calendar,
          options.catchUpDays,
        );
      return rule && send ? [{ forwarding, rule, stage: send.stage }] : [];
    });
    result.due += due.length;
    if (due.length === 0) continue;

    // Only now, with something due: the pairings the commissions report on, and the institutions the
    // messages name (the commissions, the province, and each pairing's recipient and lead supporter).
    const [obligations, pairings] = await Promise.all([
      // Only the forwarded deliverables of the due forwardings' own pairings (for the counts).
      ports.store.getObligations(
        due.flatMap(({ forwarding }) =>
          forwarding.pairingIds.map((pairingId) => ({
            pairingId,
            kind: forwarding.forwards,
            year: forwarding.year,
          })),
        ),
      ),
      ports.store.getPairings([...new Set(due.flatMap(({ forwarding }) => forwarding.pairingIds))]),
    ]);
    const institutions = await ports.store.getInstitutions([
      programme.provincialCommissionId,
      ...due.map(({ forwarding }) => forwarding.commissionId),
      ...pairings.flatMap((p) => [p.recipientId, p.leadSupporterId]),
    ]);
    const context: Context = {
      programme,
      directory: institutionDirectory(institutions),
      obligations,
      pairings: new Map(pairings.map((p) => [p.id, p])),
    };
    // Everyone a message can go to: each commission, and the province it is copied to once late.
    const known = (ids: readonly string[]) => ids.flatMap((id) => context.directory.byId.get(id) ?? []);
    await addresses.load([
      {
        to: known(due.map(({ forwarding }) => forwarding.commissionId)),
        cc: known([programme.provincialCommissionId]),
      },
    ]);
    const queue = new PQueue({ concurrency: options.concurrency });
    for (const { forwarding, rule, stage } of due) {
      queue.add(async () => {
        try {
          await remindOne(ports, options, context, addresses, rule, forwarding, day, result);
        } catch (error) {
          // One forwarding failing is recorded; the others still go out, and its unsent claims are
          // taken over by the next run once their lease has passed.
          result.failed.push({ obligationId: forwarding.id, stage, error: (error as Error).message });
        }
      });
    }
    await queue.onIdle();
  }
  return result;
}

interface Context {
  programme: Programme;
  directory: InstitutionDirectory;
  obligations: ObligationWithRecord[];
  pairings: Map<string, Pairing>;
}

async function remindOne(
  ports: ForwardingReminderPorts,
  options: ReminderOptions,
  { programme, directory, obligations, pairings }: Context,
  addresses: AddressBook,
  rule: ForwardingRule,
  candidate: Forwarding,
  day: string,
  result: ForwardingReminderResult,
): Promise<void> {
  const current = await ports.store.getForwarding(
    programme.id,
    candidate.commissionId,
    candidate.kind,
    candidate.year,
  );
  if (!current || !awaitsSubmission(current.record)) return;
  const { forwarding } = current;
  // From the forwarding as read now: an extension granted since the query moves its stages.
  const send = sendDueOn(
    day,
    forwarding.effectiveDueDate,
    programme.reminderStages,
    ports.calendar,
    options.catchUpDays,
  );
  if (!send) return;

  const audience = forwardingReminderAudience(programme, forwarding, send, directory);
  const { reachable, suppressed, withoutContacts } = addresses.reachable(audience);
  for (const institution of withoutContacts) {
    result.noContacts.push({ obligationId: forwarding.id, institution: institution.name });
  }
  for (const { email, reason } of suppressed) {
    result.suppressed.push({ obligationId: forwarding.id, email, reason });
  }
  const records = recordsOf(
    {
      programmeId: programme.id,
      pairingId: collectionId(programme.id, forwarding.commissionId),
      level: 'commission',
      obligationId: forwarding.id,
      kind: forwarding.kind,
      year: forwarding.year,
      stage: send.stage,
      day,
      runId: ports.runId,
    },
    reachable,
    ports.clock(),
  );
  if (records.length === 0) return;

  const render = (claimed: ReminderRecord[]) => {
    const at = ports.clock();
    const view = forwardingReminderView({
      programme,
      rule,
      forwarding,
      send,
      day,
      at,
      audience,
      progress: forwardingProgress(forwarding, obligations, at),
      pairings,
      nameOf: (id) => directory.byId.get(id)?.name ?? id,
      ...(ports.consoleLink ? { consoleUrl: ports.consoleLink(forwarding) } : {}),
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
  recordSendOutcome(result, addresses, outcome, forwarding.id, send.stage);
}
