/**
 * Commission staff: who may see and do what in the console. A staff account belongs to one
 * commission (the provincial commission or a city health commission) and has one role.
 *
 * Jurisdiction follows the plans' reporting routes: the provincial commission oversees its whole
 * programme; a city commission the pairings it is answerable for (Fujian §3(1): the supporting
 * hospital's city commission, or the province for a provincially managed lead; Jiangsu §7(1)–(2):
 * both paired city commissions), the same routing the reminders escalate along.
 */
import { userFacingError } from './errors.ts';
import { type Institution, PARTIES, type Pairing, type Party, type Programme } from './model.ts';
import type { InstitutionDirectory } from './pairings.ts';
import { partyResolver } from './parties.ts';

/** What a staff member may do in the console, least to most. */
export const STAFF_ROLES = ['viewer', 'reviewer', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const isStaffRole = (value: string): value is StaffRole =>
  (STAFF_ROLES as readonly string[]).includes(value);

/**
 * A signed-in staff member, from claims the identity provider signed, or the operator on the command
 * line: whoever acts in the console or through a staff command.
 */
export interface StaffIdentity {
  /** The identity provider's stable subject (`sub`): the key for audit entries, never the email. */
  subject: string;
  email: string;
  name: string;
  /** The institution id of the staff member's commission, e.g. `fj-provincial-commission`. */
  commissionId: string;
  role: StaffRole;
}

/** What each role may do: viewers look, reviewers also act on obligations, admins also on contacts. */
const ALLOWED: Record<StaffRole, ReadonlySet<StaffAction>> = {
  viewer: new Set(['view']),
  reviewer: new Set(['view', 'review', 'extend', 'exempt']),
  admin: new Set(['view', 'review', 'extend', 'exempt', 'manage-contacts', 'manage-links', 'move-clock']),
};

/** `move-clock`: move the local stack's simulated date (there is none on AWS). */
export type StaffAction =
  | 'view'
  | 'review'
  | 'extend'
  | 'exempt'
  | 'manage-contacts'
  | 'manage-links'
  | 'move-clock';

export function mayDo(actor: Pick<StaffIdentity, 'role'>, action: StaffAction): boolean {
  return ALLOWED[actor.role].has(action);
}

/** The commissions a pairing answers to: its programme's provincial commission and its city ones. */
export function overseeingCommissions(
  programme: Programme,
  pairing: Pairing,
  directory: InstitutionDirectory,
): Institution[] {
  const parties = partyResolver(programme, pairing, directory);
  return [
    ...parties.institutions('provincial-commission'),
    ...parties.institutions('responsible-city-commission'),
  ];
}

export function isInJurisdiction(
  actor: Pick<StaffIdentity, 'commissionId'>,
  programme: Programme,
  pairing: Pairing,
  directory: InstitutionDirectory,
): boolean {
  if (actor.commissionId === programme.provincialCommissionId) return true;
  return overseeingCommissions(programme, pairing, directory).some((c) => c.id === actor.commissionId);
}

/** A programme with its pairings: what jurisdiction over an institution is decided from. */
export interface ProgrammePlan {
  programme: Programme;
  pairings: readonly Pairing[];
}

/** The parties that submit and are reminded for a pairing: its supporters, recipient and county government. */
const ACTING_PARTIES: readonly Party[] = [
  'lead-supporter',
  'other-supporters',
  'recipient',
  'county-government',
];

function isPartyOf(
  institutionId: string,
  parties: readonly Party[],
  programme: Programme,
  pairing: Pairing,
  directory: InstitutionDirectory,
): boolean {
  const resolver = partyResolver(programme, pairing, directory);
  return parties.some((party) => resolver.institutions(party).some((i) => i.id === institutionId));
}

/**
 * The programmes an institution takes part in: those it is a party of a pairing of (in any role, the
 * commissions included), and those of its own province (a commission or CDC no pairing names yet).
 */
export function programmesOfInstitution(
  institution: Institution,
  plans: readonly ProgrammePlan[],
  directory: InstitutionDirectory,
): Programme[] {
  return plans
    .filter(
      ({ programme, pairings }) =>
        programme.provincialCommissionId === institution.id ||
        programme.province === institution.place.province ||
        pairings.some((pairing) => isPartyOf(institution.id, PARTIES, programme, pairing, directory)),
    )
    .map(({ programme }) => programme);
}

/**
 * Whether the actor may correct or remove the contacts of `institution`: its own commission's; those
 * of a supporter, recipient or county government of a pairing the actor oversees; and, for the
 * provincial commission, every institution taking part in its programme. Another commission's
 * contacts are the province's to manage: a city commission overseeing a pairing does not redirect the
 * mail of the commissions it answers to or works beside.
 */
export function isContactInJurisdiction(
  actor: Pick<StaffIdentity, 'commissionId'>,
  institution: Institution,
  plans: readonly ProgrammePlan[],
  directory: InstitutionDirectory,
): boolean {
  if (actor.commissionId === institution.id) return true;
  const takenPartIn = new Set(programmesOfInstitution(institution, plans, directory).map((p) => p.id));
  return plans.some(({ programme, pairings }) => {
    if (actor.commissionId === programme.provincialCommissionId) return takenPartIn.has(programme.id);
    return pairings.some(
      (pairing) =>
        isInJurisdiction(actor, programme, pairing, directory) &&
        isPartyOf(institution.id, ACTING_PARTIES, programme, pairing, directory),
    );
  });
}

/** Refused: outside the actor's jurisdiction, or beyond the actor's role. 403 at every edge. */
export class StaffForbiddenError extends userFacingError('staff-forbidden') {
  override readonly name = 'StaffForbiddenError';
  constructor(
    readonly reason: 'jurisdiction' | 'role',
    message: string,
  ) {
    super(message);
  }
}
