/**
 * Who a party is for one pairing: the programme data names parties symbolically (lead supporter,
 * county government, responsible city commission …); this resolves them to institutions.
 */
import type { Institution, Pairing, Party, Programme } from './model.ts';
import type { InstitutionDirectory } from './pairings.ts';

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
  const all = [...directory.byId.values()];
  const provincial = byId(programme.provincialCommissionId);
  const lead = byId(pairing.leadSupporterId);
  const recipient = byId(pairing.recipientId);
  const cityCommission = (place: Institution['place']) =>
    all.find(
      (i) =>
        i.type === 'city-health-commission' &&
        i.place.province === place.province &&
        i.place.city === place.city,
    );

  /**
   * Fujian §3(1): city commissions collect their hospitals' scans; provincially managed hospitals send
   * to the provincial commission directly. A supporting group led by a commission answers to itself.
   */
  const supporterSideCommission = (): Institution => {
    if (lead.type === 'city-health-commission') return lead;
    if (lead.managedBy === 'province') return provincial;
    return cityCommission(lead.place) ?? provincial;
  };

  const resolve = (party: Party): Institution[] => {
    switch (party) {
      case 'lead-supporter':
        return [lead];
      case 'other-supporters':
        return pairing.supporterIds.filter((id) => id !== lead.id).map(byId);
      case 'recipient':
        return [recipient];
      case 'county-government': {
        const government = all.find(
          (i) =>
            i.type === 'county-government' &&
            i.place.province === recipient.place.province &&
            i.place.county === recipient.place.county,
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
          ? uniqueInstitutions([supporterSideCommission(), ...resolve('recipient-city-commission')])
          : [supporterSideCommission()];
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
