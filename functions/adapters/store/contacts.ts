/**
 * The roster (each institution's coordinators) and what is known about their addresses: one SES
 * refused, bounced or complained of is marked, and no mail of any kind goes there again.
 *
 * An institution's contacts are one item, the only copy of them (dynamo-keys.ts). The daily tick reads
 * the contacts of every institution its reminders go to, about one institution per due obligation on a
 * busy day: a BatchGet reads 100 institutions a request, one item each. Contacts are edited rarely and
 * one institution at a time, so an edit rewrites its institution's item:
 * - an admin's correction or removal, conditional on the item's version as read; when another edit
 *   got there first it reads again and applies its change to that, so two admins editing the same
 *   institution at once both land;
 * - a roster import compares the file with every stored item; the items of institutions new to the
 *   roster are written 25 to a request, and a changed institution's item as an admin's edit is, so
 *   an edit made during the import is kept.
 * Tables from before this layout hold one item per contact. `foldLegacyContacts` (the seed step, and
 * every roster import) writes them into their institution's item before it deletes them, so a run cut
 * short leaves every contact readable, and the next run finishes the job.
 */
import type { Contact } from '../../domain/model.ts';
import type { AddressStatus } from '../../domain/records.ts';
import type { SyncCounts } from '../../use-cases/ports.ts';
import { assertEachFits } from '../dynamo-item-size.ts';
import { keys, TABLE_KEYS } from '../dynamo-keys.ts';
import { writeChanges } from './sync.ts';
import { ConcurrentChangeError, entity, type Item, type Table } from './table.ts';

/** `itemType` of an institution's contacts, and of one contact as tables before that layout kept it. */
const ROSTER = 'contacts';
const LEGACY_CONTACT = 'contact';

/**
 * An institution's contacts as stored. `legacyFolded` says the item has taken in the institution's
 * contacts of the old layout: a rerun of the upgrade then only deletes them, and never brings back a
 * contact an admin removed in between.
 */
type RosterItem = Item & {
  institutionId: string;
  contacts: Contact[];
  itemVersion: number;
  legacyFolded?: boolean;
};

/** How often an edit reads again after another edit of the same institution got in first. */
const EDIT_ATTEMPTS = 10;
/** Institutions written one by one, at most this many at once. */
const WRITES_AT_ONCE = 8;

/** A contact's identity: one address per institution, whatever its case. */
const addressOf = (c: Contact) => c.email.toLowerCase();
const contactId = (c: Contact) => `${c.institutionId}#${addressOf(c)}`;
const rosterKey = (institutionId: string) => {
  const { PK, SK } = keys.contactsOf(institutionId);
  return { PK, SK };
};
const contactsIn = (item: Item | undefined): Contact[] => (item as RosterItem | undefined)?.contacts ?? [];

export class DynamoContacts {
  constructor(private readonly table: Table) {}

  /** Every contact, by institution and then address: one GSI1 query of the institutions' items. */
  async listContacts(): Promise<Contact[]> {
    return (await this.storedItems()).rosters.flatMap(contactsIn);
  }

  /** The institution's contacts by address, read consistently (an admin's edit reads them first). */
  async contactsOf(institutionId: string): Promise<Contact[]> {
    return contactsIn(await this.table.get(rosterKey(institutionId)));
  }

  /** The contacts of each institution: one item each, 100 institutions to a BatchGet. */
  async contactsOfMany(institutionIds: readonly string[]): Promise<Contact[]> {
    const items = await this.table.batchGet([...new Set(institutionIds)].map(rosterKey));
    return items.flatMap(contactsIn);
  }

  /**
   * Writes the contacts that differ from the stored ones, as their institutions' items; contacts not
   * in `contacts` are kept. Every item is measured before any is written.
   */
  async syncContacts(contacts: readonly Contact[]): Promise<SyncCounts> {
    const stored = await this.storedItems();
    // What the upgrade wrote overrides the index's view, which may not show it yet.
    const folded = await this.foldLegacy(stored.legacy);
    const rosters = new Map([...stored.rosters, ...folded].map((item) => [item.institutionId, item]));
    const wanted = new Set(contacts.map(contactId));
    const existing = [...rosters.values()].flatMap(contactsIn).filter((c) => wanted.has(contactId(c)));
    return writeChanges(existing, contacts, contactId, async (changed) => {
      const changes = [...byInstitution(changed)];
      const replaced = (current: RosterItem | undefined, institutionId: string, replacing: Contact[]) =>
        rosterItem(institutionId, withContacts(contactsIn(current), replacing), current);
      const items = changes.map(([id, replacing]) => replaced(rosters.get(id), id, replacing));
      assertEachFits(items);
      // An institution with no contacts yet, 25 to a request; one with contacts is rewritten on the
      // version it has, as an admin's edit is, so an edit made since the read above is kept.
      await this.table.batchPut(items.filter((item) => !rosters.has(item.institutionId)));
      await inParallel(
        changes.filter(([id]) => rosters.has(id)),
        ([id, replacing]) => this.edit(id, (current) => replaced(current, id, replacing)),
      );
    });
  }

  /** An admin's correction: the contact as given, whatever was stored under its address. */
  async putContact(contact: Contact): Promise<void> {
    await this.edit(contact.institutionId, (current) =>
      rosterItem(contact.institutionId, withContacts(contactsIn(current), [contact]), current),
    );
  }

  /** Deletes the contact if it is there; false when it is not. No reminder reaches it afterwards. */
  async removeContact(institutionId: string, email: string): Promise<boolean> {
    const address = email.toLowerCase();
    const { written } = await this.edit(institutionId, (current) => {
      const contacts = contactsIn(current);
      const kept = contacts.filter((c) => addressOf(c) !== address);
      // The item stays when its last contact goes, so its version only ever moves on.
      return kept.length === contacts.length ? undefined : rosterItem(institutionId, kept, current);
    });
    return written;
  }

  /**
   * The upgrade from one item per contact: each institution's old items are written into its item
   * (a contact the item holds already is kept as the item has it), then deleted. How many it folded.
   */
  async foldLegacyContacts(): Promise<number> {
    const { legacy } = await this.storedItems();
    await this.foldLegacy(legacy);
    return legacy.length;
  }

  /** The marked addresses among `emails` (compared in lower case). */
  async addressStatuses(emails: readonly string[]): Promise<AddressStatus[]> {
    const unique = [...new Set(emails.map((e) => e.toLowerCase()))];
    const items = await this.table.batchGet(unique.map((e) => ({ PK: keys.address(e).PK, SK: 'STATUS' })));
    return items.map((item) => entity<AddressStatus>(item));
  }

  async markAddressRejected(status: AddressStatus): Promise<void> {
    await this.table.put({
      ...keys.address(status.email),
      itemType: 'address',
      ...status,
      email: status.email.toLowerCase(),
    });
  }

  /** Every item under GSI1 CONTACTS: the institutions' items, and contact items of the old layout. */
  private async storedItems(): Promise<{ rosters: RosterItem[]; legacy: Item[] }> {
    const items = await this.table.index(TABLE_KEYS.byProgramme, keys.allContacts().GSI1PK);
    return {
      rosters: items.filter((i): i is RosterItem => i.itemType === ROSTER),
      legacy: items.filter((i) => i.itemType === LEGACY_CONTACT),
    };
  }

  /** Folds the old layout's items into their institutions' items, then deletes them: those items as stored. */
  private async foldLegacy(legacy: readonly Item[]): Promise<RosterItem[]> {
    const folded: RosterItem[] = [];
    await inParallel([...byInstitution(legacy.map((item) => entity<Contact>(item)))], async ([id, old]) => {
      const { stored } = await this.edit(id, (current) =>
        current?.legacyFolded
          ? undefined
          : { ...rosterItem(id, withContacts(old, contactsIn(current)), current), legacyFolded: true },
      );
      if (stored) folded.push(stored);
      await this.table.batchDelete(old.map((c) => keys.legacyContact(c.institutionId, c.email)));
    });
    return folded;
  }

  /**
   * Writes the item `next` makes of the institution's item as read, if no other write came between;
   * otherwise reads again. `written` is false when `next` found nothing to write; `stored` is the item
   * as it is afterwards.
   */
  private async edit(
    institutionId: string,
    next: (current: RosterItem | undefined) => RosterItem | undefined,
  ): Promise<{ written: boolean; stored: RosterItem | undefined }> {
    for (let attempt = 0; attempt < EDIT_ATTEMPTS; attempt++) {
      const current = (await this.table.get(rosterKey(institutionId))) as RosterItem | undefined;
      const item = next(current);
      if (!item) return { written: false, stored: current };
      const written = current
        ? await this.table.putIf(item, {
            expression: 'itemVersion = :v',
            values: { ':v': current.itemVersion },
          })
        : await this.table.putIfAbsent(item);
      if (written) return { written, stored: item };
    }
    throw new ConcurrentChangeError(
      `the contacts of ${institutionId} kept changing while being written; try again`,
    );
  }
}

/** Calls `write` for each of `work`, at most WRITES_AT_ONCE at a time. */
async function inParallel<T>(work: readonly T[], write: (t: T) => Promise<unknown>): Promise<void> {
  const pending = [...work];
  const worker = async () => {
    for (let next = pending.pop(); next !== undefined; next = pending.pop()) await write(next);
  };
  await Promise.all(Array.from({ length: Math.min(WRITES_AT_ONCE, pending.length) }, worker));
}

/** The contacts by institution. */
function byInstitution(contacts: readonly Contact[]): Map<string, Contact[]> {
  const groups = new Map<string, Contact[]>();
  for (const c of contacts) groups.set(c.institutionId, [...(groups.get(c.institutionId) ?? []), c]);
  return groups;
}

/** `contacts` with each of `replacing` in place of the one at its address, or added. */
function withContacts(contacts: readonly Contact[], replacing: readonly Contact[]): Contact[] {
  const byAddress = new Map(contacts.map((c) => [addressOf(c), c]));
  for (const c of replacing) byAddress.set(addressOf(c), c);
  return [...byAddress.values()];
}

/** The institution's item holding `contacts` (by address), one version on from `current`. */
function rosterItem(institutionId: string, contacts: readonly Contact[], current?: RosterItem): RosterItem {
  return {
    ...current,
    ...keys.contactsOf(institutionId),
    itemType: ROSTER,
    institutionId,
    contacts: [...contacts].sort((a, b) => (addressOf(a) < addressOf(b) ? -1 : 1)),
    itemVersion: (current?.itemVersion ?? 0) + 1,
  };
}
