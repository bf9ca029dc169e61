/**
 * Who a party is for one pairing: the programme data names parties symbolically (lead supporter,
 * county government, responsible city commission …); this resolves them to institutions.
 */
import type { Institution, Pairing, Party, Programme } from './model.ts';
import type { InstitutionDirectory } from './pairings.ts';
import { collectorOf } from './reporting-chain.ts';

export interface PartyResolver {
  institutions(party: Party): Institution[];
}

export function partyResolver(
  programme: Programme,
  pairing: Pairing,
  directory: InstitutionDirectory,
): PartyResolver {
  const byId = (id: string) => {
    const institution = directory.byId.get(id);
    if (!institution) throw new RangeError(`pairing ${pairing.id} names unknown institution ${id}`);
    return institution;
  };
  const provincial = byId(programme.provincialCommissionId);
  const lead = byId(pairing.leadSupporterId);
  const recipient = byId(pairing.recipientId);
  const cityCommission = (place: Institution['place']) =>
    directory.cityCommissions.get(`${place.province}/${place.city ?? ''}`);
  /** Fujian §3(1): the commission the pairing reports to (reporting-chain.ts). */
  const collector = collectorOf(programme, pairing, directory);

  const resolve = (party: Party): Institution[] => {
    switch (party) {
      case 'lead-supporter':
        return [lead];
      case 'other-supporters':
        return pairing.supporterIds.filter((id) => id !== lead.id).map(byId);
      case 'recipient':
        return [recipient];
      case 'county-government': {
        const government = directory.countyGovernments.get(
          `${recipient.place.province}/${recipient.place.county ?? ''}`,
        );
        return government ? [government] : [];
      }
      case 'recipient-city-commission': {
        const commission = cityCommission(recipient.place);
        return commission ? [commission] : [];
      }
      case 'responsible-city-commission':
        // Jiangsu §7(1)-(2): both paired city commissions are accountable (责任主体).
        return programme.responsibleCommission === 'paired-cities'
          ? uniqueInstitutions([collector, ...resolve('recipient-city-commission')])
          : [collector];
      case 'collecting-commission':
        return [collector];
      case 'provincial-commission':
        return [provincial];
    }
  };
  return { institutions: resolve };
}

export function uniqueInstitutions(list: readonly Institution[]): Institution[] {
  const seen = new Set<string>();
  return list.filter((i) => !seen.has(i.id) && seen.add(i.id));
}
