/**
 * The console's pairing page: one pairing's parties, obligations with their states and the facts
 * staff recorded (extension, exemption, review), every submitted version, the annual figures, the
 * reminders sent and the parties' contacts with the state of their addresses. Staff see their own
 * programme's coordinators in full: nothing is masked here.
 *
 * `submissionDownloadUrl` turns a version's id into a short-lived download, under the same
 * jurisdiction check.
 */

import actionWords from '../../templates/staff-actions.zh.json' with { type: 'json' };
import {
  ANNUAL_REPORT_KIND,
  type Contact,
  type Institution,
  type Pairing,
  type Party,
  type PlainDate,
  type Programme,
} from '../domain/model.ts';
import { institutionDirectory } from '../domain/pairings.ts';
import { partyResolver } from '../domain/parties.ts';
import type { AddressStatus } from '../domain/records.ts';
import {
  type DossierObligation,
  type DossierReminder,
  type DossierSubmission,
  type PairingDossierView,
  pairingDossierView,
} from '../domain/reports/pairing-dossier.ts';
import { bySubmissionOrder, type ProgrammeHeading, SnapshotIndex } from '../domain/reports/snapshot.ts';
import { isInJurisdiction, StaffForbiddenError, type StaffIdentity } from '../domain/staff.ts';
import type { AuditEntry } from '../domain/staff-actions.ts';
import type { AnnualFigures } from '../domain/submission.ts';
import type { TargetVerdict } from '../domain/targets.ts';
import { type PairingRoute, pairingRoute } from './console-chain.ts';
import { commissionName, UnknownPairingError, UnknownSubmissionError } from './console-scope.ts';
import type { PairingDetailStore, SubmissionFiles } from './ports.ts';
import { UnknownProgrammeError } from './programme-status.ts';

export interface PairingDetailPorts {
  store: PairingDetailStore;
}

/** A party's role in the pairing, as the contacts section labels it. */
export type PartyRole = 'recipient' | 'lead-supporter' | 'other-supporter' | 'county-government';

export interface ContactLine {
  name: string;
  role: string;
  email: string;
  phone?: string;
  /** Mail to the address failed: refused on sending, bounced, or the recipient complained. */
  addressProblem?: { source: AddressStatus['source']; reason: string; at: string };
}

export interface PartyContacts {
  institutionId: string;
  institution: string;
  role: PartyRole;
  contacts: ContactLine[];
}

export interface DetailObligation extends DossierObligation {
  /** The extension granted, when the due date in force is not the plan's. */
  extendedTo?: PlainDate;
  /** Versions received, newest last. */
  versions: number;
}

/** The latest annual figures of a year, and the plan's targets checked against them. */
export interface SubmittedFigures {
  obligationId: string;
  year: number;
  /** The version the figures came with. */
  version: number;
  figures: AnnualFigures;
  verdicts: TargetVerdict[];
}

/** An entry of the obligations' audit log, with the acting staff member's commission by name. */
export interface PairingAuditEntry extends AuditEntry {
  commission: string;
}

export interface PairingDetailView {
  programme: ProgrammeHeading;
  /** The instant the states describe (ISO). */
  at: string;
  pairing: PairingDossierView['pairing'] & { city: string; county: string };
  obligations: DetailObligation[];
  /** Every version of every obligation, oldest first, each with the id a download names. */
  submissions: DossierSubmission[];
  figures: SubmittedFigures[];
  reminders: DossierReminder[];
  contacts: PartyContacts[];
  /**
   * What staff did to this pairing's obligations, oldest first (accept, return, extend, exempt …),
   * from the logs the store keeps on each obligation. Optional so a route may show a view without it;
   * the page lists it whenever it is there.
   */
  audit?: PairingAuditEntry[];
  /** Who collects the pairing's deliverables and by when (reporting-chain.ts); the page shows it when there. */
  route?: PairingRoute;
}

/**
 * 1. Read the pairing; refuse one outside the staff member's jurisdiction (StaffForbiddenError).
 * 2. Read its programme's records, its uploads and the reminder log; build the dossier's view at
 *    `now` (domain/reports/pairing-dossier.ts), which the PDF dossier prints too.
 * 3. Add the extensions, the figures of the latest annual reports, the parties' contacts with their
 *    addresses' delivery problems, and the obligations' audit entries.
 */
export async function pairingDetail(
  ports: PairingDetailPorts,
  staff: StaffIdentity,
  pairingId: string,
  now: Date,
): Promise<PairingDetailView> {
  const { store } = ports;
  const { pairing, programme, institutions, directory } = await pairingInJurisdiction(
    store,
    staff,
    pairingId,
  );
  // The pairing's own partition: what one page shows costs the same in a programme of any size.
  const [mine, submissions, reminders] = await Promise.all([
    store.obligationsOfPairing(pairing.id),
    store.submissionsOfPairing(pairing.id),
    store.remindersOfPairing(pairing.id),
  ]);
  const audit = mine
    .flatMap((o) => o.audit ?? [])
    .filter((entry) => new Date(entry.at) <= now)
    .sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id))
    .map((entry) => ({ ...entry, commission: commissionName(directory, entry.actor) }));
  const snapshot = {
    programme,
    institutions,
    pairings: [pairing],
    obligations: mine,
    submissions,
    reminders,
    at: now,
    generatedAt: now,
  };
  const dossier = pairingDossierView(snapshot, pairing.id);
  const index = new SnapshotIndex(snapshot);

  const extendedTo = new Map(
    mine.flatMap(({ obligation, record }) => (record.extendedTo ? [[obligation.id, record.extendedTo]] : [])),
  );
  const received = submissions.filter((s) => new Date(s.receivedAt) <= now).sort(bySubmissionOrder);
  const detailObligations = dossier.obligations.map((o) => {
    const extension = extendedTo.get(o.id);
    return {
      ...o,
      ...(extension && extension !== o.dueDate ? { extendedTo: extension } : {}),
      versions: received.filter((s) => s.obligationId === o.id).length,
    };
  });

  const figures = detailObligations.flatMap((o): SubmittedFigures[] => {
    const latest = received.filter((s) => s.obligationId === o.id).at(-1);
    if (o.kind !== ANNUAL_REPORT_KIND || !latest?.figures) return [];
    return [
      {
        obligationId: o.id,
        year: o.year,
        version: dossier.submissions.find((s) => s.id === latest.id)?.version ?? latest.version,
        figures: latest.figures,
        verdicts: dossier.targets.find((t) => t.year === o.year)?.verdicts ?? [],
      },
    ];
  });

  return {
    programme: dossier.programme,
    at: dossier.at,
    pairing: { ...dossier.pairing, ...index.placeOf(pairing) },
    obligations: detailObligations,
    submissions: dossier.submissions,
    figures,
    reminders: dossier.reminders,
    contacts: await partyContacts(store, programme, pairing, institutions),
    audit,
    route: pairingRoute(programme, pairing, directory, mine),
  };
}

export interface SubmissionDownloadPorts {
  store: Pick<
    PairingDetailStore,
    'listProgrammes' | 'listInstitutions' | 'getPairings' | 'submissionsOfPairing'
  >;
  files: SubmissionFiles;
  settings: { presignedGetSeconds: number };
}

/**
 * A presigned GET of one submitted version, valid for `presignedGetSeconds`, for a staff member whose
 * jurisdiction covers the pairing: the version stored, under its detected type and the name the
 * uploader gave it.
 */
export async function submissionDownloadUrl(
  ports: SubmissionDownloadPorts,
  staff: StaffIdentity,
  pairingId: string,
  submissionId: string,
): Promise<string> {
  const { pairing } = await pairingInJurisdiction(ports.store, staff, pairingId);
  const submission = (await ports.store.submissionsOfPairing(pairing.id)).find((s) => s.id === submissionId);
  if (!submission) throw new UnknownSubmissionError(pairing.id, submissionId);
  return ports.files.presignGet(
    {
      bucket: submission.bucket,
      key: submission.key,
      ...(submission.s3VersionId ? { versionId: submission.s3VersionId } : {}),
    },
    { filename: submission.filename, contentType: submission.contentType },
    ports.settings.presignedGetSeconds,
  );
}

async function pairingInJurisdiction(
  store: Pick<PairingDetailStore, 'listProgrammes' | 'listInstitutions' | 'getPairings'>,
  staff: StaffIdentity,
  pairingId: string,
) {
  const [[pairing], programmes, institutions] = await Promise.all([
    store.getPairings([pairingId]),
    store.listProgrammes(),
    store.listInstitutions(),
  ]);
  if (!pairing) throw new UnknownPairingError(pairingId);
  const programme = programmes.find((p) => p.id === pairing.programmeId);
  if (!programme) {
    throw new UnknownProgrammeError(
      pairing.programmeId,
      programmes.map((p) => p.id),
    );
  }
  const directory = institutionDirectory(institutions);
  if (!isInJurisdiction(staff, programme, pairing, directory)) {
    throw new StaffForbiddenError('jurisdiction', actionWords.forbidden.jurisdiction);
  }
  return { pairing, programme, institutions, directory };
}

/** The agreement's parties (recipient, supporters lead first, county government) and their contacts. */
async function partyContacts(
  store: Pick<PairingDetailStore, 'contactsOf' | 'addressStatuses'>,
  programme: Programme,
  pairing: Pairing,
  institutions: readonly Institution[],
): Promise<PartyContacts[]> {
  const parties = partyResolver(programme, pairing, institutionDirectory(institutions));
  const roles: [PartyRole, Party][] = [
    ['recipient', 'recipient'],
    ['lead-supporter', 'lead-supporter'],
    ['other-supporter', 'other-supporters'],
    ['county-government', 'county-government'],
  ];
  const list = roles.flatMap(([role, party]) =>
    parties.institutions(party).map((i) => ({ role, institution: i })),
  );
  const contacts = await Promise.all(list.map(({ institution }) => store.contactsOf(institution.id)));
  const emails = contacts.flat().map((c) => c.email);
  const problems = new Map(
    (emails.length > 0 ? await store.addressStatuses(emails) : []).map((s) => [s.email.toLowerCase(), s]),
  );
  const line = (c: Contact): ContactLine => {
    const problem = problems.get(c.email.toLowerCase());
    return {
      name: c.name,
      role: c.role,
      email: c.email,
      ...(c.phone ? { phone: c.phone } : {}),
      ...(problem
        ? { addressProblem: { source: problem.source, reason: problem.reason, at: problem.rejectedAt } }
        : {}),
    };
  };
  return list.map(({ role, institution }, i) => ({
    institutionId: institution.id,
    institution: institution.name,
    role,
    contacts: (contacts[i] ?? []).map(line),
  }));
}
