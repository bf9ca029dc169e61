/**
 * A staff member's sign-in, in the audit log. Shaped as the console's `onSignIn(identity, at)` hook,
 * which runs before the session exists, so a sign-in that could not be recorded does not happen:
 * `onSignIn: (identity, at) => recordSignIn({ store }, identity, at)`.
 *
 * 1. Find the programmes the staff member's commission takes part in (programmesOfInstitution).
 * 2. Append a `sign-in` entry to each one's log; a second sign-in in the same minute is the same
 *    entry, so a retried or doubled callback records it once.
 *
 * A commission that takes part in no programme is refused (StaffForbiddenError): its staff would see
 * nothing, and their sign-in would have no log to go in.
 */
import labels from '../../templates/staff-actions.zh.json' with { type: 'json' };
import { signInEntry } from '../domain/audit.ts';
import { programmesOfInstitution, StaffForbiddenError, type StaffIdentity } from '../domain/staff.ts';
import type { SignInStore } from './ports.ts';
import { staffScope } from './staff-scope.ts';

export interface SignInPorts {
  store: SignInStore;
}

export async function recordSignIn(ports: SignInPorts, identity: StaffIdentity, at: Date): Promise<void> {
  const { plans, directory } = await staffScope(ports.store);
  const commission = directory.byId.get(identity.commissionId);
  const programmes = commission ? programmesOfInstitution(commission, plans, directory) : [];
  if (programmes.length === 0) throw new StaffForbiddenError('jurisdiction', labels.signIn.noProgramme);
  for (const programme of programmes) await ports.store.appendAudit(signInEntry(identity, programme.id, at));
}
