/**
 * A programme at a scale the plans do not reach: Fujian's rules (seeds/programmes/fj-2021.json) over
 * `cities` made-up prefecture cities of 福建省, each with its city commission, one tertiary hospital
 * leading `perCity` pairings with county hospitals of its own city (so each reports to its own city
 * commission, Fujian §三(一)). Built as Institution and Pairing objects, not through a seed file.
 */
import { MemoryStore } from '../../functions/adapters/memory/memory-store.ts';
import type { Institution, Pairing, Programme } from '../../functions/domain/model.ts';
import { institutionDirectory } from '../../functions/domain/pairings.ts';
import { forwardingsOf } from '../../functions/domain/reporting-chain.ts';
import { obligationsOfPairing } from '../../functions/domain/timeline.ts';
import { prcCalendar } from '../../functions/domain/working-days.ts';
import { seededMemoryStore } from './seeded-store.ts';

export interface SyntheticProgramme {
  programme: Programme;
  institutions: Institution[];
  pairings: Pairing[];
}

export async function syntheticProgramme(cities: number, perCity: number): Promise<SyntheticProgramme> {
  const seeded = await seededMemoryStore();
  const programme = (await seeded.listProgrammes()).find((p) => p.id === 'fj-2021') as Programme;
  const provincial = (await seeded.listInstitutions()).find(
    (i) => i.id === programme.provincialCommissionId,
  ) as Institution;
  const province = programme.province;
  const institutions: Institution[] = [provincial];
  const pairings: Pairing[] = [];
  for (let c = 1; c <= cities; c++) {
    const city = `测${c}市`;
    const at = (county?: string) => ({ province, city, ...(county ? { county } : {}) });
    institutions.push(
      {
        id: `syn-${c}-commission`,
        name: `${city}卫生健康委员会`,
        aliases: [],
        type: 'city-health-commission',
        place: at(),
        managedBy: 'city',
      },
      {
        id: `syn-${c}-tertiary`,
        name: `${city}第一医院`,
        aliases: [],
        type: 'tertiary-hospital',
        place: at(),
        managedBy: 'city',
      },
    );
    for (let k = 1; k <= perCity; k++) {
      const county = `测${c}市${k}县`;
      const recipientId = `syn-${c}-${k}-county-hospital`;
      institutions.push({
        id: recipientId,
        name: `${county}医院`,
        aliases: [],
        type: 'county-hospital',
        place: at(county),
        managedBy: 'county',
      });
      pairings.push({
        id: `${programme.id}.${recipientId}`,
        programmeId: programme.id,
        recipientId,
        supporterIds: [`syn-${c}-tertiary`],
        leadSupporterId: `syn-${c}-tertiary`,
        category: 'general',
        taskLevels: ['provincial'],
        sources: [
          { annex: '附件1', seq: pairings.length + 1, recipientName: `${county}医院`, supporterNames: [] },
        ],
      });
    }
  }
  return { programme, institutions, pairings };
}

/** The synthetic programme in a store twin of its own, with its obligations and forwardings derived. */
export async function syntheticStore(cities: number, perCity: number): Promise<MemoryStore> {
  const { programme, institutions, pairings } = await syntheticProgramme(cities, perCity);
  const directory = institutionDirectory(institutions);
  const store = new MemoryStore();
  await store.syncInstitutions(institutions);
  await store.syncProgramme(programme);
  await store.syncPairings(programme.id, pairings);
  await store.syncObligations(
    programme.id,
    pairings.flatMap((pairing) => obligationsOfPairing(programme, pairing, directory, prcCalendar)),
  );
  await store.syncForwardings(programme.id, forwardingsOf(programme, pairings, directory));
  return store;
}
