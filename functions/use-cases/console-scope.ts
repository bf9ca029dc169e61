/**
 * What every console page reads first: a programme's records narrowed to the staff member's
 * jurisdiction (domain/staff.ts). The provincial commission sees every pairing of its programme; a
 * city commission the pairings it answers for (Fujian §3(1), Jiangsu §7(1)–(2)). The narrowing happens
 * here, in the use cases, so no page or export can show more than the account may see.
 */
import words from '../../templates/console.zh.json' with { type: 'json' };
import { userFacingError } from '../domain/errors.ts';
import type { Institution, Pairing, Programme } from '../domain/model.ts';
import { type InstitutionDirectory, institutionDirectory } from '../domain/pairings.ts';
import type { ObligationWithRecord } from '../domain/records.ts';
import { type ProgrammeHeading, programmeHeading, type ReportSnapshot } from '../domain/reports/snapshot.ts';
import {
  isInJurisdiction,
  StaffForbiddenError,
  type StaffIdentity,
  type StaffRole,
} from '../domain/staff.ts';
import { fill } from '../domain/wording.ts';
import type { StatusStore } from './ports.ts';
import { UnknownProgrammeError } from './programme-status.ts';

/** The overview and the pairing list read a programme's records only. */
export interface ConsolePorts {
  store: StatusStore;
}

/** A programme's records as one staff member may see them. */
export interface ProgrammeInScope {
  programme: Programme;
  institutions: Institution[];
  directory: InstitutionDirectory;
  /** The programme's pairings in the staff member's jurisdiction. */
  pairings: Pairing[];
  /** Their obligations, with the facts recorded. */
  obligations: ObligationWithRecord[];
  /** Ids of every pairing of the programme, to tell one outside the jurisdiction from one that is not. */
  programmePairingIds: ReadonlySet<string>;
}

/** Asked for a pairing (or an upload) that does not exist: 404 at the edge. */
export class UnknownPairingError extends userFacingError('unknown-pairing') {
  override readonly name = 'UnknownPairingError';
  constructor(readonly pairingId: string) {
    super(fill(words.errors.unknownPairing, { pairing: pairingId }));
  }
}

export class UnknownSubmissionError extends userFacingError('unknown-submission') {
  override readonly name = 'UnknownSubmissionError';
  constructor(
    readonly pairingId: string,
    readonly submissionId: string,
  ) {
    super(fill(words.errors.unknownSubmission, { pairing: pairingId, submission: submissionId }));
  }
}

/**
 * The programme, its institutions, and its pairings and obligations in the staff member's
 * jurisdiction. Refuses (StaffForbiddenError 'jurisdiction') a commission that answers for no pairing
 * of the programme.
 */
export async function programmeInScope(
  store: StatusStore,
  staff: StaffIdentity,
  programmeId: string,
): Promise<ProgrammeInScope> {
  const programmes = await store.listProgrammes();
  const programme = programmes.find((p) => p.id === programmeId);
  if (!programme) {
    throw new UnknownProgrammeError(
      programmeId,
      programmes.map((p) => p.id),
    );
  }
  const [institutions, allPairings, allObligations] = await Promise.all([
    store.listInstitutions(),
    store.listPairings(programme.id),
    store.listObligations(programme.id),
  ]);
  const directory = institutionDirectory(institutions);
  const pairings = allPairings.filter((p) => isInJurisdiction(staff, programme, p, directory));
  if (pairings.length === 0 && staff.commissionId !== programme.provincialCommissionId) {
    throw new StaffForbiddenError(
      'jurisdiction',
      fill(words.errors.programmeOutsideJurisdiction, {
        commission: commissionName(directory, staff),
        programme: programme.shortName,
      }),
    );
  }
  const ids = new Set(pairings.map((p) => p.id));
  const obligations = allObligations.filter((o) => ids.has(o.obligation.pairingId));
  return {
    programme,
    institutions,
    directory,
    pairings,
    obligations,
    programmePairingIds: new Set(allPairings.map((p) => p.id)),
  };
}

/** The scope as the report modules read it, as it stands at `at`. */
export function snapshotOf(scope: ProgrammeInScope, at: Date): ReportSnapshot {
  return {
    programme: scope.programme,
    institutions: scope.institutions,
    pairings: scope.pairings,
    obligations: scope.obligations,
    submissions: [],
    reminders: [],
    at,
    generatedAt: at,
  };
}

/** Who is signed in, and the programmes the console offers them. */
export interface ConsoleContext {
  staff: {
    name: string;
    email: string;
    role: StaffRole;
    commissionId: string;
    /** The commission's full name, e.g. 泉州市卫生健康委员会. */
    commission: string;
  };
  /** Programmes with at least one pairing in the staff member's jurisdiction, in the store's order. */
  programmes: ProgrammeHeading[];
}

/**
 * The page frame's facts: the staff member's commission by name and the programmes they may open.
 *
 * 1. Read the programmes and institutions, and each programme's pairings.
 * 2. Keep the programmes the staff member's commission oversees, or answers for a pairing of.
 */
export async function consoleContext(ports: ConsolePorts, staff: StaffIdentity): Promise<ConsoleContext> {
  const [programmes, institutions] = await Promise.all([
    ports.store.listProgrammes(),
    ports.store.listInstitutions(),
  ]);
  const directory = institutionDirectory(institutions);
  const visible = await Promise.all(
    programmes.map(async (programme) => {
      if (staff.commissionId === programme.provincialCommissionId) return true;
      const pairings = await ports.store.listPairings(programme.id);
      return pairings.some((p) => isInJurisdiction(staff, programme, p, directory));
    }),
  );
  return {
    staff: {
      name: staff.name,
      email: staff.email,
      role: staff.role,
      commissionId: staff.commissionId,
      commission: commissionName(directory, staff),
    },
    programmes: programmes.filter((_, i) => visible[i]).map(programmeHeading),
  };
}

export function commissionName(directory: InstitutionDirectory, staff: Pick<StaffIdentity, 'commissionId'>) {
  return directory.byId.get(staff.commissionId)?.name ?? staff.commissionId;
}
