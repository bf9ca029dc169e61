/**
 * Revoking a pairing's upload links on the in-memory twins: the links already sent stop working, the
 * next one issued works, and the revocation is one entry in the pairing's log.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { MemoryStore } from '../../functions/adapters/memory/memory-store.ts';
import { LinkError } from '../../functions/domain/links.ts';
import type { Institution, Obligation } from '../../functions/domain/model.ts';
import { StaffForbiddenError } from '../../functions/domain/staff.ts';
import { ActionRefusedError } from '../../functions/domain/staff-actions.ts';
import { type LinkActionPorts, revokePairingLinks } from '../../functions/use-cases/link-actions.ts';
import { resolveLink, type UploadPorts, uploadLinkFor } from '../../functions/use-cases/personal-links.ts';
import { seededMemoryStore } from '../support/seeded-store.ts';
import { staffMember as staff, testUploadPorts } from '../support/staff.ts';

const PAIRING = 'fj-2021.fj-huaan-county-hospital';
const AGREEMENT = `${PAIRING}#agreement#2022`;
const REPORT = `${PAIRING}#annual-report#2022`;
const NOW = new Date('2022-02-22T09:00:00+08:00');

let store: MemoryStore;
let uploads: UploadPorts;
let ports: LinkActionPorts;

const provincialAdmin = staff('fj-provincial-commission', 'admin');

const tokenOf = (url: string) => url.split('/u/')[1] as string;

/** The personal link a reminder would carry now for the obligation and institution. */
async function linkFor(obligationId: string, institutionId: string): Promise<string> {
  const [pairingId, kind, year] = obligationId.split('#') as [string, string, string];
  const stored = await store.getObligation(pairingId, kind, Number(year));
  const institution = (await store.listInstitutions()).find((i) => i.id === institutionId);
  return tokenOf(await uploadLinkFor(uploads, stored?.obligation as Obligation, institution as Institution));
}

beforeEach(async () => {
  store = await seededMemoryStore();
  uploads = testUploadPorts(store, () => NOW);
  ports = { store, clock: () => NOW };
});

describe('revoking a pairing’s links', () => {
  it('stops every link sent for its obligations; the next link issued works; one audit entry', async () => {
    const sent = [
      await linkFor(AGREEMENT, 'fj-xmu-first-affiliated-hospital'),
      await linkFor(AGREEMENT, 'fj-huaan-county-hospital'),
      await linkFor(REPORT, 'fj-huaan-county-hospital'),
    ];
    const elsewhere = await linkFor(
      'fj-2021.fj-songxi-county-hospital#agreement#2022',
      'fj-songxi-county-hospital',
    );

    const result = await revokePairingLinks(ports, provincialAdmin, PAIRING, undefined, {
      reason: '联络员离职，链接可能外传',
    });
    expect(result.revoked).toBe(3);
    for (const token of sent) {
      await expect(resolveLink(uploads, token)).rejects.toMatchObject({
        name: 'LinkError',
        code: 'revoked',
      });
    }
    expect((await resolveLink(uploads, elsewhere)).pairing.id).toBe('fj-2021.fj-songxi-county-hospital');
    const reissued = await linkFor(AGREEMENT, 'fj-huaan-county-hospital');
    expect((await resolveLink(uploads, reissued)).institution.id).toBe('fj-huaan-county-hospital');

    expect(await store.auditEntries({ pairingId: PAIRING })).toEqual([result.audit]);
    expect(result.audit).toMatchObject({
      action: 'links-revoked',
      programmeId: 'fj-2021',
      pairingId: PAIRING,
      reason: '联络员离职，链接可能外传',
      before: {
        links: expect.arrayContaining([
          { obligationId: REPORT, institutionId: 'fj-huaan-county-hospital', generation: 1 },
        ]),
      },
      after: {
        links: expect.arrayContaining([
          { obligationId: REPORT, institutionId: 'fj-huaan-county-hospital', generation: 2 },
        ]),
      },
    });
    expect(result.audit).not.toHaveProperty('obligationId');
  });

  it('revokes only one obligation’s links when it is named', async () => {
    const agreement = await linkFor(AGREEMENT, 'fj-huaan-county-hospital');
    const report = await linkFor(REPORT, 'fj-huaan-county-hospital');
    const result = await revokePairingLinks(ports, provincialAdmin, PAIRING, REPORT);
    expect(result).toMatchObject({ revoked: 1, audit: { obligationId: REPORT } });
    await expect(resolveLink(uploads, report)).rejects.toThrow(LinkError);
    expect((await resolveLink(uploads, agreement)).obligation.id).toBe(AGREEMENT);
  });

  it('refuses when no link was issued, an obligation of another pairing, and a pairing that does not exist', async () => {
    await expect(revokePairingLinks(ports, provincialAdmin, PAIRING)).rejects.toThrow(/尚未发出上传链接/);
    await expect(
      revokePairingLinks(ports, provincialAdmin, PAIRING, 'fj-2021.fj-songxi-county-hospital#agreement#2022'),
    ).rejects.toThrow(/不属于结对关系/);
    await expect(revokePairingLinks(ports, provincialAdmin, 'fj-2021.fj-nowhere')).rejects.toThrow(
      ActionRefusedError,
    );
    expect(await store.auditEntries({ pairingId: PAIRING })).toEqual([]);
  });
});

describe('who may revoke links', () => {
  it('only an admin, and only of a commission overseeing the pairing', async () => {
    const sent = await linkFor(AGREEMENT, 'fj-huaan-county-hospital');
    const reviewer = revokePairingLinks(ports, staff('fj-provincial-commission', 'reviewer'), PAIRING);
    await expect(reviewer).rejects.toThrow(StaffForbiddenError);
    await expect(reviewer).rejects.toMatchObject({ reason: 'role' });
    const outsider = revokePairingLinks(ports, staff('fj-quanzhou-health-commission', 'admin'), PAIRING);
    await expect(outsider).rejects.toMatchObject({ reason: 'jurisdiction' });
    expect((await resolveLink(uploads, sent)).obligation.id).toBe(AGREEMENT);

    // Xiamen's commission oversees Huaan's pairing (its lead hospital is in Xiamen).
    const xiamen = await revokePairingLinks(ports, staff('fj-xiamen-health-commission', 'admin'), PAIRING);
    expect(xiamen.revoked).toBe(1);
  });
});
