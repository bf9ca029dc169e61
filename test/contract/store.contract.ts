/**
 * What every store must do, asserted the same way against the in-memory twin (test/fast/) and the
 * DynamoDB store on the embedded stack (test/integration/): a fast test never passes on behaviour
 * DynamoDB would refuse. `make` gives an empty store for each case.
 */
import { describe, expect, it } from 'vitest';
import { ConcurrentChangeError, ItemTooLargeError } from '../../functions/adapters/dynamo-store.ts';
import type { ObligationRecord } from '../../functions/domain/model.ts';
import type { ReminderRecord, StoredObligation, UploadLinkRecord } from '../../functions/domain/records.ts';
import type { AuditEntry } from '../../functions/domain/staff-actions.ts';
import type { Submission } from '../../functions/domain/submission.ts';
import type { AppStore } from '../../functions/use-cases/ports.ts';
import {
  contact,
  documentRecord,
  fujian,
  fujianObligations,
  fujianPairings,
  HUAAN,
  institutions,
  jiangsu,
  reminder,
  submission,
  uploadLink,
  uploadSlot,
} from './fixtures.ts';

/** The store ports, and what both stores offer beyond them that the cases read: versions, every kind of fact. */
export type StoreUnderTest = Omit<AppStore, 'getObligation' | 'recordObligationFacts'> & {
  getObligation(pairingId: string, kind: string, year: number): Promise<StoredObligation | undefined>;
  recordObligationFacts(
    pairingId: string,
    kind: string,
    year: number,
    facts: Partial<ObligationRecord>,
  ): Promise<StoredObligation>;
  submissionsOfObligation(pairingId: string, kind: string, year: number): Promise<Submission[]>;
};

const AGREEMENT = `${HUAAN}#agreement#2022`;
/** Who acted, in the audit entries the cases write. */
const ADMIN: AuditEntry['actor'] = {
  subject: 'sub-1',
  email: 'admin@staff.bangfu.example.org',
  name: '管理员',
  commissionId: 'fj-provincial-commission',
  role: 'admin',
};
const ids = (list: readonly { obligation: { id: string } }[]) => list.map((s) => s.obligation.id);

export function storeContract(make: () => Promise<StoreUnderTest>) {
  /** A store holding the Fujian programme with three pairings and their obligations. */
  async function withPlans(): Promise<StoreUnderTest> {
    const store = await make();
    await store.syncInstitutions(institutions);
    await store.syncProgramme(fujian.programme);
    await store.syncPairings('fj-2021', fujianPairings());
    await store.syncObligations('fj-2021', fujianObligations());
    return store;
  }

  describe('plans', () => {
    it('a second sync of the same plans writes nothing and counts everything unchanged', async () => {
      const store = await make();
      const pairings = fujian.pairings.slice(0, 5);
      const obligations = fujianObligations(5);
      expect(await store.syncInstitutions(institutions)).toEqual({
        created: institutions.length,
        updated: 0,
        unchanged: 0,
      });
      expect(await store.syncProgramme(fujian.programme)).toEqual({ created: 1, updated: 0, unchanged: 0 });
      expect(await store.syncPairings('fj-2021', pairings)).toEqual({ created: 5, updated: 0, unchanged: 0 });
      expect(await store.syncObligations('fj-2021', obligations)).toEqual({
        created: obligations.length,
        updated: 0,
        unchanged: 0,
      });

      expect(await store.syncInstitutions(institutions)).toEqual({
        created: 0,
        updated: 0,
        unchanged: institutions.length,
      });
      expect(await store.syncProgramme(fujian.programme)).toEqual({ created: 0, updated: 0, unchanged: 1 });
      expect(await store.syncPairings('fj-2021', pairings)).toEqual({ created: 0, updated: 0, unchanged: 5 });
      expect(await store.syncObligations('fj-2021', obligations)).toEqual({
        created: 0,
        updated: 0,
        unchanged: obligations.length,
      });
    });

    it('a sync rewrites only the entity that changed', async () => {
      const store = await make();
      await store.syncInstitutions(institutions);
      const [first, ...rest] = institutions;
      const renamed = { ...(first as (typeof institutions)[number]), name: '改名后的医院' };
      expect(await store.syncInstitutions([renamed, ...rest])).toEqual({
        created: 0,
        updated: 1,
        unchanged: rest.length,
      });
      expect((await store.listInstitutions()).find((i) => i.id === renamed.id)?.name).toBe('改名后的医院');
    });

    it('lists institutions, programmes and pairings as synced, each in id order', async () => {
      const store = await make();
      await store.syncInstitutions(institutions);
      await store.syncProgramme(jiangsu.programme);
      await store.syncProgramme(fujian.programme);
      await store.syncPairings('fj-2021', [...fujian.pairings].reverse());
      await store.syncPairings('js-2022', jiangsu.pairings);

      const byId = <T extends { id: string }>(list: readonly T[]) =>
        [...list].sort((a, b) => (a.id < b.id ? -1 : 1));
      expect(await store.listInstitutions()).toEqual(byId(institutions));
      expect(await store.listProgrammes()).toEqual([fujian.programme, jiangsu.programme]);
      expect(await store.listPairings('fj-2021')).toEqual(byId(fujian.pairings));
      expect(await store.listPairings('js-2022')).toHaveLength(jiangsu.pairings.length);
      const wanted = [HUAAN, HUAAN, 'js-2022.nowhere', jiangsu.pairings[0]?.id as string];
      const got = await store.getPairings(wanted);
      expect(got.map((p) => p.id).sort()).toEqual([HUAAN, jiangsu.pairings[0]?.id].sort());
    });

    it('lists obligations in order of their due date in force', async () => {
      const store = await withPlans();
      const listed = await store.listObligations('fj-2021');
      expect(listed).toHaveLength(fujianObligations().length);
      const dues = listed.map((s) => `${s.obligation.effectiveDueDate}#${s.obligation.id}`);
      expect(dues).toEqual([...dues].sort());
      expect(listed.every((s) => Object.keys(s.record).length === 0)).toBe(true);
    });

    it('lists only one kind’s obligations, or one kind’s of one year, for a document of that kind', async () => {
      const store = await withPlans();
      const all = await store.listObligations('fj-2021');
      const annual2023 = all.filter(
        (s) => s.obligation.kind === 'annual-report' && s.obligation.year === 2023,
      );
      const agreements = all.filter((s) => s.obligation.kind === 'agreement');

      expect(annual2023.length).toBeGreaterThan(0);
      expect(await store.listObligations('fj-2021', { kind: 'annual-report', year: 2023 })).toEqual(
        annual2023,
      );
      expect(await store.listObligations('fj-2021', { kind: 'agreement' })).toEqual(agreements);
      expect(await store.listObligations('fj-2021', { kind: 'agreement', year: 1999 })).toEqual([]);
    });

    it('getObligation reads the facts just recorded, and the version moves on with each write', async () => {
      const store = await withPlans();
      const before = await store.getObligation(HUAAN, 'agreement', 2022);
      expect(before?.record).toEqual({});

      const recorded = await store.recordObligationFacts(HUAAN, 'agreement', 2022, {
        submittedAt: '2022-02-23T02:00:00.000Z',
      });
      const after = await store.getObligation(HUAAN, 'agreement', 2022);
      expect(after?.record).toEqual({ submittedAt: '2022-02-23T02:00:00.000Z' });
      expect(after?.obligation).toEqual(before?.obligation);
      expect(after).toEqual(recorded);
      expect(after?.version).toBe((before?.version ?? 0) + 1);
    });

    it('recording facts keeps the facts recorded before, and an extension moves the due date in force', async () => {
      const store = await withPlans();
      await store.recordObligationFacts(HUAAN, 'agreement', 2022, { extendedTo: '2022-03-15' });
      await store.recordObligationFacts(HUAAN, 'agreement', 2022, {
        submittedAt: '2022-03-10T02:00:00.000Z',
      });
      const stored = await store.getObligation(HUAAN, 'agreement', 2022);
      expect(stored?.record).toEqual({ extendedTo: '2022-03-15', submittedAt: '2022-03-10T02:00:00.000Z' });
      expect(stored?.obligation).toMatchObject({ dueDate: '2022-02-21', effectiveDueDate: '2022-03-15' });
    });

    it('recording facts about an obligation that does not exist is refused', async () => {
      const store = await withPlans();
      await expect(
        store.recordObligationFacts(HUAAN, 'agreement', 2031, { submittedAt: '2031-01-01T00:00:00.000Z' }),
      ).rejects.toThrow(RangeError);
    });

    it('a sync of the plans again keeps what was recorded about an obligation', async () => {
      const store = await withPlans();
      await store.recordObligationFacts(HUAAN, 'agreement', 2022, {
        submittedAt: '2022-02-23T02:00:00.000Z',
      });
      await store.recordObligationFacts(HUAAN, 'annual-report', 2022, { extendedTo: '2022-12-20' });

      const counts = await store.syncObligations('fj-2021', fujianObligations());
      expect(counts).toEqual({ created: 0, updated: 0, unchanged: fujianObligations().length });
      expect((await store.getObligation(HUAAN, 'agreement', 2022))?.record).toEqual({
        submittedAt: '2022-02-23T02:00:00.000Z',
      });
      expect((await store.getObligation(HUAAN, 'annual-report', 2022))?.obligation.effectiveDueDate).toBe(
        '2022-12-20',
      );

      // A plan whose agreement moved to 15 March: the definition changes, the submission stays.
      const moved = fujianObligations().map((o) =>
        o.id === AGREEMENT ? { ...o, dueDate: '2022-03-15', effectiveDueDate: '2022-03-15' } : o,
      );
      expect(await store.syncObligations('fj-2021', moved)).toMatchObject({ updated: 1 });
      const agreement = await store.getObligation(HUAAN, 'agreement', 2022);
      expect(agreement?.obligation.dueDate).toBe('2022-03-15');
      expect(agreement?.record.submittedAt).toBe('2022-02-23T02:00:00.000Z');
    });
  });

  describe('obligations by key, for a city commission’s reminder counts (Fujian §三(一))', () => {
    it('reads the named obligations that exist, each once, with what was recorded', async () => {
      const store = await withPlans();
      await store.recordObligationFacts(HUAAN, 'agreement', 2022, {
        submittedAt: '2022-02-18T02:00:00.000Z',
      });
      const got = await store.getObligations([
        { pairingId: HUAAN, kind: 'agreement', year: 2022 },
        { pairingId: HUAAN, kind: 'agreement', year: 2022 },
        { pairingId: HUAAN, kind: 'annual-report', year: 2023 },
        { pairingId: HUAAN, kind: 'agreement', year: 2031 },
      ]);
      expect(got.map((s) => s.obligation.id).sort()).toEqual([
        `${HUAAN}#agreement#2022`,
        `${HUAAN}#annual-report#2023`,
      ]);
      expect(got.find((s) => s.obligation.kind === 'agreement')?.record).toEqual({
        submittedAt: '2022-02-18T02:00:00.000Z',
      });
      expect(await store.getObligations([])).toEqual([]);
    });

    it('reads one pairing’s obligations from its own partition, as the programme lists them', async () => {
      const store = await withPlans();
      await store.recordObligationFacts(HUAAN, 'agreement', 2022, {
        submittedAt: '2022-02-18T02:00:00.000Z',
      });
      const listed = (await store.listObligations('fj-2021')).filter((o) => o.obligation.pairingId === HUAAN);

      const own = await store.obligationsOfPairing(HUAAN);
      expect(own.length).toBeGreaterThan(1);
      expect(own).toEqual(listed);
      expect(await store.obligationsOfPairing('fj-2021.fj-nobody')).toEqual([]);
    });
  });

  describe('institutions as the tick reads them: by id and by place, never the whole list', () => {
    it('reads the institutions of the ids given that exist, each once', async () => {
      const store = await make();
      await store.syncInstitutions(institutions);
      const got = await store.getInstitutions([
        'fj-huaan-county-hospital',
        'fj-provincial-commission',
        'fj-huaan-county-hospital',
        'fj-nowhere',
      ]);
      expect(got.map((i) => i.id).sort()).toEqual(['fj-huaan-county-hospital', 'fj-provincial-commission']);
      expect(got.find((i) => i.id === 'fj-provincial-commission')).toEqual(
        institutions.find((i) => i.id === 'fj-provincial-commission'),
      );
      expect(await store.getInstitutions([])).toEqual([]);
    });

    it('finds the city commission of a place and the government of its county (Fujian §三(一), the agreement’s third party)', async () => {
      const store = await make();
      await store.syncInstitutions(institutions);
      const huaan = { province: '福建省', city: '漳州市', county: '华安县' };
      const got = await store.authoritiesOf([huaan, { province: '福建省', city: '厦门市' }]);
      expect(got.map((i) => i.id).sort()).toEqual([
        'fj-huaan-county-government',
        'fj-xiamen-health-commission',
        'fj-zhangzhou-health-commission',
      ]);
      expect(await store.authoritiesOf([{ province: '无此省', city: '无此市' }])).toEqual([]);
      expect(await store.authoritiesOf([])).toEqual([]);
    });

    it('an institution re-synced with another county is found at its new place, not its old one', async () => {
      const store = await make();
      await store.syncInstitutions(institutions);
      const huaan = { province: '福建省', city: '漳州市', county: '华安县' };
      const government = institutions.find(
        (i) => i.id === 'fj-huaan-county-government',
      ) as (typeof institutions)[number];
      const moved = { ...government, place: { ...huaan, county: '新设县' } };
      expect(await store.syncInstitutions([moved])).toMatchObject({ updated: 1 });
      expect((await store.authoritiesOf([{ ...huaan, county: '新设县' }])).map((i) => i.id).sort()).toEqual([
        'fj-huaan-county-government',
        'fj-zhangzhou-health-commission',
      ]);
      expect((await store.authoritiesOf([huaan])).map((i) => i.id)).toEqual([
        'fj-zhangzhou-health-commission',
      ]);
    });
  });

  describe('staff actions on an obligation', () => {
    const entry = (version: number, action: AuditEntry['action']): AuditEntry => ({
      id: `${AGREEMENT}#${version}`,
      at: '2022-03-02T01:00:00.000Z',
      actor: ADMIN,
      action,
      obligationId: AGREEMENT,
      reason: '测试',
    });

    it('a change and its audit entry are written together, and the version moves on', async () => {
      const store = await withPlans();
      const current = (await store.getObligation(HUAAN, 'agreement', 2022)) as StoredObligation;
      const written = await store.replaceObligationRecord(
        current,
        { extendedTo: '2022-03-15' },
        entry(current.version + 1, 'extend'),
      );
      const stored = await store.getObligation(HUAAN, 'agreement', 2022);
      expect(stored).toEqual(written);
      expect(stored?.version).toBe(current.version + 1);
      expect(stored?.obligation.effectiveDueDate).toBe('2022-03-15');
      expect(stored?.audit?.map((a) => a.id)).toEqual([`${AGREEMENT}#${current.version + 1}`]);
    });

    it('of two changes from the same read, the second is refused and writes nothing', async () => {
      const store = await withPlans();
      const read = (await store.getObligation(HUAAN, 'agreement', 2022)) as StoredObligation;
      await store.replaceObligationRecord(
        read,
        { exemptedAt: '2022-03-02T01:00:00.000Z' },
        entry(read.version + 1, 'exempt'),
      );
      await expect(
        store.replaceObligationRecord(read, { extendedTo: '2022-03-15' }, entry(read.version + 1, 'extend')),
      ).rejects.toThrow(ConcurrentChangeError);
      const stored = await store.getObligation(HUAAN, 'agreement', 2022);
      expect(stored?.record).toEqual({ exemptedAt: '2022-03-02T01:00:00.000Z' });
      expect(stored?.audit).toHaveLength(1);
    });

    it('a removed fact is gone, and the audit log survives recorded facts and a sync of the plans', async () => {
      const store = await withPlans();
      const read = (await store.getObligation(HUAAN, 'agreement', 2022)) as StoredObligation;
      const exempt = await store.replaceObligationRecord(
        read,
        { exemptedAt: '2022-03-02T01:00:00.000Z' },
        entry(read.version + 1, 'exempt'),
      );
      await store.replaceObligationRecord(exempt, {}, entry(exempt.version + 1, 'unexempt'));
      await store.recordObligationFacts(HUAAN, 'agreement', 2022, {
        submittedAt: '2022-03-05T02:00:00.000Z',
      });
      await store.syncObligations(
        'fj-2021',
        fujianObligations().map((o) => ({ ...o, opensOn: '2022-01-02' })),
      );
      const stored = await store.getObligation(HUAAN, 'agreement', 2022);
      expect(stored?.record).toEqual({ submittedAt: '2022-03-05T02:00:00.000Z' });
      expect(stored?.audit?.map((a) => a.action)).toEqual(['exempt', 'unexempt']);
    });
  });

  describe('the audit log beyond obligations', () => {
    const auditEntry = (id: string, at: string, overrides: Partial<AuditEntry> = {}): AuditEntry => ({
      id,
      at,
      actor: ADMIN,
      action: 'links-revoked',
      programmeId: 'fj-2021',
      pairingId: HUAAN,
      before: {
        links: [{ obligationId: AGREEMENT, institutionId: 'fj-huaan-county-hospital', generation: 1 }],
      },
      after: {
        links: [{ obligationId: AGREEMENT, institutionId: 'fj-huaan-county-hospital', generation: 2 }],
      },
      ...overrides,
    });
    const signIn = (minute: string) => {
      const {
        pairingId: _,
        before: __,
        after: ___,
        ...entry
      } = auditEntry(`sign-in#sub-1#2022-03-02T${minute}Z`, `2022-03-02T${minute}:10.000Z`, {
        action: 'sign-in',
      });
      return entry;
    };

    it('an entry is written once: a second with its id is refused and changes nothing', async () => {
      const store = await make();
      const first = auditEntry('links-revoked#a', '2022-03-02T01:00:00.000Z', { reason: '联络员离职' });
      expect(await store.appendAudit(first)).toBe(true);
      expect(
        await store.appendAudit({ ...first, at: '2022-03-02T01:00:40.000Z', reason: '另一个原因' }),
      ).toBe(false);
      expect(await store.appendAudit(signIn('01:00'))).toBe(true);
      expect(await store.appendAudit({ ...signIn('01:00'), at: '2022-03-02T01:00:50.000Z' })).toBe(false);

      expect(await store.auditEntries({ pairingId: HUAAN })).toEqual([first]);
      expect(await store.auditEntries({ programmeId: 'fj-2021' })).toEqual([first, signIn('01:00')]);
    });

    it('lists a pairing’s entries, or a programme’s with its pairings’, oldest first and from `since` on', async () => {
      const store = await make();
      const songxi = 'fj-2021.fj-songxi-county-hospital';
      const late = auditEntry('links-revoked#z-first-by-id', '2022-03-05T01:00:00.000Z');
      const early = auditEntry('links-revoked#y', '2022-03-01T01:00:00.000Z');
      const same = auditEntry('links-revoked#x', '2022-03-05T01:00:00.000Z');
      const other = auditEntry('links-revoked#o', '2022-03-03T01:00:00.000Z', { pairingId: songxi });
      const contactChange = auditEntry('contact#c', '2022-03-04T01:00:00.000Z', {
        action: 'contact-change',
        pairingId: undefined,
        before: { name: '旧' },
        after: { name: '新' },
      });
      const jiangsu = auditEntry('sign-in#js', '2022-03-04T02:00:00.000Z', {
        action: 'sign-in',
        programmeId: 'js-2022',
        pairingId: undefined,
      });
      for (const entry of [late, early, same, other, contactChange, jiangsu])
        expect(await store.appendAudit(entry)).toBe(true);

      const { pairingId: _, ...programmeChange } = contactChange;
      const ids = (list: readonly AuditEntry[]) => list.map((e) => e.id);
      expect(await store.auditEntries({ pairingId: HUAAN })).toEqual([early, same, late]);
      expect(ids(await store.auditEntries({ pairingId: songxi }))).toEqual(['links-revoked#o']);
      expect(await store.auditEntries({ programmeId: 'fj-2021' })).toEqual([
        early,
        other,
        programmeChange,
        same,
        late,
      ]);
      expect(
        ids(await store.auditEntries({ programmeId: 'fj-2021', since: '2022-03-04T01:00:00.000Z' })),
      ).toEqual(['contact#c', 'links-revoked#x', 'links-revoked#z-first-by-id']);
      expect(ids(await store.auditEntries({ pairingId: HUAAN, since: '2022-03-05T01:00:00.000Z' }))).toEqual([
        'links-revoked#x',
        'links-revoked#z-first-by-id',
      ]);
      expect(ids(await store.auditEntries({ programmeId: 'js-2022' }))).toEqual(['sign-in#js']);
      expect(await store.auditEntries({ pairingId: 'fj-2021.fj-nowhere' })).toEqual([]);
    });

    it('refuses an entry that names no programme, and a query that names no pairing or programme', async () => {
      const store = await make();
      const { programmeId: _, ...homeless } = auditEntry('links-revoked#h', '2022-03-02T01:00:00.000Z');
      await expect(store.appendAudit(homeless)).rejects.toThrow(RangeError);
      await expect(store.auditEntries({})).rejects.toThrow(RangeError);
      await expect(store.auditEntries({ since: '2022-01-01T00:00:00.000Z' })).rejects.toThrow(RangeError);
    });
  });

  describe('the due-date index', () => {
    it('holds the obligations awaiting submission whose due date in force is in the window, ends included', async () => {
      const store = await withPlans();
      const due = await store.openObligationsDueBetween('fj-2021', '2022-02-21', '2022-02-21');
      expect(ids(due)).toContain(AGREEMENT);
      expect(due.every((s) => s.obligation.effectiveDueDate === '2022-02-21')).toBe(true);
      expect(due).toHaveLength(3);
      expect(await store.openObligationsDueBetween('fj-2021', '2022-02-22', '2022-12-01')).toEqual([]);
      expect(await store.openObligationsDueBetween('js-2022', '2022-01-01', '2022-12-31')).toEqual([]);
    });

    it('a window across New Year finds the obligations due on both sides, in due-date order', async () => {
      const store = await withPlans();
      const due = await store.openObligationsDueBetween('fj-2021', '2022-12-02', '2023-12-01');
      expect(new Set(due.map((s) => s.obligation.effectiveDueDate))).toEqual(
        new Set(['2022-12-02', '2023-12-01']),
      );
      expect(due).toHaveLength(6);
      const order = due.map((s) => `${s.obligation.effectiveDueDate}#${s.obligation.id}`);
      expect(order).toEqual([...order].sort());
    });

    it('is sparse: a submitted or exempt obligation leaves it, a returned one comes back', async () => {
      const store = await withPlans();
      const dueOnTheDay = async () =>
        ids(await store.openObligationsDueBetween('fj-2021', '2022-02-21', '2022-02-21'));

      await store.recordObligationFacts(HUAAN, 'agreement', 2022, {
        submittedAt: '2022-02-23T02:00:00.000Z',
      });
      expect(await dueOnTheDay()).not.toContain(AGREEMENT);
      expect(await dueOnTheDay()).toHaveLength(2);
      // Still an obligation of the programme: only the index forgets it.
      expect(ids(await store.listObligations('fj-2021'))).toContain(AGREEMENT);

      await store.recordObligationFacts(HUAAN, 'agreement', 2022, {
        review: { outcome: 'returned', at: '2022-02-24T02:00:00.000Z', reason: '缺少县政府盖章' },
      });
      expect(await dueOnTheDay()).toContain(AGREEMENT);

      await store.recordObligationFacts(HUAAN, 'agreement', 2022, { exemptedAt: '2022-02-25T02:00:00.000Z' });
      expect(await dueOnTheDay()).not.toContain(AGREEMENT);
    });

    it('pages through the same obligations, in the same order, at most the page size at a time', async () => {
      const store = await withPlans();
      const pages: { obligation: { id: string } }[][] = [];
      for await (const page of store.openObligationsDuePages('fj-2021', '2022-01-01', '2023-12-31', 2))
        pages.push(page);
      expect(pages.length).toBeGreaterThan(1);
      expect(pages.every((page) => page.length > 0 && page.length <= 2)).toBe(true);
      expect(ids(pages.flat())).toEqual(
        ids(await store.openObligationsDueBetween('fj-2021', '2022-01-01', '2023-12-31')),
      );
      const none: unknown[][] = [];
      for await (const page of store.openObligationsDuePages('js-2022', '2022-01-01', '2022-12-31', 2))
        none.push(page);
      expect(none).toEqual([]);
    });

    it('an extension moves the obligation to its new due date', async () => {
      const store = await withPlans();
      await store.recordObligationFacts(HUAAN, 'agreement', 2022, { extendedTo: '2022-03-15' });
      expect(ids(await store.openObligationsDueBetween('fj-2021', '2022-02-21', '2022-02-21'))).not.toContain(
        AGREEMENT,
      );
      const moved = await store.openObligationsDueBetween('fj-2021', '2022-03-15', '2022-03-15');
      expect(ids(moved)).toEqual([AGREEMENT]);
      expect(moved[0]?.record).toEqual({ extendedTo: '2022-03-15' });
    });
  });

  describe('contacts and address statuses (Jiangsu §七(一): each side names who is responsible)', () => {
    it('syncs the roster by institution and address in any case, keeping contacts not in the file', async () => {
      const store = await make();
      expect(
        await store.syncContacts([
          contact(1),
          contact(2),
          contact(3, { institutionId: 'fj-huaan-county-government' }),
        ]),
      ).toEqual({
        created: 3,
        updated: 0,
        unchanged: 0,
      });
      const renamed = contact(2, { name: '新联络员', email: 'COORDINATOR2@example.org' });
      expect(await store.syncContacts([renamed])).toEqual({ created: 0, updated: 1, unchanged: 0 });
      expect(await store.syncContacts([renamed])).toEqual({ created: 0, updated: 0, unchanged: 1 });

      expect(await store.contactsOf('fj-huaan-county-hospital')).toEqual([contact(1), renamed]);
      expect(await store.listContacts()).toHaveLength(3);
      expect(await store.contactsOf('fj-nowhere')).toEqual([]);
    });

    it('reads the contacts of many institutions at once, each institution once', async () => {
      const store = await make();
      await store.syncContacts([
        contact(1),
        contact(2),
        contact(3, { institutionId: 'fj-huaan-county-government' }),
        contact(4, { institutionId: 'fj-provincial-commission' }),
      ]);
      const got = await store.contactsOfMany([
        'fj-huaan-county-hospital',
        'fj-huaan-county-government',
        'fj-huaan-county-hospital',
        'fj-nowhere',
      ]);
      const byAddress = (list: readonly { email: string }[]) =>
        [...list].sort((a, b) => (a.email < b.email ? -1 : 1));
      expect(byAddress(got)).toEqual(
        byAddress([contact(1), contact(2), contact(3, { institutionId: 'fj-huaan-county-government' })]),
      );
      expect(await store.contactsOfMany([])).toEqual([]);
    });

    it('refuses an item over 400 KB before writing any contact of the batch', async () => {
      const store = await make();
      const contacts = Array.from({ length: 30 }, (_, i) =>
        contact(i + 1, i === 26 ? { name: '张'.repeat(150_000) } : {}),
      );
      const error = await store.syncContacts(contacts).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ItemTooLargeError);
      // An institution's contacts are one item: the one the oversized name would not fit in.
      expect((error as ItemTooLargeError).itemKeys).toEqual({
        PK: 'INST#fj-huaan-county-hospital',
        SK: 'CONTACTS',
      });
      expect(await store.listContacts()).toEqual([]);
    });

    it('reads back a roster import as imported: every field, listed by institution then address', async () => {
      const store = await make();
      const roster = [
        contact(2, { institutionId: 'fj-songxi-county-hospital', phone: '0599-2345678' }),
        contact(1, { email: 'Coordinator1@Example.org' }),
        contact(3, { institutionId: 'fj-huaan-county-government', role: '办公室主任' }),
        contact(4, { phone: '+86 596 1234567' }),
      ];
      expect(await store.syncContacts(roster)).toEqual({ created: 4, updated: 0, unchanged: 0 });

      const byInstitutionAndAddress = (c: { institutionId: string; email: string }) =>
        `${c.institutionId}#${c.email.toLowerCase()}`;
      const expected = [...roster].sort((a, b) =>
        byInstitutionAndAddress(a) < byInstitutionAndAddress(b) ? -1 : 1,
      );
      expect(await store.listContacts()).toEqual(expected);
      expect(await store.contactsOf('fj-huaan-county-hospital')).toEqual([roster[1], roster[3]]);
      expect(await store.syncContacts(roster)).toEqual({ created: 0, updated: 0, unchanged: 4 });
      expect(await store.listContacts()).toEqual(expected);
    });

    it('reads the contacts of 150 institutions at once, two each, whatever the batches (Fujian §三(一) reminders)', async () => {
      const store = await make();
      const institutionIds = Array.from(
        { length: 150 },
        (_, i) => `fj-institution-${String(i).padStart(3, '0')}`,
      );
      const roster = institutionIds.flatMap((institutionId, i) => [
        contact(2 * i + 1, { institutionId }),
        contact(2 * i + 2, { institutionId }),
      ]);
      await store.syncContacts(roster);

      const got = await store.contactsOfMany([...institutionIds, 'fj-nowhere']);

      expect(got).toHaveLength(300);
      const addressesOf = (list: readonly { institutionId: string; email: string }[], id: string) =>
        list
          .filter((c) => c.institutionId === id)
          .map((c) => c.email)
          .sort();
      for (const [i, id] of institutionIds.entries())
        expect(addressesOf(got, id), id).toEqual([contact(2 * i + 1).email, contact(2 * i + 2).email].sort());
    });

    it('two admins adding different addresses to one institution at once both land', async () => {
      const store = await make();
      await store.syncContacts([contact(1)]);

      await Promise.all([2, 3, 4, 5].map((n) => store.putContact(contact(n))));
      await Promise.all([
        store.putContact(contact(1, { name: '改正后的姓名' })),
        store.removeContact('fj-huaan-county-hospital', 'coordinator5@example.org'),
      ]);

      expect(await store.contactsOf('fj-huaan-county-hospital')).toEqual([
        contact(1, { name: '改正后的姓名' }),
        contact(2),
        contact(3),
        contact(4),
      ]);
    });

    it('an admin’s edit during a roster import of the same institution is kept, as is the import', async () => {
      const store = await make();
      await store.syncContacts([contact(1), contact(2)]);

      await Promise.all([
        store.putContact(contact(3)),
        store.putContact(contact(2, { phone: '0596-7654321' })),
        store.syncContacts([contact(1, { name: '名册里的姓名' }), contact(4)]),
      ]);

      expect(await store.contactsOf('fj-huaan-county-hospital')).toEqual([
        contact(1, { name: '名册里的姓名' }),
        contact(2, { phone: '0596-7654321' }),
        contact(3),
        contact(4),
      ]);
    });

    it('removing a contact that is not there is refused and changes nothing', async () => {
      const store = await make();
      await store.syncContacts([contact(1)]);

      expect(await store.removeContact('fj-huaan-county-hospital', 'coordinator9@example.org')).toBe(false);
      expect(await store.removeContact('fj-nowhere', 'coordinator1@example.org')).toBe(false);
      expect(await store.contactsOf('fj-huaan-county-hospital')).toEqual([contact(1)]);

      expect(await store.removeContact('fj-huaan-county-hospital', 'coordinator1@example.org')).toBe(true);
      expect(await store.removeContact('fj-huaan-county-hospital', 'coordinator1@example.org')).toBe(false);
      expect(await store.contactsOf('fj-huaan-county-hospital')).toEqual([]);
      expect(await store.listContacts()).toEqual([]);
    });

    it('an admin’s correction replaces the contact under its key; a removal takes only what is there', async () => {
      const store = await make();
      await store.syncContacts([contact(1), contact(2)]);
      await store.putContact(contact(1, { name: '改正后的姓名', phone: '0596-1234567' }));
      await store.putContact(contact(3, { email: 'Coordinator3@Example.org' }));
      expect(await store.contactsOf('fj-huaan-county-hospital')).toEqual([
        contact(1, { name: '改正后的姓名', phone: '0596-1234567' }),
        contact(2),
        contact(3, { email: 'Coordinator3@Example.org' }),
      ]);

      expect(await store.removeContact('fj-huaan-county-hospital', 'COORDINATOR2@example.org')).toBe(true);
      expect(await store.removeContact('fj-huaan-county-hospital', 'coordinator2@example.org')).toBe(false);
      expect(await store.removeContact('fj-songxi-county-hospital', 'coordinator1@example.org')).toBe(false);
      expect((await store.contactsOf('fj-huaan-county-hospital')).map((c) => c.email)).toEqual([
        'coordinator1@example.org',
        'Coordinator3@Example.org',
      ]);
      expect(await store.listContacts()).toHaveLength(2);
    });

    it('finds a rejected address whatever its case, and nothing for one never marked', async () => {
      const store = await make();
      await store.markAddressRejected({
        email: 'Refused@Example.org',
        rejectedAt: '2022-02-21T01:00:00.000Z',
        reason: 'MessageRejected',
        source: 'send',
      });
      const statuses = await store.addressStatuses([
        'refused@example.org',
        'REFUSED@EXAMPLE.ORG',
        'ok@example.org',
      ]);
      expect(statuses).toEqual([
        {
          email: 'refused@example.org',
          rejectedAt: '2022-02-21T01:00:00.000Z',
          reason: 'MessageRejected',
          source: 'send',
        },
      ]);
      expect(await store.addressStatuses([])).toEqual([]);
    });
  });

  describe('the reminder log', () => {
    const LATER = '2022-02-21T01:05:00.000Z';
    const logT7 = (store: StoreUnderTest) => store.remindersOfStage(HUAAN, 'agreement', 2022, 'T-7');
    const dispatched = (overrides: Partial<ReminderRecord> = {}) =>
      reminder({ status: 'dispatched', ...overrides });

    it('claims the addresses of one message together: all of them, or none when one is held', async () => {
      const store = await make();
      const a = dispatched({ email: 'a@example.org' });
      const b = dispatched({ email: 'b@example.org', field: 'cc' });
      expect(await store.claimReminders([a, b], '2022-02-21T00:58:00.000Z')).toBe(true);
      // Run b races for b and c: b is held, so c is not claimed either.
      const c = dispatched({ email: 'c@example.org', runId: 'run-b' });
      expect(
        await store.claimReminders([dispatched({ email: 'b@example.org', runId: 'run-b' }), c], LATER),
      ).toBe(false);
      expect((await logT7(store)).map((r) => [r.email, r.runId, r.field])).toEqual([
        ['a@example.org', 'run-a', 'to'],
        ['b@example.org', 'run-a', 'cc'],
      ]);
      expect(await store.claimReminders([c], LATER)).toBe(true);
      expect((await logT7(store)).map((r) => r.email)).toEqual([
        'a@example.org',
        'b@example.org',
        'c@example.org',
      ]);
    });

    it('a `sending` claim (from runs before claims were taken at dispatch) is taken over once stale', async () => {
      const store = await make();
      expect(await store.claimReminders([reminder()], '2022-02-21T00:58:00.000Z')).toBe(true);
      // Run b, two minutes' lease: run a's claim of 01:00 is still fresh at 01:01.
      const b = dispatched({ runId: 'run-b', claimedAt: '2022-02-21T01:01:00.000Z' });
      expect(await store.claimReminders([b], '2022-02-20T23:01:00.000Z')).toBe(false);
      expect((await logT7(store))[0]?.runId).toBe('run-a');
      // At 01:05 it is older than the lease: run a died before reaching SES, run b takes it over.
      const c = dispatched({ runId: 'run-b', claimedAt: LATER });
      expect(await store.claimReminders([c], '2022-02-21T01:03:00.000Z')).toBe(true);
      expect(await logT7(store)).toEqual([c]);
    });

    it('a claim handed to the mail provider or sent is never taken over, however old', async () => {
      const store = await make();
      const handed = dispatched({ email: 'dispatched@example.org' });
      const sent = dispatched({ email: 'sent@example.org' });
      await store.claimReminders([handed, sent], '2022-02-21T00:00:00.000Z');
      await store.completeReminders([sent], { status: 'sent', sentAt: LATER, messageId: 'm-1' });

      for (const email of ['dispatched@example.org', 'sent@example.org'])
        expect(
          await store.claimReminders(
            [dispatched({ email, runId: 'run-b', claimedAt: LATER })],
            '2030-01-01T00:00:00.000Z',
          ),
        ).toBe(false);
      const log = await logT7(store);
      expect(log.map((r) => [r.email, r.status, r.runId])).toEqual([
        ['dispatched@example.org', 'dispatched', 'run-a'],
        ['sent@example.org', 'sent', 'run-a'],
      ]);
      expect(log[1]).toMatchObject({ sentAt: LATER, messageId: 'm-1', recipients: ['sent@example.org'] });
    });

    it('records one outcome on every address of a message, and names them as its recipients', async () => {
      const store = await make();
      const to = dispatched({ email: 'to@example.org' });
      const cc = dispatched({ email: 'cc@example.org', field: 'cc' });
      await store.claimReminders([to, cc], '2022-02-21T00:00:00.000Z');
      await store.completeReminders([to, cc], { status: 'sent', sentAt: LATER, messageId: 'm-2' });
      expect(
        (await logT7(store)).map((r) => [r.email, r.status, r.messageId, r.recipients, r.field]),
      ).toEqual([
        ['cc@example.org', 'sent', 'm-2', ['cc@example.org', 'to@example.org'], 'cc'],
        ['to@example.org', 'sent', 'm-2', ['cc@example.org', 'to@example.org'], 'to'],
      ]);
    });

    it('only the run holding a claim records its outcome; the others of its message still get theirs', async () => {
      const store = await make();
      await store.claimReminders(
        [reminder(), dispatched({ email: 'b@example.org' })],
        '2022-02-21T00:00:00.000Z',
      );
      const takeover = dispatched({ runId: 'run-b', claimedAt: LATER });
      await store.claimReminders([takeover], '2022-02-21T01:03:00.000Z');

      // Run a comes back to life and finishes: too late for the address run b took over.
      await store.completeReminders([reminder(), dispatched({ email: 'b@example.org' })], {
        status: 'sent',
        sentAt: LATER,
        messageId: 'from-a',
      });
      expect((await logT7(store)).map((r) => [r.email, r.runId, r.status])).toEqual([
        ['b@example.org', 'run-a', 'sent'],
        ['fj-huaan-county-hospital@example.org', 'run-b', 'dispatched'],
      ]);
      await store.completeReminders([takeover], { status: 'sent', sentAt: LATER, messageId: 'from-b' });
      expect((await logT7(store))[1]).toMatchObject({ runId: 'run-b', status: 'sent', messageId: 'from-b' });
      // Completing a record nobody claimed writes nothing.
      await store.completeReminders([reminder({ stage: 'T-3' })], { status: 'sent' });
      expect(await store.remindersOfStage(HUAAN, 'agreement', 2022, 'T-3')).toEqual([]);
    });

    it('a release frees only the holder’s unsent claims, which another run can then take', async () => {
      const store = await make();
      await store.claimReminders([dispatched()], '2022-02-21T00:00:00.000Z');
      await store.releaseReminders([dispatched({ runId: 'run-b' })]);
      expect(await logT7(store)).toHaveLength(1);

      await store.releaseReminders([dispatched()]);
      expect(await logT7(store)).toEqual([]);
      expect(await store.claimReminders([dispatched({ runId: 'run-b' })], '2022-02-21T00:00:00.000Z')).toBe(
        true,
      );

      await store.completeReminders([dispatched({ runId: 'run-b' })], { status: 'sent', sentAt: LATER });
      await store.releaseReminders([dispatched({ runId: 'run-b' })]);
      expect((await logT7(store))[0]?.status).toBe('sent');
    });

    it('keeps each stage and address apart, and lists one pairing’s log from its own partition', async () => {
      const store = await make();
      await store.claimReminders(
        [reminder({ stage: 'T-3+T-1', day: '2022-02-25' })],
        '2022-02-21T00:00:00.000Z',
      );
      await store.claimReminders([reminder({ stage: 'T-3', day: '2022-02-24' })], '2022-02-21T00:00:00.000Z');
      await store.claimReminders([reminder({ email: 'b@example.org' })], '2022-02-21T00:00:00.000Z');
      await store.claimReminders([reminder({ email: 'a@example.org' })], '2022-02-21T00:00:00.000Z');
      const songxi = 'fj-2021.fj-songxi-county-hospital';
      await store.claimReminders(
        [reminder({ pairingId: songxi, obligationId: `${songxi}#agreement#2022` })],
        '2022-02-21T00:00:00.000Z',
      );

      expect((await logT7(store)).map((r) => r.email)).toEqual(['a@example.org', 'b@example.org']);
      expect((await store.remindersOfStage(HUAAN, 'agreement', 2022, 'T-3')).map((r) => r.stage)).toEqual([
        'T-3',
      ]);
      expect((await store.remindersOfPairing(HUAAN)).map((r) => [r.stage, r.day, r.email])).toEqual([
        ['T-3', '2022-02-24', 'fj-huaan-county-hospital@example.org'],
        ['T-3+T-1', '2022-02-25', 'fj-huaan-county-hospital@example.org'],
        ['T-7', '2022-02-21', 'a@example.org'],
        ['T-7', '2022-02-21', 'b@example.org'],
      ]);
      expect((await store.remindersOfPairing(songxi)).map((r) => r.pairingId)).toEqual([songxi]);
      expect(await store.remindersOfPairing('fj-2021.fj-nobody')).toEqual([]);
    });

    it('reads the logs of many stages at once, past one batch of a hundred', async () => {
      const store = await make();
      const stages = Array.from({ length: 130 }, (_, i) => `S${i}`);
      for (const stage of stages.filter((_, i) => i % 2 === 0))
        await store.claimReminders([dispatched({ stage })], '2022-02-21T00:00:00.000Z');
      const logs = await store.remindersOfStages(
        stages.map((stage) => ({ pairingId: HUAAN, kind: 'agreement', year: 2022, stage })),
      );
      expect(logs.map((r) => r.stage).sort()).toEqual(stages.filter((_, i) => i % 2 === 0).sort());
      expect(await store.remindersOfStages([])).toEqual([]);
    });
  });

  describe('upload links', () => {
    const ensure = async (store: StoreUnderTest, record: UploadLinkRecord) =>
      (await store.ensureUploadLinks([record]))[0];

    it('a link is created at generation 1 once; callers at the same moment agree on it', async () => {
      const store = await make();
      const [a, b] = await Promise.all([
        ensure(store, uploadLink({ issuedAt: '2022-02-21T01:00:00.000Z' })),
        ensure(store, uploadLink({ issuedAt: '2022-02-21T01:00:01.000Z' })),
      ]);
      expect(a).toEqual(b);
      expect(await store.getUploadLink(HUAAN, 'agreement', 2022, 'fj-xmu-first-affiliated-hospital')).toEqual(
        a,
      );
      expect(await ensure(store, uploadLink({ issuedAt: '2022-03-01T00:00:00.000Z' }))).toEqual(a);
      expect(await store.getUploadLink(HUAAN, 'agreement', 2022, 'fj-huaan-county-hospital')).toBeUndefined();
    });

    it('reads and issues many links at once, past one batch of a hundred, in the order asked', async () => {
      const store = await make();
      const pairings = Array.from({ length: 120 }, (_, i) => `fj-2021.p${String(i).padStart(3, '0')}`);
      const records = pairings.map((pairingId) =>
        uploadLink({ pairingId, obligationId: `${pairingId}#agreement#2022` }),
      );
      await ensure(store, records[7] as UploadLinkRecord);
      await store.revokeUploadLink(
        pairings[7] as string,
        'agreement',
        2022,
        'fj-xmu-first-affiliated-hospital',
        '2022-02-22T01:00:00.000Z',
      );

      const links = await store.ensureUploadLinks([...records].reverse());
      expect(links.map((l) => l.pairingId)).toEqual([...pairings].reverse());
      expect(links.filter((l) => l.generation === 2).map((l) => l.pairingId)).toEqual([pairings[7]]);
      expect(await store.ensureUploadLinks(records)).toEqual([...links].reverse());
      expect(await store.ensureUploadLinks([])).toEqual([]);
    });

    it('revoking moves the generation on and says when; the link stays at the new generation', async () => {
      const store = await make();
      await ensure(store, uploadLink());
      const revoked = await store.revokeUploadLink(
        HUAAN,
        'agreement',
        2022,
        'fj-xmu-first-affiliated-hospital',
        '2022-02-22T01:00:00.000Z',
      );
      expect(revoked).toEqual({ ...uploadLink(), generation: 2, revokedAt: '2022-02-22T01:00:00.000Z' });
      expect(await ensure(store, uploadLink())).toEqual(revoked);
      const again = await store.revokeUploadLink(
        HUAAN,
        'agreement',
        2022,
        'fj-xmu-first-affiliated-hospital',
        '2022-02-23T01:00:00.000Z',
      );
      expect(again.generation).toBe(3);
    });

    it('lists the links issued for a pairing’s obligations, and no other pairing’s', async () => {
      const store = await make();
      await ensure(store, uploadLink());
      await ensure(store, uploadLink({ institutionId: 'fj-huaan-county-hospital' }));
      await ensure(store, uploadLink({ kind: 'annual-report', obligationId: `${HUAAN}#annual-report#2022` }));
      const songxi = 'fj-2021.fj-songxi-county-hospital';
      await ensure(store, uploadLink({ pairingId: songxi, obligationId: `${songxi}#agreement#2022` }));
      await store.revokeUploadLink(
        HUAAN,
        'agreement',
        2022,
        'fj-huaan-county-hospital',
        '2022-02-22T01:00:00.000Z',
      );

      const links = await store.uploadLinksOfPairing(HUAAN);
      expect(links.map((l) => [l.kind, l.institutionId, l.generation])).toEqual([
        ['agreement', 'fj-huaan-county-hospital', 2],
        ['agreement', 'fj-xmu-first-affiliated-hospital', 1],
        ['annual-report', 'fj-xmu-first-affiliated-hospital', 1],
      ]);
      expect(await store.uploadLinksOfPairing('fj-2021.fj-nowhere')).toEqual([]);
    });

    it('revoking a link that was never issued is refused', async () => {
      const store = await make();
      await expect(
        store.revokeUploadLink(
          HUAAN,
          'agreement',
          2022,
          'fj-xmu-first-affiliated-hospital',
          '2022-02-22T01:00:00.000Z',
        ),
      ).rejects.toThrow();
      expect(
        await store.getUploadLink(HUAAN, 'agreement', 2022, 'fj-xmu-first-affiliated-hospital'),
      ).toBeUndefined();
    });
  });

  describe('upload slots', () => {
    it('the first object to claim a slot holds it; the same object claims it again, keeping when it first came', async () => {
      const store = await make();
      await store.putUploadSlot(uploadSlot('slot-0001'));
      const first = await store.claimUploadSlot(HUAAN, 'slot-0001', {
        objectETag: '"etag-first"',
        receivedAt: '2022-02-21T01:02:00.000Z',
      });
      expect(first).toEqual({
        ...uploadSlot('slot-0001'),
        objectETag: '"etag-first"',
        receivedAt: '2022-02-21T01:02:00.000Z',
      });

      expect(
        await store.claimUploadSlot(HUAAN, 'slot-0001', {
          objectETag: '"etag-other"',
          receivedAt: '2022-02-21T01:03:00.000Z',
        }),
      ).toBeUndefined();
      const redelivered = await store.claimUploadSlot(HUAAN, 'slot-0001', {
        objectETag: '"etag-first"',
        receivedAt: '2022-02-21T01:09:00.000Z',
      });
      expect(redelivered).toEqual(first);
      expect(await store.getUploadSlot(HUAAN, 'slot-0001')).toEqual(first);
    });

    it('a finished slot refuses every claim and a second outcome', async () => {
      const store = await make();
      await store.putUploadSlot(uploadSlot('slot-0002'));
      await store.claimUploadSlot(HUAAN, 'slot-0002', {
        objectETag: '"e"',
        receivedAt: '2022-02-21T01:02:00.000Z',
      });
      expect(
        await store.finishUploadSlot(HUAAN, 'slot-0002', {
          state: 'accepted',
          submissionVersion: 1,
          finishedAt: '2022-02-21T01:02:00.000Z',
          reason: undefined,
        }),
      ).toBe(true);
      expect(
        await store.finishUploadSlot(HUAAN, 'slot-0002', {
          state: 'rejected',
          reason: '重复',
          finishedAt: '2022-02-21T01:03:00.000Z',
        }),
      ).toBe(false);
      expect(
        await store.claimUploadSlot(HUAAN, 'slot-0002', {
          objectETag: '"e"',
          receivedAt: '2022-02-21T01:04:00.000Z',
        }),
      ).toBeUndefined();

      const finished = await store.getUploadSlot(HUAAN, 'slot-0002');
      expect(finished).toMatchObject({ state: 'accepted', submissionVersion: 1, objectETag: '"e"' });
      expect(finished).not.toHaveProperty('reason');
    });

    it('a slot is issued once, and one never issued can be neither claimed nor finished', async () => {
      const store = await make();
      await store.putUploadSlot(uploadSlot('slot-0003'));
      await expect(store.putUploadSlot(uploadSlot('slot-0003', { filename: 'other.pdf' }))).rejects.toThrow();
      expect((await store.getUploadSlot(HUAAN, 'slot-0003'))?.filename).toBe('协议书.pdf');

      expect(await store.getUploadSlot(HUAAN, 'slot-none')).toBeUndefined();
      expect(
        await store.claimUploadSlot(HUAAN, 'slot-none', {
          objectETag: '"e"',
          receivedAt: '2022-02-21T01:02:00.000Z',
        }),
      ).toBeUndefined();
      expect(
        await store.finishUploadSlot(HUAAN, 'slot-none', {
          state: 'rejected',
          finishedAt: '2022-02-21T01:02:00.000Z',
        }),
      ).toBe(false);
      expect(await store.getUploadSlot(HUAAN, 'slot-none')).toBeUndefined();
    });
  });

  describe('submissions', () => {
    it('the same slot delivered twice, one after the other or at once, is one record', async () => {
      const store = await make();
      const first = await store.appendSubmission(submission('slot-a'));
      expect(first.version).toBe(1);
      expect(await store.appendSubmission(submission('slot-a', { sha256: 'c'.repeat(64) }))).toEqual(first);

      const [x, y] = await Promise.all([
        store.appendSubmission(submission('slot-b')),
        store.appendSubmission(submission('slot-b')),
      ]);
      expect(x).toEqual(y);
      expect(x.version).toBe(2);
      expect((await store.submissionsOfObligation(HUAAN, 'agreement', 2022)).map((s) => s.id)).toEqual([
        'slot-a',
        'slot-b',
      ]);
    });

    it('slots submitted concurrently for one obligation get versions 1 to n, without gaps', async () => {
      const store = await make();
      const slots = Array.from({ length: 6 }, (_, i) => `slot-${i}`);
      const recorded = await Promise.all(slots.map((id) => store.appendSubmission(submission(id))));
      expect(recorded.map((s) => s.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
      const stored = await store.submissionsOfObligation(HUAAN, 'agreement', 2022);
      expect(stored.map((s) => s.version)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(new Set(stored.map((s) => s.id))).toEqual(new Set(slots));
    });

    it('lists submissions by pairing, and by programme narrowed to a kind and a year', async () => {
      const store = await make();
      await store.appendSubmission(submission('slot-agreement'));
      await store.appendSubmission(
        submission('slot-report', {
          kind: 'annual-report',
          year: 2022,
          obligationId: `${HUAAN}#annual-report#2022`,
        }),
      );
      await store.appendSubmission(
        submission('slot-other', {
          pairingId: 'fj-2021.fj-songxi-county-hospital',
          obligationId: 'fj-2021.fj-songxi-county-hospital#agreement#2022',
        }),
      );

      expect((await store.submissionsOfPairing(HUAAN)).map((s) => s.id)).toEqual([
        'slot-agreement',
        'slot-report',
      ]);
      expect((await store.submissionsOfProgramme('fj-2021')).map((s) => s.id)).toEqual([
        'slot-agreement',
        'slot-other',
        'slot-report',
      ]);
      expect((await store.submissionsOfProgramme('fj-2021', 'agreement')).map((s) => s.id)).toEqual([
        'slot-agreement',
        'slot-other',
      ]);
      expect((await store.submissionsOfProgramme('fj-2021', 'annual-report', 2022)).map((s) => s.id)).toEqual(
        ['slot-report'],
      );
      expect(await store.submissionsOfProgramme('fj-2021', 'annual-report', 2023)).toEqual([]);
      expect(await store.submissionsOfProgramme('js-2022')).toEqual([]);
    });
  });

  describe('documents', () => {
    it('a document is recorded once: a second record with its id is refused and changes nothing', async () => {
      const store = await make();
      const record = documentRecord('doc-1', '2022-03-01T01:00:00.000Z');
      expect(await store.putDocument(record)).toBe(true);
      expect(await store.putDocument({ ...record, sha256: 'c'.repeat(64) })).toBe(false);
      expect(await store.getDocument('doc-1')).toEqual(record);
      expect(await store.getDocument('doc-none')).toBeUndefined();
    });

    it('lists documents newest first', async () => {
      const store = await make();
      await store.putDocument(documentRecord('doc-b', '2022-03-01T01:00:00.000Z'));
      await store.putDocument(documentRecord('doc-c', '2022-03-08T01:00:00.000Z'));
      await store.putDocument(documentRecord('doc-a', '2022-02-21T01:00:00.000Z'));
      expect((await store.listDocuments()).map((d) => d.id)).toEqual(['doc-c', 'doc-b', 'doc-a']);
    });
  });

  describe('bounce and complaint notices held over a non-working day', () => {
    const held = (at: string, messageId: string, email: string) => ({
      kind: 'bounce' as const,
      at,
      messageId,
      email,
      detail: 'smtp; 550 5.1.1 user unknown',
      heldAt: '2022-10-01T02:00:00.000Z',
      until: '2022-10-08',
    });

    it('a notice is held once under its identity, listed in the order of SES time, and removed once', async () => {
      const store = await make();
      const later = held('2022-10-02T03:00:00.000Z', 'm-2', 'a@example.org');
      const first = held('2022-10-01T01:00:00.000Z', 'm-1', 'a@example.org');
      expect(await store.holdDeliveryNotice(later)).toBe(true);
      expect(await store.holdDeliveryNotice(first)).toBe(true);
      // A redelivered event: the same identity, held at another time, changes nothing.
      expect(await store.holdDeliveryNotice({ ...first, heldAt: '2022-10-01T05:00:00.000Z' })).toBe(false);
      expect(await store.holdDeliveryNotice(held(first.at, 'm-1', 'b@example.org'))).toBe(true);
      expect(await store.pendingDeliveryNotices()).toEqual([
        first,
        held(first.at, 'm-1', 'b@example.org'),
        later,
      ]);

      expect(await store.removePendingDeliveryNotice(first)).toBe(true);
      expect(await store.removePendingDeliveryNotice(first)).toBe(false);
      expect((await store.pendingDeliveryNotices()).map((n) => [n.messageId, n.email])).toEqual([
        ['m-1', 'b@example.org'],
        ['m-2', 'a@example.org'],
      ]);
    });
  });
}
