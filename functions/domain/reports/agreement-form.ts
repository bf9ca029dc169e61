/**
 * Document 4, the agreement form of one pairing: its parties, the term and what the preamble cites.
 * Fujian §三(一) and annex 3: a tripartite agreement of the hospitals and the recipient county's
 * government. Jiangsu §七(三): an agreement between the paired institutions only, stating its term,
 * goals and tasks. Which applies is the programme's `agreementForm` rule.
 */
import type { AgreementFormRule, Institution, PairingCategory, TaskLevel } from '../model.ts';
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
  template: AgreementFormRule['template'];
  /** The documents the form's preamble cites, as the form words them (Fujian: annex 3's own). */
  documentRefs: AgreementFormRule['preambleRefs'];
  /** The agreement's term: the plan's years (Jiangsu §七(三) 明确帮扶合作期限). */
  term: { from: number; to: number };
  generatedAt: string;
  pairingId: string;
  category: PairingCategory;
  taskLevels: TaskLevel[];
  /** Lead first, then the others in the plan's order. */
  supporters: (FormParty & { lead: boolean })[];
  /** Whether the county government signs; when it does, the form leaves a blank if the seeds name none. */
  countyGovernmentSigns: boolean;
  /** Absent when it does not sign, or the seeds name no government for the recipient's county. */
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
  const form = programme.agreementForm;
  const government = form.countyGovernmentSigns ? parties.institutions('county-government')[0] : undefined;
  const recipient = parties.institutions('recipient')[0] as Institution;
  return {
    programme: programmeHeading(programme),
    template: form.template,
    documentRefs: form.preambleRefs.map((d) => ({ ...d })),
    term: { from: Math.min(...programme.planYears), to: Math.max(...programme.planYears) },
    generatedAt: snapshot.generatedAt.toISOString(),
    pairingId,
    category: pairing.category,
    taskLevels: [...pairing.taskLevels],
    supporters: [
      { ...party(lead), lead: true },
      ...parties.institutions('other-supporters').map((i) => ({ ...party(i), lead: false })),
    ],
    countyGovernmentSigns: form.countyGovernmentSigns,
    ...(government ? { countyGovernment: party(government) } : {}),
    recipient: { ...party(recipient), place: placeName(recipient) },
  };
}

function isHospital(institution: Institution): boolean {
  return institution.type.endsWith('hospital');
}
