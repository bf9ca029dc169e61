/**
 * Loads the plans (institutions and programmes) into the store.
 *
 * 1. Check every file against its schema and every name against the institution directory.
 * 2. Derive pairings (lead rule, task-level merge) and their obligations.
 * 3. Only when every file is clean, write what differs from what is stored: running it twice changes
 *    nothing, and a bad file leaves the store untouched.
 */
import type { z } from 'zod';
import type { Institution, Pairing, Programme } from '../domain/model.ts';
import {
  annexRowLocator,
  type InstitutionDirectory,
  institutionDirectory,
  pairingsFromAnnexes,
} from '../domain/pairings.ts';
import { forwardingsOf } from '../domain/reporting-chain.ts';
import { institutionsFileSchema, type ProgrammeFile, programmeFileSchema } from '../domain/seed-schema.ts';
import { obligationsOfPairing } from '../domain/timeline.ts';
import { InputRejectedError, type ValidationIssue } from '../domain/validation.ts';
import { prcCalendar, type WorkingDayCalendar } from '../domain/working-days.ts';
import type { LayoutUpgrade, SeedStore, SyncCounts } from './ports.ts';

export interface SeedFile {
  /** Shown in errors: the path a person would open. */
  name: string;
  /** The parsed JSON. */
  content: unknown;
}

export interface SeedInput {
  institutions: SeedFile;
  programmes: SeedFile[];
}

export interface PlannedSeeds {
  institutions: Institution[];
  programmes: { programme: Programme; pairings: Pairing[] }[];
}

export interface SeedLoadResult {
  /** What of an earlier version's layout was rewritten before the plans were loaded. */
  layout: LayoutUpgrade;
  institutions: SyncCounts;
  programmes: {
    id: string;
    pairings: SyncCounts;
    obligations: SyncCounts;
    forwardings: SyncCounts;
    /** Reminder records an earlier version wrote, moved into the current layout. */
    remindersUpgraded: number;
  }[];
}

/**
 * Loads the plans. Also upgrades a table loaded by an earlier version in place: first the store
 * rewrites what it kept in a layout since replaced (contacts, once an item each); then definitions
 * that changed (a due date the reporting chain moved, a new forwarding) are rewritten, while what was
 * recorded (submissions, reviews, extensions, reminders sent, audit entries) is kept, and the reminder
 * log an earlier version wrote is moved into the current layout.
 */
export async function loadSeeds(
  store: SeedStore,
  input: SeedInput,
  calendar: WorkingDayCalendar = prcCalendar,
): Promise<SeedLoadResult> {
  const planned = planSeeds(input);
  const directory = institutionDirectory(planned.institutions);
  const layout = await store.upgradeStoredLayout();
  const institutions = await store.syncInstitutions(planned.institutions);
  const programmes = [];
  for (const { programme, pairings } of planned.programmes) {
    await store.syncProgramme(programme);
    const pairingCounts = await store.syncPairings(programme.id, pairings);
    const obligations = pairings.flatMap((pairing) =>
      obligationsOfPairing(programme, pairing, directory, calendar),
    );
    const obligationCounts = await store.syncObligations(programme.id, obligations);
    const forwardingCounts = await store.syncForwardings(
      programme.id,
      forwardingsOf(programme, pairings, directory),
    );
    const remindersUpgraded = await store.upgradeReminderLog(programme.id);
    programmes.push({
      id: programme.id,
      pairings: pairingCounts,
      obligations: obligationCounts,
      forwardings: forwardingCounts,
      remindersUpgraded,
    });
  }
  return { layout, institutions, programmes };
}

/** Validates everything and derives what would be written; throws InputRejectedError listing all problems. */
export function planSeeds(input: SeedInput): PlannedSeeds {
  const issues: ValidationIssue[] = [];
  const institutions = parse(input.institutions, institutionsFileSchema, issues)?.institutions ?? [];
  issues.push(...institutionIssues(input.institutions.name, institutions));
  const directory = institutionDirectory(institutions);

  const programmes: PlannedSeeds['programmes'] = [];
  const seenIds = new Set<string>();
  for (const file of input.programmes) {
    const parsed = parse(file, programmeFileSchema, issues);
    if (!parsed) continue;
    if (seenIds.has(parsed.id)) {
      issues.push({ file: file.name, field: 'id', message: `programme "${parsed.id}" is defined twice` });
      continue;
    }
    seenIds.add(parsed.id);
    const built = pairingsFromAnnexes(file.name, parsed, directory);
    issues.push(...built.issues);
    const commission = directory.byName.get(parsed.provincialCommission);
    if (commission?.type !== 'provincial-commission') {
      issues.push({
        file: file.name,
        field: 'provincialCommission',
        message: `"${parsed.provincialCommission}" is not a provincial commission in ${input.institutions.name}`,
      });
    }
    issues.push(...partyIssues(file.name, parsed, built.pairings, institutions));
    issues.push(...chainIssues(file.name, parsed, directory));
    if (commission)
      programmes.push({ programme: toProgramme(parsed, commission.id), pairings: built.pairings });
  }
  if (issues.length > 0) throw new InputRejectedError('seed files', issues);
  return { institutions, programmes };
}

function parse<S extends z.ZodType>(
  file: SeedFile,
  schema: S,
  issues: ValidationIssue[],
): z.infer<S> | undefined {
  const result = schema.safeParse(file.content);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    issues.push({
      file: file.name,
      row: rowOf(file.content, issue.path),
      field: issue.path.join('.'),
      message: issue.message,
    });
  }
  return undefined;
}

/** Names the table row behind a schema error, e.g. `附件1 序号11`, or the institution's id. */
function rowOf(content: unknown, path: readonly PropertyKey[]): string | undefined {
  const at = (value: unknown, key: PropertyKey) =>
    value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  if (path[0] === 'institutions' && typeof path[1] === 'number') {
    const institution = at(at(content, 'institutions'), path[1]);
    const id = at(institution, 'id');
    return typeof id === 'string' ? id : `institutions[${path[1]}]`;
  }
  if (
    path[0] === 'annexes' &&
    typeof path[1] === 'number' &&
    path[2] === 'rows' &&
    typeof path[3] === 'number'
  ) {
    const annex = at(at(content, 'annexes'), path[1]);
    const seq = at(at(at(annex, 'rows'), path[3]), 'seq');
    return annexRowLocator(
      String(at(annex, 'annex') ?? `annexes[${path[1]}]`),
      seq === undefined ? undefined : String(seq),
      path[3],
    );
  }
  return undefined;
}

function institutionIssues(file: string, institutions: readonly Institution[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const ids = new Set<string>();
  const names = new Map<string, string>();
  for (const institution of institutions) {
    if (ids.has(institution.id)) {
      issues.push({ file, row: institution.id, field: 'id', message: 'duplicate institution id' });
    }
    ids.add(institution.id);
    for (const name of [institution.name, ...institution.aliases]) {
      const other = names.get(name);
      if (other && other !== institution.id) {
        issues.push({ file, row: institution.id, field: 'name', message: `"${name}" also names ${other}` });
      }
      names.set(name, institution.id);
    }
  }
  return issues;
}

/** Every party an obligation names must be resolvable for every pairing, or reminders would go nowhere. */
function partyIssues(
  file: string,
  programme: ProgrammeFile,
  pairings: readonly Pairing[],
  institutions: readonly Institution[],
): ValidationIssue[] {
  const parties = new Set(
    programme.obligationKinds.flatMap((k) => [
      ...k.submittedBy,
      ...k.overseenBy,
      ...k.remind.to,
      ...k.remind.cc,
      ...k.escalation.afterDue,
      ...k.escalation.lastStage,
    ]),
  );
  if (!parties.has('county-government')) return [];
  const byId = new Map(institutions.map((i) => [i.id, i]));
  const governments = new Set(
    institutions
      .filter((i) => i.type === 'county-government')
      .map((i) => `${i.place.province}/${i.place.county}`),
  );
  return pairings.flatMap((pairing) => {
    const recipient = byId.get(pairing.recipientId);
    if (!recipient || governments.has(`${recipient.place.province}/${recipient.place.county}`)) return [];
    return [
      {
        file,
        row: pairing.sources[0]
          ? `${pairing.sources[0].annex} ${pairing.sources[0].recipientName}`
          : pairing.id,
        field: 'recipient',
        message: `no county government for ${recipient.place.county ?? '(no county)'}, ${recipient.place.province}; agreements need one`,
      },
    ];
  });
}

/** A city's own lead must name a city commission, and each forwarding a kind the programme has. */
function chainIssues(
  file: string,
  programme: ProgrammeFile,
  directory: InstitutionDirectory,
): ValidationIssue[] {
  const kinds = new Set(programme.obligationKinds.map((k) => k.kind));
  return programme.reportingChain.forwardings.flatMap((rule, f) => [
    ...(kinds.has(rule.forwards)
      ? []
      : [
          {
            file,
            field: `reportingChain.forwardings[${f}].forwards`,
            message: `"${rule.forwards}" is not an obligation kind of this programme`,
          },
        ]),
    ...Object.keys(rule.hospitalLeadByCommission).flatMap((id) =>
      directory.byId.get(id)?.type === 'city-health-commission'
        ? []
        : [
            {
              file,
              field: `reportingChain.forwardings[${f}].hospitalLeadByCommission.${id}`,
              message: `"${id}" is not a city health commission`,
            },
          ],
    ),
  ]);
}

function toProgramme(file: ProgrammeFile, provincialCommissionId: string): Programme {
  const { annexes: _annexes, provincialCommission: _name, ...rest } = file;
  return { ...rest, provincialCommissionId };
}
