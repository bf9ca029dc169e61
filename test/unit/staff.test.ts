import { beforeAll, describe, expect, it } from 'vitest';
import type { Pairing, Programme } from '../../functions/domain/model.ts';
import { type InstitutionDirectory, institutionDirectory } from '../../functions/domain/pairings.ts';
import { isInJurisdiction, mayDo, overseeingCommissions } from '../../functions/domain/staff.ts';
import { readSeedFiles } from '../../functions/local/seed-files.ts';
import { planSeeds } from '../../functions/use-cases/load-seeds.ts';

let directory: InstitutionDirectory;
const programmes = new Map<string, { programme: Programme; pairings: Pairing[] }>();

beforeAll(async () => {
  const planned = planSeeds(await readSeedFiles());
  directory = institutionDirectory(planned.institutions);
  for (const p of planned.programmes) programmes.set(p.programme.id, p);
});

function pairingOf(programmeId: string, recipient: string) {
  const { programme, pairings } = programmes.get(programmeId) as {
    programme: Programme;
    pairings: Pairing[];
  };
  const pairing = pairings.find((p) => directory.byId.get(p.recipientId)?.name === recipient) as Pairing;
  return { programme, pairing };
}

const names = (programmeId: string, recipient: string) => {
  const { programme, pairing } = pairingOf(programmeId, recipient);
  return overseeingCommissions(programme, pairing, directory).map((c) => c.name);
};

const commissionNamed = (name: string) =>
  [...directory.byId.values()].find((i) => i.name === name)?.id as string;

describe('which commissions oversee a pairing', () => {
  it('Fujian: the province and the lead supporter’s city commission', () => {
    expect(names('fj-2021', '洛隆县人民医院')).toEqual(['福建省卫生健康委员会', '泉州市卫生健康委员会']);
  });

  it('Jiangsu: the province and both paired city commissions', () => {
    expect(names('js-2022', '泗阳县第一人民医院')).toEqual([
      '江苏省卫生健康委员会',
      '苏州市卫生健康委员会',
      '宿迁市卫生健康委员会',
    ]);
  });
});

describe('a staff account’s jurisdiction', () => {
  it('the provincial commission sees every pairing of its programme', () => {
    const { programme, pairing } = pairingOf('fj-2021', '洛隆县人民医院');
    expect(
      isInJurisdiction({ commissionId: programme.provincialCommissionId }, programme, pairing, directory),
    ).toBe(true);
  });

  it('a city commission sees the pairings it answers for, and not another city’s', () => {
    const { programme, pairing } = pairingOf('fj-2021', '洛隆县人民医院');
    const quanzhou = { commissionId: commissionNamed('泉州市卫生健康委员会') };
    const xiamen = { commissionId: commissionNamed('厦门市卫生健康委员会') };
    expect(isInJurisdiction(quanzhou, programme, pairing, directory)).toBe(true);
    expect(isInJurisdiction(xiamen, programme, pairing, directory)).toBe(false);
  });
});

describe('what a role may do', () => {
  it.each([
    ['viewer', 'view', true],
    ['viewer', 'review', false],
    ['reviewer', 'extend', true],
    ['reviewer', 'manage-contacts', false],
    ['admin', 'manage-links', true],
  ] as const)('%s may %s: %s', (role, action, allowed) => {
    expect(mayDo({ role }, action)).toBe(allowed);
  });
});
