/**
 * What deciding a staff member's reach over an institution reads: every programme with its pairings,
 * and the institutions. Contacts and sign-ins are not about one pairing, so the whole plans are read.
 */
import type { Institution } from '../domain/model.ts';
import { type InstitutionDirectory, institutionDirectory } from '../domain/pairings.ts';
import type { ProgrammePlan } from '../domain/staff.ts';
import type { PlanReader } from './ports.ts';

export interface StaffScope {
  plans: ProgrammePlan[];
  directory: InstitutionDirectory;
}

export async function staffScope(store: PlanReader): Promise<StaffScope> {
  const [programmes, institutions] = await Promise.all([store.listProgrammes(), store.listInstitutions()]);
  const plans = await Promise.all(
    programmes.map(async (programme) => ({ programme, pairings: await store.listPairings(programme.id) })),
  );
  return { plans, directory: institutionDirectory(institutions) };
}

/** An institution by its id, or by a name or alias the plans use. */
export function institutionByRef(directory: InstitutionDirectory, ref: string): Institution | undefined {
  const trimmed = ref.trim();
  return directory.byId.get(trimmed) ?? directory.byName.get(trimmed);
}
