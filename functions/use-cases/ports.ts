/** What the use cases need from the outside world, so the CLI, Lambdas and tests wire them alike. */
import type {
  Contact,
  Institution,
  Obligation,
  ObligationRecord,
  Pairing,
  Programme,
} from '../domain/model.ts';

export interface SeedStore {
  syncInstitutions(institutions: readonly Institution[]): Promise<SyncCounts>;
  syncProgramme(programme: Programme): Promise<SyncCounts>;
  syncPairings(programmeId: string, pairings: readonly Pairing[]): Promise<SyncCounts>;
  syncObligations(programmeId: string, obligations: readonly Obligation[]): Promise<SyncCounts>;
}

export interface RosterStore {
  listInstitutions(): Promise<Institution[]>;
  syncContacts(contacts: readonly Contact[]): Promise<SyncCounts>;
}

export interface SyncCounts {
  created: number;
  updated: number;
  unchanged: number;
}

export interface StatusStore {
  listProgrammes(): Promise<Programme[]>;
  listPairings(programmeId: string): Promise<Pairing[]>;
  listObligations(programmeId: string): Promise<{ obligation: Obligation; record: ObligationRecord }[]>;
  listInstitutions(): Promise<Institution[]>;
}
