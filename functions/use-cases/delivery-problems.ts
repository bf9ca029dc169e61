/**
 * SES bounces and complaints (configuration-set events): the address is marked so no reminder goes
 * there again, and the provincial commission of every programme the institution takes part in is told,
 * so the roster gets fixed and the institution is reached another way.
 *
 * 1. Only permanent bounces and complaints count; a transient bounce is SES retrying on its own, so
 *    the edge that parses SES's event hands in only those (`DeliveryProblem`).
 * 2. Mark each address (the same record a rejected send writes), all before any notice goes out.
 * 3. Nothing is mailed on a day that is not a working day under the official calendar (Beijing date of
 *    when the event is processed): the notice of each address is then held, once per (SES time,
 *    message, address), and the tick of the next working day sends it (sendPendingDeliveryNotices).
 * 4. Otherwise, for each roster entry with that address, email the commissions once per (address, SES
 *    message): their contacts other than the addresses of this event and any address marked earlier.
 *    When that leaves nobody (the commission's own addresses are the ones failing), nothing is sent
 *    and the result says so.
 */

import labels from '../../templates/labels.zh.json' with { type: 'json' };
import { deliveryNoticeTiming, isHeldNoticeDue } from '../domain/delivery-notices.ts';
import type { BounceNoticeView } from '../domain/email.ts';
import type { Contact, Institution, PlainDate, Programme } from '../domain/model.ts';
import { beijingDate, beijingDateTime } from '../domain/plain-date.ts';
import { fill } from '../domain/wording.ts';
import type { WorkingDayCalendar } from '../domain/working-days.ts';
import type { DeliveryProblemStore, LeaseClock, Mailer, StaffMailRenderer } from './ports.ts';
import { envelopeOf, reachableAddressees, recordsOf, sendOnce } from './send-once.ts';

/** A permanent bounce or a complaint, parsed at the edge from SES's event. */
export interface DeliveryProblem {
  kind: 'bounce' | 'complaint';
  addresses: { email: string; detail?: string }[];
  /** The SES message that bounced: with the address, the exactly-once key of the notice. */
  messageId: string;
  /** ISO 8601: when SES reported the problem (or sent the mail, or EventBridge received the event). */
  at: string;
}

export interface DeliveryProblemPorts {
  store: DeliveryProblemStore;
  mailer: Mailer;
  staffMail: StaffMailRenderer;
  sender: string;
  clock: () => Date;
  /** Which days are working days: notices go out only on those. */
  calendar: WorkingDayCalendar;
  runId: string;
  claimLeaseMs: number;
  /** What claims and their leases are timed by (send-once.ts); the wall clock by default. */
  leaseClock?: LeaseClock;
}

const PROBLEM_ZH: Record<DeliveryProblem['kind'], string> = labels.deliveryProblems;

export interface DeliveryProblemResult {
  /** The addresses marked: nothing is sent to them again. */
  marked: string[];
  /** Notices sent to commissions. */
  notices: number;
  /**
   * Set when the event came on a non-working day: the addresses whose notice was held, and the working
   * day from which the tick sends it. A redelivered event holds nothing more (`held` is then empty).
   */
  heldUntil?: PlainDate;
  held: string[];
  failed: string[];
  /**
   * Notices handed to SES by a run that died before recording the outcome: not repeated, to be
   * checked. `about` is the address the notice concerns, `email` the commission's address it went to.
   */
  unconfirmed: { programmeId: string; about: string; email: string }[];
  /**
   * Notices nobody could be sent: every contact of commission `commission` has bounced, complained or
   * been refused. Someone has to reach the commission another way and fix its roster.
   */
  noRecipients: { programmeId: string; commission: string; about: string }[];
}

export async function recordDeliveryProblem(
  ports: DeliveryProblemPorts,
  problem: DeliveryProblem,
): Promise<DeliveryProblemResult> {
  const result: DeliveryProblemResult = {
    marked: [],
    notices: 0,
    held: [],
    failed: [],
    unconfirmed: [],
    noRecipients: [],
  };
  for (const { email, detail } of problem.addresses) {
    await ports.store.markAddressRejected({
      email,
      rejectedAt: problem.at,
      reason: detail
        ? fill(labels.deliveryProblems.withDetail, { problem: PROBLEM_ZH[problem.kind], detail })
        : PROBLEM_ZH[problem.kind],
      source: problem.kind,
    });
    result.marked.push(email);
  }
  const now = ports.clock();
  const timing = deliveryNoticeTiming(ports.calendar, beijingDate(now));
  if (timing.send === 'held') {
    result.heldUntil = timing.until;
    for (const { email, detail } of problem.addresses) {
      const held = await ports.store.holdDeliveryNotice({
        kind: problem.kind,
        at: problem.at,
        messageId: problem.messageId,
        email,
        ...(detail ? { detail } : {}),
        heldAt: now.toISOString(),
        until: timing.until,
      });
      if (held) result.held.push(email);
    }
    return result;
  }
  // Marked first: a notice about an address that failed must not go to it, nor to another one that
  // failed with it.
  const roster = await rosterOf(ports.store);
  for (const { email, detail } of problem.addresses) {
    const outcome = await noticesAbout(ports, roster, problem, { email, ...(detail ? { detail } : {}) });
    result.notices += outcome.notices;
    result.failed.push(...outcome.failed.map((f) => f.error));
    result.unconfirmed.push(
      ...outcome.unconfirmed.map(({ programmeId, about, email }) => ({ programmeId, about, email })),
    );
    result.noRecipients.push(...outcome.noRecipients);
  }
  return result;
}

export interface PendingNoticesResult {
  /** Held notices the tick took up (one per address of a problem). */
  due: number;
  /** Messages sent to commissions. */
  notices: number;
  /** Held notices left for a later tick: not due yet, or their send failed. */
  pending: number;
  /** As the tick reports reminders: `obligationId` is `<programme>#bounce` or `#complaint`. */
  failed: { obligationId: string; stage: string; error: string }[];
  unconfirmed: { obligationId: string; stage: string; email: string }[];
  noRecipients: DeliveryProblemResult['noRecipients'];
}

type NoticeOutcome = Pick<PendingNoticesResult, 'notices' | 'failed' | 'noRecipients'> & {
  unconfirmed: (DeliveryProblemResult['unconfirmed'][number] & { obligationId: string; stage: string })[];
};

/**
 * The tick's part: on a working day, every notice held over the days off goes out through the same
 * exactly-once records as a notice sent at once (so one sent already, by a redelivered event on a
 * working day, or by a run that died before removing it, is not repeated), then its hold is removed.
 * A notice whose send failed stays held for the next run.
 */
export async function sendPendingDeliveryNotices(
  ports: DeliveryProblemPorts,
  day: PlainDate,
): Promise<PendingNoticesResult> {
  const result: PendingNoticesResult = {
    due: 0,
    notices: 0,
    pending: 0,
    failed: [],
    unconfirmed: [],
    noRecipients: [],
  };
  const pending = await ports.store.pendingDeliveryNotices();
  const due = pending.filter((n) => isHeldNoticeDue(ports.calendar, day, n.until));
  result.pending = pending.length - due.length;
  if (due.length === 0) return result;
  const roster = await rosterOf(ports.store);
  for (const notice of due) {
    result.due++;
    const outcome = await noticesAbout(ports, roster, notice, {
      email: notice.email,
      ...(notice.detail ? { detail: notice.detail } : {}),
    });
    result.notices += outcome.notices;
    result.failed.push(...outcome.failed);
    result.unconfirmed.push(
      ...outcome.unconfirmed.map(({ obligationId, stage, email }) => ({ obligationId, stage, email })),
    );
    result.noRecipients.push(...outcome.noRecipients);
    if (outcome.failed.length > 0) result.pending++;
    else await ports.store.removePendingDeliveryNotice(notice);
  }
  return result;
}

/** The roster and the plans a notice is addressed from: read once per event or tick. */
interface Roster {
  contacts: Contact[];
  institutions: Map<string, Institution>;
  commissionsOf: Map<string, { programme: Programme; commission: Institution }[]>;
}

async function rosterOf(store: DeliveryProblemStore): Promise<Roster> {
  const [contacts, programmes, list] = await Promise.all([
    store.listContacts(),
    store.listProgrammes(),
    store.listInstitutions(),
  ]);
  const institutions = new Map(list.map((i) => [i.id, i]));
  return {
    contacts,
    institutions,
    commissionsOf: await commissionsByInstitution(store, programmes, institutions),
  };
}

/**
 * The notices about one address of a problem: to the commissions of every programme its institution
 * takes part in, each once per (address, SES message).
 */
async function noticesAbout(
  ports: DeliveryProblemPorts,
  roster: Roster,
  problem: Pick<DeliveryProblem, 'kind' | 'messageId' | 'at'>,
  { email, detail }: { email: string; detail?: string },
): Promise<NoticeOutcome> {
  const outcome: NoticeOutcome = {
    notices: 0,
    failed: [],
    unconfirmed: [],
    noRecipients: [],
  };
  for (const contact of roster.contacts.filter((c) => c.email.toLowerCase() === email)) {
    const institution = roster.institutions.get(contact.institutionId);
    for (const { programme, commission } of roster.commissionsOf.get(contact.institutionId) ?? []) {
      const view: BounceNoticeView = {
        commission: commission.name,
        institution: institution?.name ?? contact.institutionId,
        name: contact.name,
        role: contact.role,
        email,
        problemZh: PROBLEM_ZH[problem.kind],
        ...(detail ? { detail } : {}),
        at: beijingDateTime(new Date(problem.at)),
      };
      // Every address of the problem is marked by now, so none of them is reachable.
      const { reachable } = await reachableAddressees(ports.store, { to: [commission], cc: [] });
      if (reachable.length === 0) {
        outcome.noRecipients.push({ programmeId: programme.id, commission: commission.id, about: email });
        continue;
      }
      const stage = `${problem.kind}-${problem.messageId}-${email}`;
      const obligationId = `${programme.id}#${problem.kind}`;
      const records = recordsOf(
        {
          programmeId: programme.id,
          pairingId: programme.id,
          obligationId,
          kind: problem.kind,
          year: Number(beijingDate(new Date(problem.at)).slice(0, 4)),
          stage,
          day: beijingDate(new Date(problem.at)),
          runId: ports.runId,
        },
        reachable,
        ports.clock(),
      );
      const sent = await sendOnce(ports, records, (claimed) =>
        ports.staffMail.bounce(view, envelopeOf(ports.sender, claimed), obligationId),
      );
      outcome.notices += sent.sent.length;
      outcome.failed.push(...sent.failed.map((error) => ({ obligationId, stage, error })));
      for (const unconfirmed of sent.unconfirmed)
        outcome.unconfirmed.push({
          programmeId: programme.id,
          about: email,
          email: unconfirmed,
          obligationId,
          stage,
        });
    }
  }
  return outcome;
}

/** Each institution's programmes and their provincial commissions (an institution may be in both plans). */
async function commissionsByInstitution(
  store: DeliveryProblemStore,
  programmes: readonly Programme[],
  institutions: Map<string, Institution>,
): Promise<Map<string, { programme: Programme; commission: Institution }[]>> {
  const map = new Map<string, { programme: Programme; commission: Institution }[]>();
  for (const programme of programmes) {
    const commission = institutions.get(programme.provincialCommissionId);
    if (!commission) continue;
    const pairings = await store.listPairings(programme.id);
    const members = new Set(pairings.flatMap((p) => [p.recipientId, ...p.supporterIds]));
    // County governments take part through their county's recipient.
    for (const institution of institutions.values()) {
      const county = institution.type === 'county-government';
      const inProgramme =
        members.has(institution.id) ||
        (county &&
          pairings.some((p) => {
            const recipient = institutions.get(p.recipientId);
            return (
              recipient?.place.county === institution.place.county &&
              recipient?.place.province === institution.place.province
            );
          }));
      if (inProgramme || institution.id === commission.id) {
        map.set(institution.id, [...(map.get(institution.id) ?? []), { programme, commission }]);
      }
    }
  }
  return map;
}
