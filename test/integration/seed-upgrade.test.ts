/**
 * `bangfu seed` upgrades a table loaded by an earlier version in place. The fixture is every item of a
 * table built by commit 488daa7 (before the reporting chain): both plans seeded, the demo roster
 * imported, one tick at 2022-02-21 09:00 Beijing time, one agreement submitted for 华安县医院 and
 * accepted by the Fujian provincial commission (the staff action and its audit entry).
 */
import { readFile } from 'node:fs/promises';
import { BatchWriteCommand, DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Contact } from '../../functions/domain/model.ts';
import type { StoredObligation } from '../../functions/domain/records.ts';
import { readSeedFiles } from '../../functions/local/seed-files.ts';
import { loadSeeds, type SeedLoadResult } from '../../functions/use-cases/load-seeds.ts';
import type { SyncCounts } from '../../functions/use-cases/ports.ts';
import { startTestStack, type TestStack } from './support/test-stack.ts';

const FIXTURE = new URL('../fixtures/table-488daa7.json', import.meta.url);
/** A city-routed Fujian pairing: its lead, 厦门大学附属第一医院, reports to the Xiamen commission. */
const HUAAN = 'fj-2021.fj-huaan-county-hospital';
const HUAAN_AGREEMENT = `${HUAAN}#agreement#2022`;

type Item = Record<string, unknown>;

let t: TestStack;
let before: Item[];
let firstSeed: SeedLoadResult;
let afterFirst: Item[];
let secondSeed: SeedLoadResult;
let after: Item[];

async function putAll(items: readonly Item[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let pending: Record<string, { PutRequest: { Item: Item } }[]> | undefined = {
      [t.stack.config.tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
    };
    while (pending && Object.keys(pending).length > 0) {
      const result = await t.clients.documents.send(new BatchWriteCommand({ RequestItems: pending }));
      pending = result.UnprocessedItems as typeof pending;
    }
  }
}

const itemsOfType = (items: readonly Item[], type: string) => items.filter((i) => i.itemType === type);
const keyOf = (item: Item) => `${item.PK}|${item.SK}`;
/** A contact as the old layout stored it: one item, its fields beside its keys. */
const contactOf = ({ institutionId, role, name, email, phone }: Item) =>
  ({ institutionId, role, name, email, ...(phone === undefined ? {} : { phone }) }) as Contact;
const byContactId = (a: Contact, b: Contact) => {
  const id = (c: Contact) => `${c.institutionId}#${c.email.toLowerCase()}`;
  return id(a) < id(b) ? -1 : 1;
};

beforeAll(async () => {
  t = await startTestStack();
  before = JSON.parse(await readFile(FIXTURE, 'utf8')) as Item[];
  await putAll(before);
  const seeds = await readSeedFiles();
  firstSeed = await loadSeeds(t.store, seeds);
  afterFirst = await t.allItems();
  secondSeed = await loadSeeds(t.store, seeds);
  after = await t.allItems();
});
afterAll(() => t?.stop());

describe('bangfu seed on a table seeded by 488daa7 (Fujian §三(一)–(二) reporting chain)', () => {
  it('starts from the old table: the Huaan agreement due on the plan’s 28 Feb, submitted and accepted', () => {
    const old = before.find((i) => i.itemType === 'obligation' && i.id === HUAAN_AGREEMENT);

    expect(old).toMatchObject({ dueDate: '2022-02-28', submittedAt: '2022-02-20T02:00:00.000Z' });
    expect(itemsOfType(before, 'forwarding')).toEqual([]);
  });

  it('moves a city-routed Fujian agreement to 21 Feb: 5 working days before the city’s 28 Feb', async () => {
    const huaan = (await t.store.listObligations('fj-2021')).find((o) => o.obligation.id === HUAAN_AGREEMENT);

    expect(huaan?.obligation).toMatchObject({
      dueDate: '2022-02-21',
      effectiveDueDate: '2022-02-21',
      collectorId: 'fj-xiamen-health-commission',
    });
    const changed = firstSeed.programmes.find((p) => p.id === 'fj-2021')?.obligations.updated ?? 0;
    expect(changed).toBeGreaterThan(0);
  });

  it('keeps what was recorded on the obligations: the submission time, the review, the audit log', async () => {
    const huaan = (await t.store.getObligation(HUAAN, 'agreement', 2022)) as StoredObligation;
    const old = before.find((i) => i.id === HUAAN_AGREEMENT) as Item & { auditLog: unknown[] };

    expect(huaan.record.submittedAt).toBe('2022-02-20T02:00:00.000Z');
    expect(huaan.record.review).toMatchObject({ outcome: 'accepted', reason: 'fixture' });
    expect(huaan.record.review).toEqual(old.review);
    // A staff action's audit entry lives on the obligation it changed, written with the change.
    expect(huaan.audit?.map((e) => [e.action, e.reason])).toEqual([['accept', 'fixture']]);
    expect(huaan.audit).toEqual(old.auditLog);
  });

  it('creates the city commissions’ forwardings the old table did not have', async () => {
    const forwardings = await t.store.listForwardings('fj-2021');
    const xiamen = forwardings.find(
      (f) =>
        f.forwarding.commissionId === 'fj-xiamen-health-commission' &&
        f.forwarding.kind === 'agreement-forwarding',
    );

    expect(firstSeed.programmes.every((p) => p.forwardings.created > 0)).toBe(true);
    expect(xiamen?.forwarding).toMatchObject({ dueDate: '2022-02-28', year: 2022 });
    expect(xiamen?.forwarding.pairingIds).toContain(HUAAN);
  });

  it('keeps every submission, upload link and document item unchanged', () => {
    const byKey = new Map(after.map((i) => [keyOf(i), i]));
    for (const type of ['submission', 'upload-link', 'document']) {
      const old = itemsOfType(before, type);
      expect(old.length, type).toBeGreaterThan(0);
      for (const item of old) expect(byKey.get(keyOf(item)), `${type} ${keyOf(item)}`).toEqual(item);
    }
  });

  it('moves every reminder record into one item per obligation and stage, each field kept', async () => {
    const old = itemsOfType(before, 'reminder').map(
      ({ PK, SK, GSI1PK, GSI1SK, itemType, ...record }) => record,
    );
    const moved = [
      ...(await t.store.remindersOfProgramme('fj-2021')),
      ...(await t.store.remindersOfProgramme('js-2022')),
    ];
    const id = (r: { obligationId: unknown; stage: unknown; email: unknown }) =>
      `${r.obligationId}|${r.stage}|${r.email}`;

    expect(old.length).toBeGreaterThan(0);
    expect(itemsOfType(after, 'reminder')).toEqual([]);
    expect(firstSeed.programmes.reduce((n, p) => n + p.remindersUpgraded, 0)).toBe(old.length);
    expect(secondSeed.programmes.every((p) => p.remindersUpgraded === 0)).toBe(true);
    const byId = new Map(moved.map((r) => [id(r), r]));
    expect(moved).toHaveLength(old.length);
    for (const record of old) expect(byId.get(id(record as never)), id(record as never)).toEqual(record);
  });

  it('still holds each moved address: a new run cannot claim it again, however old the claim', async () => {
    const [sent] = await t.store.remindersOfProgramme('fj-2021');
    if (!sent) throw new Error('the fixture has no Fujian reminder');
    const again = { ...sent, runId: 'a-later-run', status: 'dispatched' as const };

    expect(await t.store.claimReminders([again], '2099-01-01T00:00:00.000Z')).toBe(false);
  });

  it('keeps every contact of the roster (Jiangsu §七(一)), as one item per institution in place of one per contact', async () => {
    const old = itemsOfType(before, 'contact');
    const institutions = new Set(old.map((c) => c.institutionId));

    expect(old.length).toBeGreaterThan(0);
    expect(firstSeed.layout.itemsReplaced).toBe(old.length);
    expect(itemsOfType(after, 'contact')).toEqual([]);
    expect(itemsOfType(after, 'contacts')).toHaveLength(institutions.size);
    expect(await t.store.listContacts()).toEqual(old.map(contactOf).sort(byContactId));
    const huaan = old.filter((c) => c.institutionId === 'fj-huaan-county-hospital').map(contactOf);
    expect(huaan.length).toBeGreaterThan(0);
    expect(await t.store.contactsOfMany(['fj-huaan-county-hospital'])).toEqual(huaan);
  });

  it('changes nothing when run a second time', () => {
    const changes = (counts: SyncCounts) => counts.created + counts.updated;

    expect(secondSeed.layout.itemsReplaced).toBe(0);
    expect(after).toEqual(afterFirst);

    expect(changes(secondSeed.institutions)).toBe(0);
    for (const programme of secondSeed.programmes) {
      expect(changes(programme.pairings), programme.id).toBe(0);
      expect(changes(programme.obligations), programme.id).toBe(0);
      expect(changes(programme.forwardings), programme.id).toBe(0);
      expect(programme.obligations.unchanged, programme.id).toBeGreaterThan(0);
    }
  });

  it('an upgrade cut short is finished by the next seed, bringing back no contact removed in between', async () => {
    const old = itemsOfType(before, 'contact');
    const [removed] = old;
    if (!removed) throw new Error('the fixture has contacts');
    const edited = old.find((c) => c.institutionId !== removed.institutionId) as Item;
    const editedOld = old.filter((c) => c.institutionId === edited.institutionId);
    // Cut short after writing `removed`'s institution's item: its old items are still there; then an
    // admin removes the contact. `edited`'s institution was never folded, and an admin adds a contact.
    await putAll(old.filter((c) => c.institutionId === removed.institutionId));
    expect(await t.store.removeContact(String(removed.institutionId), String(removed.email))).toBe(true);
    await t.clients.documents.send(
      new DeleteCommand({
        TableName: t.stack.config.tableName,
        Key: { PK: `INST#${edited.institutionId}`, SK: 'CONTACTS' },
      }),
    );
    await putAll(editedOld);
    const added: Contact = {
      institutionId: String(edited.institutionId),
      role: '联络员',
      name: '新联络员',
      email: 'added@example.org',
    };
    await t.store.putContact(added);

    const rerun = await loadSeeds(t.store, await readSeedFiles());

    const replaced = old.filter((c) => c.institutionId === removed.institutionId).length + editedOld.length;
    expect(rerun.layout.itemsReplaced).toBe(replaced);
    expect(itemsOfType(await t.allItems(), 'contact')).toEqual([]);
    expect(
      (await t.store.contactsOf(String(removed.institutionId))).map((c) => c.email.toLowerCase()),
    ).not.toContain(String(removed.email).toLowerCase());
    expect(await t.store.contactsOf(String(edited.institutionId))).toEqual(
      [...editedOld.map(contactOf), added].sort(byContactId),
    );
  });
});
