/** Document 4, the agreement form: the parties of one pairing for the annex-3 tripartite agreement. */
import type { Institution, PairingCategory, TaskLevel } from '../model.ts';
import { institutionDirectory } from '../pairings.ts';
import { partyResolver } from '../parties.ts';
import { type ProgrammeHeading, placeName, programmeHeading, type ReportSnapshot } from './snapshot.ts';

export interface FormParty {
  name: string;
  /** Hospitals sign as 支援医院 / 受援医院; other bodies (a city commission, a CDC) as 单位. */
  isHospital: boolean;
}

export interface AgreementFormView {
  programme: ProgrammeHeading;
  documentRefs: { id: string; title: string }[];
  generatedAt: string;
  pairingId: string;
  category: PairingCategory;
  taskLevels: TaskLevel[];
  /** Lead first, then the others in the plan's order. */
  supporters: (FormParty & { lead: boolean })[];
  /** Absent when the seeds name no government for the recipient's county: the form leaves a blank. */
  countyGovernment?: FormParty;
  recipient: FormParty & { place: string };
}

/** Reads only what the seeds hold (programme, institutions, pairings): no obligation records. */
export function agreementFormView(
  snapshot: Pick<ReportSnapshot, 'programme' | 'institutions' | 'pairings' | 'generatedAt'>,
  pairingId: string,
): AgreementFormView {
  const { programme } = snapshot;
  const directory = institutionDirectory(snapshot.institutions);
  const pairing = snapshot.pairings.find((p) => p.id === pairingId);
  if (!pairing) throw new RangeError(`no pairing ${pairingId} in programme ${programme.id}`);
  const parties = partyResolver(programme, pairing, directory);
  const party = (i: Institution): FormParty => ({ name: i.name, isHospital: isHospital(i) });
  const [lead] = parties.institutions('lead-supporter') as [Institution];
  const government = parties.institutions('county-government')[0];
  const recipient = parties.institutions('recipient')[0] as Institution;
  return {
    programme: programmeHeading(programme),
    documentRefs: programme.documentRefs.map((d) => ({ ...d })),
    generatedAt: snapshot.generatedAt.toISOString(),
    pairingId,
    category: pairing.category,
    taskLevels: [...pairing.taskLevels],
    supporters: [
      { ...party(lead), lead: true },
      ...parties.institutions('other-supporters').map((i) => ({ ...party(i), lead: false })),
    ],
    ...(government ? { countyGovernment: party(government) } : {}),
    recipient: { ...party(recipient), place: placeName(recipient) },
  };
}

function isHospital(institution: Institution): boolean {
  return institution.type.endsWith('hospital');
}
