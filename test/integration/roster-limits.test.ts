/**
 * Oversized input through the real `bangfu` process and the real store: refused whole, with a message
 * naming what to fix, and nothing written. The CLI finds the test's stack as it would a running
 * `bangfu up` of the same home.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ItemTooLargeError } from '../../functions/adapters/dynamo-store.ts';
import type { Contact } from '../../functions/domain/model.ts';
import { readSeedFiles, SHIPPED_SEEDS } from '../../functions/local/seed-files.ts';
import { writeStackFile } from '../../functions/local/stack-session.ts';
import { loadSeeds } from '../../functions/use-cases/load-seeds.ts';
import { bangfu } from './support/bangfu-cli.ts';
import { startTestStack, type TestStack } from './support/test-stack.ts';

interface SeedInstitution {
  id: string;
  name: string;
  note?: string;
}

let deployment: TestStack;
let work: string;
let institutions: SeedInstitution[];

beforeAll(async () => {
  deployment = await startTestStack();
  await writeStackFile(deployment.home, {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    endpoints: deployment.stack.endpoints,
  });
  await loadSeeds(deployment.store, await readSeedFiles());
  work = await mkdtemp(join(tmpdir(), 'bangfu-roster-limits-'));
  institutions = (
    JSON.parse(await readFile(join(SHIPPED_SEEDS, 'institutions.json'), 'utf8')) as {
      institutions: SeedInstitution[];
    }
  ).institutions;
});
afterAll(async () => {
  await deployment?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

/** 100 valid contacts at real institutions; the 61st data row is row 62 of the file. */
function hundredContacts(nameOfRow62 = '演示联络员', mailbox = 'coordinator'): Contact[] {
  return institutions.slice(0, 100).map((institution, i) => ({
    institutionId: institution.id,
    role: '联络员',
    name: i === 60 ? nameOfRow62 : `演示联络员${i + 1}`,
    email: `${mailbox}${i + 1}@example.org`,
  }));
}

async function rosterFile(fileName: string, contacts: readonly Contact[]): Promise<string> {
  const byId = new Map(institutions.map((i) => [i.id, i.name]));
  const lines = contacts.map((c) => `${byId.get(c.institutionId)},${c.role},${c.name},${c.email}`);
  const path = join(work, fileName);
  await writeFile(path, ['institution,role,name,email', ...lines, ''].join('\n'));
  return path;
}

const contactItems = async () => (await deployment.allItems()).filter((i) => i.itemType === 'contacts');

function expectUserError(result: { code: number; stderr: string }) {
  expect(result.code, result.stderr.slice(0, 2000)).toBe(1);
  expect(result.stderr).not.toContain('unexpected error');
  expect(result.stderr).not.toMatch(/^\s+at /m);
}

describe('bangfu roster import with an oversized field', () => {
  it('refuses 100 rows whole when row 62 has a 410,000-character name, writing nothing', async () => {
    const before = await deployment.allItems();
    const file = await rosterFile('long-name.csv', hundredContacts('x'.repeat(410_000)));

    const result = await bangfu(deployment.home, 'roster', 'import', file);

    expectUserError(result);
    expect(result.stderr).toContain('row 62, field "name": is too long: 410000 characters (at most 50)');
    expect(result.stderr).toContain('nothing was written');
    expect(result.stderr.length).toBeLessThan(2000);
    expect(await contactItems()).toEqual([]);
    expect(await deployment.allItems()).toEqual(before);
  });

  it('refuses a 300,000-character Chinese name (900 KB in UTF-8) the same way', async () => {
    const before = await deployment.allItems();
    const file = await rosterFile('long-chinese-name.csv', hundredContacts('张'.repeat(300_000)));

    const result = await bangfu(deployment.home, 'roster', 'import', file);

    expectUserError(result);
    expect(result.stderr).toContain('row 62, field "name": is too long: 300000 characters (at most 50)');
    expect(await contactItems()).toEqual([]);
    expect(await deployment.allItems()).toEqual(before);
  });
});

describe('the store refuses an item over 400 KB before writing any of its batch', () => {
  it.each([
    ['410,000 ASCII characters', 'x'.repeat(410_000), 410_000],
    // 300,000 characters pass a stand-in that counts characters; DynamoDB counts 900,000 bytes.
    ['300,000 Chinese characters', '张'.repeat(300_000), 900_000],
  ])('a name of %s on the 61st of 100 contacts', async (_label, name, nameBytes) => {
    const before = await deployment.allItems();
    const contacts = hundredContacts(name);

    const refusal = deployment.store.syncContacts(contacts).catch((error: unknown) => error);

    const error = await refusal;
    expect(error).toBeInstanceOf(ItemTooLargeError);
    const tooLarge = error as ItemTooLargeError;
    // The institution's contacts are one item, the one the name would not fit in.
    expect(tooLarge.itemKeys).toEqual({ PK: `INST#${contacts[60]?.institutionId}`, SK: 'CONTACTS' });
    expect(tooLarge.bytes).toBeGreaterThan(nameBytes);
    expect(tooLarge.message).toContain(`INST#${contacts[60]?.institutionId}`);
    expect(tooLarge.message).toContain(`${tooLarge.bytes} bytes`);
    expect(await deployment.allItems()).toEqual(before);
  });
});

describe('bangfu seed with an institution note of 900 KB', () => {
  it('exits 1 naming the item and its size, with no stack trace and nothing written', async () => {
    const before = await deployment.allItems();
    const seeds = join(work, 'seeds');
    await cp(SHIPPED_SEEDS, seeds, { recursive: true });
    const last = institutions.length - 1;
    const edited = institutions.map((institution, i) =>
      i === last ? { ...institution, note: '备'.repeat(300_000) } : institution,
    );
    await writeFile(join(seeds, 'institutions.json'), JSON.stringify({ institutions: edited }));

    const result = await bangfu(deployment.home, 'seed', '--dir', seeds);

    expectUserError(result);
    expect(result.stderr).toMatch(
      new RegExp(`item INST#${institutions[last]?.id} / META is \\d{6} bytes, over DynamoDB's limit`),
    );
    expect(await deployment.allItems()).toEqual(before);
  });
});

describe('bangfu roster import cut short', () => {
  it('is completed by running it again, which writes only what is missing', async () => {
    const contacts = hundredContacts('演示联络员', 'resumed');
    const file = await rosterFile('good.csv', contacts);
    // A run that stopped after two batches of 25 (one institution's item each here).
    await deployment.store.syncContacts(contacts.slice(0, 50));

    const again = await bangfu(deployment.home, 'roster', 'import', file);

    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/100 contact\(s\); 50 new, 0 changed, 50 unchanged/);
    const resumed = (await deployment.store.listContacts()).filter((c) => c.email.startsWith('resumed'));
    expect(resumed).toHaveLength(100);
    const third = await bangfu(deployment.home, 'roster', 'import', file);
    expect(third.stdout).toMatch(/100 contact\(s\); 0 new, 0 changed, 100 unchanged/);
  });
});
