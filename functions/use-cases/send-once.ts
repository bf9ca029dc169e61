/**
 * Exactly-once email delivery, shared by reminders, digests and notices: one record per (obligation,
 * stage, address), one message to the addresses not yet handled, and the outcome recorded on each.
 *
 * - An address already sent or rejected is skipped, and so is one another live run has just handed to
 *   SES. An address a run handed to SES and never heard back of (its claim is older than the lease:
 *   the run died) is not sent again, since a duplicate is worse than a message a person confirms from
 *   the SES log; it is reported as unconfirmed.
 * - SES refuses a whole message for one bad address: the message is then sent to each address alone,
 *   and the refused address is marked and reported, while the others still go out.
 * - Anything else (the SDK already retried throttling and 5xx) releases the claims for the next run.
 *
 * What a message costs, and why none of it can go: two conditional writes, whatever its addresses, on
 * the one item that logs its stage (adapters/store/reminders.ts), plus its share of one consistent
 * batch read of a page's logs (or one read of its own when sent alone).
 * - The claim marks the message's addresses `dispatched` in one write that holds only if none is held.
 *   It is what makes two runs exclusive, and it is taken after the message is rendered and its turn
 *   under the SES rate has come, right before the SES call: a run that dies between the two leaves an
 *   address reported as unconfirmed, and that gap is one write long. Claiming earlier (before rendering
 *   and pacing) would need a third write to tell "claimed" from "handed to SES".
 * - `sent` (with the message id) is what a rerun skips on, and what the log and the console show.
 * - Two runs racing for one message both render it; the one whose claim is refused re-reads the log
 *   and sends to whatever is still free (an address added to the roster since), or to nobody.
 * A rerun that finds every address done writes nothing.
 */
import type { OutboundEmail } from '../domain/email.ts';
import type { Contact, Institution } from '../domain/model.ts';
import type { ReminderRecord } from '../domain/records.ts';
import { type LeaseClock, type Mailer, RecipientRejectedError, type ReminderStore } from './ports.ts';

/** Leases are about whether a process is alive: wall-clock time, even when a replay simulates "now". */
export const wallLeaseClock: LeaseClock = { now: () => new Date() };

export interface SendOncePorts {
  store: ReminderStore;
  mailer: Mailer;
  clock: () => Date;
  claimLeaseMs: number;
  /** What claims and their leases are timed by; the wall clock unless a test passes its own. */
  leaseClock?: LeaseClock;
}

export interface SendOnceOutcome {
  sent: { messageId: string; to: string[]; cc: string[] }[];
  alreadySent: number;
  rejected: { email: string; reason: string }[];
  failed: string[];
  /**
   * Addresses whose message was handed to SES by a run that died before recording the outcome: never
   * repeated (it most likely went out), reported so a person can check the SES log.
   */
  unconfirmed: string[];
}

/** Another run claimed an address of the message first. */
class ClaimRefused extends Error {}

/**
 * Delivers one message to the addresses of `records` (one stage) not handled yet; `render` builds it
 * for those, and is called only when something is left to send. `log` is the stage's log when the
 * caller read it with others (a page of messages); without it the log is read here.
 */
export async function sendOnce(
  ports: SendOncePorts,
  records: readonly ReminderRecord[],
  render: (claimed: ReminderRecord[]) => OutboundEmail | Promise<OutboundEmail>,
  log?: readonly ReminderRecord[],
): Promise<SendOnceOutcome> {
  const outcome: SendOnceOutcome = { sent: [], alreadySent: 0, rejected: [], failed: [], unconfirmed: [] };
  const first = records[0];
  if (!first) return outcome;
  const leaseClock = ports.leaseClock ?? wallLeaseClock;
  const staleBefore = () => new Date(leaseClock.now().getTime() - ports.claimLeaseMs).toISOString();
  const logOf = (entries: readonly ReminderRecord[]) =>
    new Map(
      entries
        .filter((r) => r.pairingId === first.pairingId && r.kind === first.kind)
        .filter((r) => r.year === first.year && r.stage === first.stage)
        .map((r) => [r.email.toLowerCase(), r]),
    );
  let known = logOf(
    log ?? (await ports.store.remindersOfStage(first.pairingId, first.kind, first.year, first.stage)),
  );
  /** The records still to send; the others are counted as handled or unconfirmed. */
  const free = (pending: readonly ReminderRecord[]): ReminderRecord[] => {
    const stale = staleBefore();
    return pending.filter((record) => {
      const seen = known.get(record.email.toLowerCase());
      // A `sending` claim is a run from before claims were taken at dispatch: taken over once stale.
      if (!seen || (seen.status === 'sending' && seen.claimedAt < stale)) return true;
      if (seen.status === 'dispatched' && seen.claimedAt < stale) outcome.unconfirmed.push(record.email);
      else outcome.alreadySent++;
      return false;
    });
  };

  const deliver = async (batch: ReminderRecord[]): Promise<void> => {
    const state = { claimed: false };
    try {
      const email = await render(batch);
      const { messageId } = await ports.mailer.send(email, {
        onDispatch: async () => {
          const claimedAt = leaseClock.now().toISOString();
          for (const record of batch) Object.assign(record, { status: 'dispatched', claimedAt });
          if (!(await ports.store.claimReminders(batch, staleBefore()))) throw new ClaimRefused();
          state.claimed = true;
        },
      });
      const sentAt = ports.clock().toISOString();
      await ports.store.completeReminders(batch, { status: 'sent', sentAt, messageId });
      outcome.sent.push({ messageId, to: email.to, cc: email.cc });
    } catch (error) {
      if (error instanceof ClaimRefused) {
        known = logOf(
          await ports.store.remindersOfStage(first.pairingId, first.kind, first.year, first.stage),
        );
        const left = free(batch);
        if (left.length > 0) await deliver(left);
        return;
      }
      if (error instanceof RecipientRejectedError && batch.length > 1) {
        // Refused as a whole, so nothing went out: free the claims and try each address alone.
        if (state.claimed) await ports.store.releaseReminders(batch);
        for (const record of batch) await deliver([record]);
        return;
      }
      if (error instanceof RecipientRejectedError) {
        const [record] = batch as [ReminderRecord];
        if (state.claimed)
          await ports.store.completeReminders([record], { status: 'rejected', reason: error.message });
        await ports.store.markAddressRejected({
          email: record.email,
          rejectedAt: ports.clock().toISOString(),
          reason: error.message,
          source: 'send',
        });
        outcome.rejected.push({ email: record.email, reason: error.message });
        return;
      }
      if (state.claimed) await ports.store.releaseReminders(batch);
      outcome.failed.push((error as Error).message);
    }
  };
  const toSend = free(records);
  if (toSend.length > 0) await deliver(toSend);
  return outcome;
}

export interface Addressee {
  email: string;
  institution: Institution;
  field: 'to' | 'cc';
}

/**
 * The coordinators' addresses of the institutions a message goes to, each once (an address in both
 * `to` and `cc` stays in `to`), and the institutions with nobody on the roster.
 */
export async function addresseesOf(
  store: Pick<ReminderStore, 'contactsOf'>,
  audience: { to: readonly Institution[]; cc: readonly Institution[] },
): Promise<{ all: Addressee[]; withoutContacts: Institution[] }> {
  const ids = [...new Set([...audience.to, ...audience.cc].map((i) => i.id))];
  const contacts = new Map<string, Contact[]>();
  for (const id of ids) contacts.set(id, await store.contactsOf(id));
  return addresseesFrom(audience, (id) => contacts.get(id) ?? []);
}

/** `addresseesOf` over contacts in hand. */
function addresseesFrom(
  audience: { to: readonly Institution[]; cc: readonly Institution[] },
  contactsOf: (institutionId: string) => readonly Contact[],
): { all: Addressee[]; withoutContacts: Institution[] } {
  const all: Addressee[] = [];
  const withoutContacts: Institution[] = [];
  const seen = new Set<string>();
  for (const [field, institutions] of [
    ['to', audience.to],
    ['cc', audience.cc],
  ] as const) {
    for (const institution of institutions) {
      const contacts = contactsOf(institution.id);
      if (contacts.length === 0) withoutContacts.push(institution);
      for (const contact of contacts) {
        const email = contact.email.toLowerCase();
        if (seen.has(email)) continue;
        seen.add(email);
        all.push({ email, institution, field });
      }
    }
  }
  return { all, withoutContacts };
}

/**
 * `addresseesOf`, less the addresses marked as refused by SES, bounced or complained of: mail there
 * fails again and may count against the sender. Every kind of mail goes through this, so none goes to
 * a known-bad address; the ones left out are returned so the caller can report them.
 */
export async function reachableAddressees(
  store: Pick<ReminderStore, 'contactsOf' | 'addressStatuses'>,
  audience: { to: readonly Institution[]; cc: readonly Institution[] },
): Promise<{
  reachable: Addressee[];
  suppressed: { email: string; reason: string }[];
  withoutContacts: Institution[];
}> {
  const { all, withoutContacts } = await addresseesOf(store, audience);
  const marked = new Map(
    (await store.addressStatuses(all.map((a) => a.email))).map((s) => [s.email, s.reason]),
  );
  return {
    reachable: all.filter((a) => !marked.has(a.email)),
    suppressed: all.flatMap((a) => {
      const reason = marked.get(a.email);
      return reason === undefined ? [] : [{ email: a.email, reason }];
    }),
    withoutContacts,
  };
}

/**
 * The contacts and address marks of the institutions many messages go to, read in batches and kept
 * for one run: `load` the audiences of a batch (only what was not read yet), then `reachable` answers
 * each message as `reachableAddressees` does, without a read of its own. What it holds grows with the
 * institutions and addresses on file, not with the obligations of the day. A mark made after its
 * address was read (a bounce arriving mid-run) is seen by the next run; a refusal during the run is
 * recorded here too, so the run's later messages leave that address out.
 */
export class AddressBook {
  private readonly contacts = new Map<string, Contact[]>();
  /** By address in lower case: the reason it is marked, or null when it is not. */
  private readonly marks = new Map<string, string | null>();

  constructor(private readonly store: Pick<ReminderStore, 'contactsOfMany' | 'addressStatuses'>) {}

  async load(
    audiences: readonly { to: readonly Institution[]; cc: readonly Institution[] }[],
  ): Promise<void> {
    const institutions = [...new Set(audiences.flatMap((a) => [...a.to, ...a.cc]).map((i) => i.id))].filter(
      (id) => !this.contacts.has(id),
    );
    if (institutions.length > 0) {
      for (const id of institutions) this.contacts.set(id, []);
      for (const contact of await this.store.contactsOfMany(institutions))
        this.contacts.get(contact.institutionId)?.push(contact);
      for (const id of institutions)
        this.contacts.get(id)?.sort((a, b) => (a.email.toLowerCase() < b.email.toLowerCase() ? -1 : 1));
    }
    const emails = [
      ...new Set(institutions.flatMap((id) => this.contacts.get(id) ?? []).map((c) => c.email.toLowerCase())),
    ].filter((email) => !this.marks.has(email));
    if (emails.length === 0) return;
    for (const email of emails) this.marks.set(email, null);
    for (const status of await this.store.addressStatuses(emails))
      this.marks.set(status.email.toLowerCase(), status.reason);
  }

  /** Like `reachableAddressees`, from what `load` read: the audience's institutions must be loaded. */
  reachable(audience: { to: readonly Institution[]; cc: readonly Institution[] }): {
    reachable: Addressee[];
    suppressed: { email: string; reason: string }[];
    withoutContacts: Institution[];
  } {
    const { all, withoutContacts } = addresseesFrom(audience, (id) => {
      const contacts = this.contacts.get(id);
      if (!contacts) throw new RangeError(`contacts of ${id} were not loaded`);
      return contacts;
    });
    const reasonOf = (email: string) => this.marks.get(email) ?? undefined;
    return {
      reachable: all.filter((a) => reasonOf(a.email) === undefined),
      suppressed: all.flatMap((a) => {
        const reason = reasonOf(a.email);
        return reason === undefined ? [] : [{ email: a.email, reason }];
      }),
      withoutContacts,
    };
  }

  /** An address SES refused during the run: the run's later messages leave it out. */
  markRejected(email: string, reason: string): void {
    this.marks.set(email.toLowerCase(), reason);
  }
}

/** The exactly-once records of one message to `addressees`, to be claimed by run `runId`. */
export function recordsOf(
  base: Omit<ReminderRecord, 'email' | 'institutionId' | 'field' | 'status' | 'claimedAt'>,
  addressees: readonly Addressee[],
  now: Date,
): ReminderRecord[] {
  return addressees.map((a) => ({
    ...base,
    email: a.email,
    institutionId: a.institution.id,
    field: a.field,
    status: 'dispatched',
    claimedAt: now.toISOString(),
  }));
}

/** To and Cc of a message from the records that were claimed for it. */
export function envelopeOf(from: string, claimed: readonly ReminderRecord[]) {
  return {
    from,
    to: claimed.filter((r) => r.field === 'to').map((r) => r.email),
    cc: claimed.filter((r) => r.field === 'cc').map((r) => r.email),
  };
}
