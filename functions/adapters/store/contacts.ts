/**
 * The roster (each institution's coordinators) and what is known about their addresses: one SES
 * refused, bounced or complained of is marked, and no mail of any kind goes there again.
 */
import type { Contact } from '../../domain/model.ts';
import type { AddressStatus } from '../../domain/records.ts';
import type { SyncCounts } from '../../use-cases/ports.ts';
import { keys, TABLE_KEYS } from '../dynamo-keys.ts';
import { writeChanges } from './sync.ts';
import { entity, type Table } from './table.ts';

/** A contact's identity: one address per institution, whatever its case. */
const contactId = (c: Contact) => `${c.institutionId}#${c.email.toLowerCase()}`;

export class DynamoContacts {
  constructor(private readonly table: Table) {}

  async listContacts(): Promise<Contact[]> {
    const items = await this.table.index(TABLE_KEYS.byProgramme, keys.allContacts().GSI1PK);
    return items.map((item) => entity<Contact>(item));
  }

  async contactsOf(institutionId: string): Promise<Contact[]> {
    const items = await this.table.partition(`INST#${institutionId}`, 'CONTACT#', { consistent: false });
    return items.map((item) => entity<Contact>(item));
  }

  /**
   * The contacts of each institution, each read once: one Query per institution (its contacts are its
   * partition's CONTACT# items), eight at a time. Contacts are edited one by one by admins and the
   * roster import, so they are kept as items of their own rather than folded into one item per
   * institution that a BatchGet could read: the tick reads each institution once a run instead.
   */
  async contactsOfMany(institutionIds: readonly string[]): Promise<Contact[]> {
    const pending = [...new Set(institutionIds)];
    const found: Contact[][] = [];
    const worker = async () => {
      for (let id = pending.pop(); id !== undefined; id = pending.pop())
        found.push(await this.contactsOf(id));
    };
    await Promise.all(Array.from({ length: Math.min(8, pending.length) }, worker));
    return found.flat();
  }

  /** Writes the contacts that differ from the stored ones; contacts not in `contacts` are kept. */
  async syncContacts(contacts: readonly Contact[]): Promise<SyncCounts> {
    const wanted = new Set(contacts.map(contactId));
    const existing = (await this.listContacts()).filter((c) => wanted.has(contactId(c)));
    return writeChanges(existing, contacts, contactId, (changed) =>
      this.table.batchPut(
        changed.map((c) => ({ ...keys.contact(c.institutionId, c.email), itemType: 'contact', ...c })),
      ),
    );
  }

  /** An admin's correction: the contact as given, whatever was stored under its key. */
  async putContact(contact: Contact): Promise<void> {
    await this.table.put({
      ...keys.contact(contact.institutionId, contact.email),
      itemType: 'contact',
      ...contact,
    });
  }

  /** Deletes the contact if it is there; false when it is not. No reminder reaches it afterwards. */
  async removeContact(institutionId: string, email: string): Promise<boolean> {
    const { PK, SK } = keys.contact(institutionId, email);
    return this.table.deleteIf({ PK, SK }, { expression: 'attribute_exists(PK)' });
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
}
