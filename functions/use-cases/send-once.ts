/**
 * Exactly-once email delivery, shared by reminders and upload notices: one record per (obligation,
 * stage, address) is claimed with a conditional write, one message goes to the claimed addresses, and
 * the outcome is recorded on each record.
 *
 * - An address already sent or rejected is skipped; a fresh claim by another live run is waited for; a
 *   claim whose lease ran out (its run died) is taken over.
 * - SES refuses a whole message for one bad address: the message is then sent to each address alone,
 *   and the refused address is marked and reported, while the others still go out.
 * - Anything else (the SDK already retried throttling and 5xx) releases the claims for the next run.
 * - Right before SES is called the records turn `dispatched`: a run that dies after that point may or
 *   may not have sent, and a rerun does not repeat it (a duplicate is worse than a message a person
 *   confirms from the SES log); it reports such addresses as unconfirmed.
 *
 * What each address costs, and why none of it can go: one consistent Query of the stage's log (shared
 * by the message's addresses) and three conditional writes per address.
 * - The claim (`sending`, only if absent or stale) is what makes two runs exclusive; it is taken before
 *   the message is rendered and paced, which may take a while.
 * - `dispatched`, right before SES is called, splits "known not sent" from "maybe sent". Folding it
 *   into the claim would report every run that died before reaching SES (while rendering, pacing, or
 *   waiting on another run) as unconfirmed, and that address would never get its reminder; leaving
 *   it out would let the run taking over a dead claim send a second copy of a message SES accepted.
 * - `sent` (with the message id) is what a rerun skips on, and what the log and the console show.
 * The writes are per item because each is conditional on its own record (a claim taken over by
 * another run must refuse the old run's outcome); BatchWriteItem takes no conditions, and a
 * transaction would cost twice the capacity for the same items. A rerun that finds every address
 * done writes nothing.
 */
import type { OutboundEmail } from '../domain/email.ts';
import type { Contact, Institution } from '../domain/model.ts';
import type { ReminderRecord } from '../domain/records.ts';
import { type LeaseClock, type Mailer, RecipientRejectedError, type ReminderStore } from './ports.ts';

const CLAIM_POLL_MS = 1000;

/** Leases are about whether a process is alive: wall-clock time, even when a replay simulates "now". */
export const wallLeaseClock: LeaseClock = {
  now: () => new Date(),
  wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

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

/**
 * Claims `records` (status `sending`) and delivers; `render` builds the message for the claimed set,
 * and is called only when something is left to send.
 */
export async function sendOnce(
  ports: SendOncePorts,
  records: readonly ReminderRecord[],
  render: (claimed: ReminderRecord[]) => OutboundEmail | Promise<OutboundEmail>,
): Promise<SendOnceOutcome> {
  const outcome: SendOnceOutcome = { sent: [], alreadySent: 0, rejected: [], failed: [], unconfirmed: [] };
  const first = records[0];
  if (!first) return outcome;
  const existing = new Map(
    (await ports.store.remindersOfStage(first.pairingId, first.kind, first.year, first.stage)).map((r) => [
      r.email,
      r,
    ]),
  );
  const claimed: ReminderRecord[] = [];
  const leaseClock = ports.leaseClock ?? wallLeaseClock;
  const staleBefore = new Date(leaseClock.now().getTime() - ports.claimLeaseMs).toISOString();
  for (const record of records) {
    const seen = existing.get(record.email);
    if (seen?.status === 'dispatched' && seen.claimedAt < staleBefore) outcome.unconfirmed.push(record.email);
    else if (seen && seen.status !== 'sending') outcome.alreadySent++;
    else if (await claimWithTakeover(ports, leaseClock, record)) claimed.push(record);
    else outcome.alreadySent++;
  }

  const deliver = async (batch: ReminderRecord[]): Promise<void> => {
    try {
      const email = await render(batch);
      const { messageId } = await ports.mailer.send(email, {
        onDispatch: async () => {
          await Promise.all(batch.map((r) => ports.store.completeReminder(r, { status: 'dispatched' })));
        },
      });
      const sentAt = ports.clock().toISOString();
      const recipients = batch.map((r) => r.email);
      await Promise.all(
        batch.map((r) => ports.store.completeReminder(r, { status: 'sent', sentAt, messageId, recipients })),
      );
      outcome.sent.push({ messageId, to: email.to, cc: email.cc });
    } catch (error) {
      if (error instanceof RecipientRejectedError && batch.length > 1) {
        for (const record of batch) await deliver([record]);
        return;
      }
      if (error instanceof RecipientRejectedError) {
        const [record] = batch as [ReminderRecord];
        await ports.store.completeReminder(record, { status: 'rejected', reason: error.message });
        await ports.store.markAddressRejected({
          email: record.email,
          rejectedAt: ports.clock().toISOString(),
          reason: error.message,
          source: 'send',
        });
        outcome.rejected.push({ email: record.email, reason: error.message });
        return;
      }
      await Promise.all(batch.map((r) => ports.store.releaseReminder(r)));
      outcome.failed.push((error as Error).message);
    }
  };
  if (claimed.length > 0) await deliver(claimed);
  return outcome;
}

/**
 * Claims one address. If another run holds a fresh claim, waits for it to finish; if that run died
 * (its lease ran out), takes the claim over. Returns false when someone else completed it.
 */
async function claimWithTakeover(
  ports: SendOncePorts,
  leaseClock: LeaseClock,
  record: ReminderRecord,
): Promise<boolean> {
  for (;;) {
    const now = leaseClock.now();
    const staleBefore = new Date(now.getTime() - ports.claimLeaseMs).toISOString();
    if (await ports.store.claimReminder({ ...record, claimedAt: now.toISOString() }, staleBefore)) {
      record.claimedAt = now.toISOString();
      return true;
    }
    const holder = (
      await ports.store.remindersOfStage(record.pairingId, record.kind, record.year, record.stage)
    ).find((r) => r.email === record.email);
    if (!holder) continue; // released by its run in the meantime: claim it now
    if (holder.status !== 'sending') return false;
    // Poll about once a second: a live holder usually finishes within one send, and waiting a
    // quarter of the lease would hold a concurrent duplicate delivery back for half a minute.
    const expiresIn = new Date(holder.claimedAt).getTime() + ports.claimLeaseMs - now.getTime();
    await leaseClock.wait(Math.max(10, Math.min(expiresIn + 5, CLAIM_POLL_MS, ports.claimLeaseMs / 4)));
  }
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

/** The exactly-once records of one message to `addressees`, claimed by run `runId`. */
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
    status: 'sending',
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
