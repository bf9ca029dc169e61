/**
 * An admin corrects or removes one contact of an institution: the use case behind the console and
 * `bangfu contact update|remove`; only the actor differs.
 *
 * 1. Find the institution (by id, name or alias) and read the plans.
 * 2. The actor must manage the institution's contacts (isContactInJurisdiction) and be an admin
 *    (`manage-contacts`): refused with StaffForbiddenError otherwise.
 * 3. Find the contact by its address, in any case.
 * 4. A correction is held to the roster's rules (import-roster.ts) and may not take another contact's
 *    address. A new address is a new key: it is written before the old one is deleted, so a failure
 *    between the two leaves both (reminders reach both addresses), never neither. A removal deletes
 *    the contact: no reminder or notice goes to that address again. (A roster import that still lists
 *    the contact adds it back: the roster file is the admin's word too.)
 * 5. The audit entry, with the contact before and after, goes into the log of each programme the
 *    institution takes part in. It is written right after the change: the store has no transaction
 *    across two items, so a failure in between reaches the admin as an error rather than passing
 *    silently, and the change is there to be seen.
 */
import labels from '../../templates/staff-actions.zh.json' with { type: 'json' };
import { contactEntry } from '../domain/audit.ts';
import type { Contact, Institution } from '../domain/model.ts';
import {
  isContactInJurisdiction,
  mayDo,
  programmesOfInstitution,
  StaffForbiddenError,
  type StaffIdentity,
} from '../domain/staff.ts';
import { ActionRefusedError, type AuditEntry } from '../domain/staff-actions.ts';
import { InputRejectedError } from '../domain/validation.ts';
import { fill } from '../domain/wording.ts';
import { checkRosterRow } from './import-roster.ts';
import type { ContactActionStore } from './ports.ts';
import { institutionByRef, staffScope } from './staff-scope.ts';

export interface ContactActionPorts {
  store: ContactActionStore;
  clock: () => Date;
}

/** Which contact: its institution (id, name or alias) and its address (any case). */
export interface ContactRef {
  institution: string;
  email: string;
}

/** The fields to correct; a field left out keeps its value, an empty phone removes the number. */
export interface ContactCorrection {
  name?: string;
  role?: string;
  email?: string;
  phone?: string;
  reason?: string;
}

export interface ContactActionResult {
  before: Contact;
  /** The contact as it is now; absent after a removal. */
  after?: Contact;
  /** One entry per programme the institution takes part in. */
  audit: AuditEntry[];
}

export async function updateContact(
  ports: ContactActionPorts,
  actor: StaffIdentity,
  ref: ContactRef,
  correction: ContactCorrection,
): Promise<ContactActionResult> {
  const { institution, before, programmeIds, contacts } = await authorised(ports, actor, ref);
  const reason = reasonOf(correction.reason);
  const after = corrected(institution, before, correction);
  if (sameContact(after, before)) throw new ActionRefusedError(labels.contacts.nothingChanged);
  const keyOf = (email: string) => email.toLowerCase();
  const moves = keyOf(after.email) !== keyOf(before.email);
  if (moves && contacts.some((c) => keyOf(c.email) === keyOf(after.email))) {
    throw new ActionRefusedError(
      fill(labels.contacts.emailTaken, { institution: institution.name, email: after.email }),
    );
  }

  await ports.store.putContact(after);
  // The new address is in place, so the old one's removal may find it gone already (another admin).
  if (moves) await ports.store.removeContact(before.institutionId, before.email);
  const audit = await appendEntries(ports, programmeIds, (programmeId, at) =>
    contactEntry(actor, programmeId, before, after, at, reason),
  );
  return { before, after, audit };
}

export async function removeContact(
  ports: ContactActionPorts,
  actor: StaffIdentity,
  ref: ContactRef,
  options: { reason?: string } = {},
): Promise<ContactActionResult> {
  const { institution, before, programmeIds } = await authorised(ports, actor, ref);
  const reason = reasonOf(options.reason);
  if (!(await ports.store.removeContact(before.institutionId, before.email))) {
    throw new ActionRefusedError(
      fill(labels.contacts.removedMeanwhile, { institution: institution.name, email: before.email }),
    );
  }
  const audit = await appendEntries(ports, programmeIds, (programmeId, at) =>
    contactEntry(actor, programmeId, before, undefined, at, reason),
  );
  return { before, audit };
}

/**
 * The programmes an institution (by id, name or alias) takes part in, whose logs a change of its
 * contacts goes into: for an edge choosing whose admin acts by default.
 */
export async function programmesOfContactInstitution(
  store: ContactActionStore,
  ref: string,
): Promise<string[]> {
  const { plans, directory, institution } = await institutionInScope(store, ref);
  return programmesOfInstitution(institution, plans, directory).map((p) => p.id);
}

/** The institution, its contact and the programmes whose logs record the change, once the actor may act. */
async function authorised(ports: ContactActionPorts, actor: StaffIdentity, ref: ContactRef) {
  const { plans, directory, institution } = await institutionInScope(ports.store, ref.institution);
  if (!isContactInJurisdiction(actor, institution, plans, directory)) {
    throw new StaffForbiddenError('jurisdiction', labels.forbidden.contacts);
  }
  if (!mayDo(actor, 'manage-contacts')) throw new StaffForbiddenError('role', labels.forbidden.role);

  const contacts = await ports.store.contactsOf(institution.id);
  const before = contacts.find((c) => c.email.toLowerCase() === ref.email.trim().toLowerCase());
  if (!before) {
    throw new ActionRefusedError(
      fill(labels.contacts.unknownContact, { institution: institution.name, email: ref.email }),
    );
  }
  const programmeIds = programmesOfInstitution(institution, plans, directory).map((p) => p.id);
  if (programmeIds.length === 0) {
    throw new ActionRefusedError(fill(labels.contacts.noProgramme, { institution: institution.name }));
  }
  return { institution, before, programmeIds, contacts };
}

/** The plans and the institution `ref` names; refused when it names none. */
async function institutionInScope(store: ContactActionStore, ref: string) {
  const scope = await staffScope(store);
  const institution = institutionByRef(scope.directory, ref);
  if (!institution)
    throw new ActionRefusedError(fill(labels.contacts.unknownInstitution, { institution: ref }));
  return { ...scope, institution };
}

/** The contact after `correction`, checked by the roster's rules; InputRejectedError naming each problem. */
function corrected(institution: Institution, before: Contact, correction: ContactCorrection): Contact {
  const email = correction.email ?? before.email;
  const checked = checkRosterRow({
    institution: institution.id,
    role: correction.role ?? before.role,
    name: correction.name ?? before.name,
    email,
    phone: correction.phone ?? before.phone ?? '',
  });
  if ('problems' in checked) {
    const file = `${institution.id} ${before.email}`;
    throw new InputRejectedError(
      'contact',
      checked.problems.map((p) => ({ file, ...p })),
    );
  }
  const { row } = checked;
  return {
    institutionId: institution.id,
    role: row.role,
    name: row.name,
    // As the roster stores addresses; an address not corrected keeps its stored spelling.
    email: correction.email === undefined ? before.email : row.email.toLowerCase(),
    ...(row.phone ? { phone: row.phone } : {}),
  };
}

const sameContact = (a: Contact, b: Contact) =>
  a.role === b.role && a.name === b.name && a.email === b.email && a.phone === b.phone;

function reasonOf(reason: string | undefined): string | undefined {
  const trimmed = reason?.trim();
  if (trimmed && trimmed.length > 500) throw new ActionRefusedError(labels.refused.reasonTooLong);
  return trimmed || undefined;
}

async function appendEntries(
  ports: ContactActionPorts,
  programmeIds: readonly string[],
  entryOf: (programmeId: string, at: Date) => AuditEntry,
): Promise<AuditEntry[]> {
  const at = ports.clock();
  const entries = programmeIds.map((id) => entryOf(id, at));
  for (const entry of entries) await ports.store.appendAudit(entry);
  return entries;
}
