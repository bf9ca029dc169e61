/**
 * The plans as stored: institutions, programmes, pairings and their obligations. Loaded by the seed
 * sync (what differs only); an obligation also carries the facts recorded since (submission, review,
 * extension, exemption) and a version every write increments, and sits in the sparse due-date index
 * only while it awaits submission.
 */
import type {
  Institution,
  Obligation,
  ObligationRecord,
  Pairing,
  Place,
  Programme,
} from '../../domain/model.ts';
import type { StoredObligation } from '../../domain/records.ts';
import type { AuditEntry } from '../../domain/staff-actions.ts';
import { awaitsSubmission, recordFacts } from '../../domain/timeline.ts';
import type { ObligationFilter, ObligationRef, SyncCounts } from '../../use-cases/ports.ts';
import { type ItemKeys, keys, TABLE_KEYS } from '../dynamo-keys.ts';
import { canonical, obligationChanges, writeChanges } from './sync.ts';
import { ConcurrentChangeError, entity, type Item, type Table } from './table.ts';

const RECORD_FIELDS = ['submittedAt', 'review', 'extendedTo', 'exemptedAt'] as const;
/** Staff actions' audit entries, kept on the obligation's own item so each is written with its change. */
const AUDIT_ATTRIBUTE = 'auditLog';

export class DynamoPlans {
  constructor(private readonly table: Table) {}

  async listInstitutions(): Promise<Institution[]> {
    const items = await this.table.index(TABLE_KEYS.byProgramme, keys.allInstitutions().GSI1PK);
    return items.map((item) => entity<Institution>(item));
  }

  /** The institutions of these ids that exist, in no particular order: BatchGet, 100 to a request. */
  async getInstitutions(ids: readonly string[]): Promise<Institution[]> {
    const items = await this.table.batchGet(
      [...new Set(ids)].map((id) => ({ PK: keys.institution(id).PK, SK: 'META' })),
    );
    return items.map((item) => entity<Institution>(item));
  }

  /**
   * The city health commissions of the places' cities and the government of their counties: the
   * provinces' authority items (kept by syncInstitutions), then BatchGet of the institutions they
   * name. A province without its item (a table loaded before the item existed) is answered from the
   * full list, so the answer is the same either way, until the next seed load writes the item.
   */
  async authoritiesOf(places: readonly Place[]): Promise<Institution[]> {
    const provinces = [...new Set(places.map((p) => p.province))];
    if (provinces.length === 0) return [];
    const items = await this.table.batchGet(provinces.map((p) => keys.placeAuthorities(p)));
    const stored = new Map(items.map((item) => [item.PK, entity<PlaceAuthorities>(item)]));
    const ofProvince = (province: string) => stored.get(keys.placeAuthorities(province).PK);
    if (provinces.some((p) => !ofProvince(p))) {
      return authoritiesAmong(await this.listInstitutions(), places);
    }
    return this.getInstitutions(
      places.flatMap((place) => authorityIdsAt(ofProvince(place.province) as PlaceAuthorities, place)),
    );
  }

  async listProgrammes(): Promise<Programme[]> {
    const items = await this.table.index(TABLE_KEYS.byProgramme, keys.allProgrammes().GSI1PK);
    return items.map((item) => entity<Programme>(item));
  }

  async listPairings(programmeId: string): Promise<Pairing[]> {
    const k = keys.pairingsOfProgramme(programmeId);
    const items = await this.table.index(TABLE_KEYS.byProgramme, k.GSI1PK, k.GSI1SKPrefix);
    return items.map((item) => entity<Pairing>(item));
  }

  async getPairings(ids: readonly string[]): Promise<Pairing[]> {
    const items = await this.table.batchGet(
      [...new Set(ids)].map((id) => ({ PK: `PAIR#${id}`, SK: 'META' })),
    );
    return items.map((item) => entity<Pairing>(item));
  }

  /** In order of the due date in force. */
  /**
   * A kind (and year) is filtered by DynamoDB: the items are still read, but only the kind's come back,
   * so a status document of 10,000 pairings holds its 10,000 rows, not the plan's five years of both.
   */
  async listObligations(programmeId: string, only?: ObligationFilter): Promise<StoredObligation[]> {
    const k = keys.obligationsOfProgramme(programmeId);
    const items = await this.table.index(
      TABLE_KEYS.byProgramme,
      k.GSI1PK,
      k.GSI1SKPrefix,
      only && {
        expression: only.year === undefined ? '#kind = :kind' : '#kind = :kind AND #year = :year',
        names: { '#kind': 'kind', ...(only.year === undefined ? {} : { '#year': 'year' }) },
        values: { ':kind': only.kind, ...(only.year === undefined ? {} : { ':year': only.year }) },
      },
    );
    return items.map(storedObligation);
  }

  /** One pairing's obligations, from its own partition, in order of their due date in force. */
  async obligationsOfPairing(pairingId: string): Promise<StoredObligation[]> {
    const items = await this.table.partition(`PAIR#${pairingId}`, 'OBL#', { consistent: true });
    return items
      .map(storedObligation)
      .sort((a, b) =>
        `${a.obligation.effectiveDueDate}#${a.obligation.id}`.localeCompare(
          `${b.obligation.effectiveDueDate}#${b.obligation.id}`,
        ),
      );
  }

  /** Obligations still awaiting submission whose due date lies in [from, to]: index queries, no Scan. */
  async openObligationsDueBetween(
    programmeId: string,
    from: string,
    to: string,
  ): Promise<StoredObligation[]> {
    const items = await this.table.dueIndex(
      (year) => keys.openObligationsDue(programmeId, year).GSI2PK,
      from,
      to,
    );
    return items.map(storedObligation);
  }

  /**
   * `openObligationsDueBetween` one index page at a time, at most `pageSize` obligations each: the
   * tick finishes with a page before it reads the next, so what it holds does not grow with the day.
   */
  async *openObligationsDuePages(
    programmeId: string,
    from: string,
    to: string,
    pageSize: number,
  ): AsyncGenerator<StoredObligation[]> {
    const partitionOf = (year: number) => keys.openObligationsDue(programmeId, year).GSI2PK;
    for await (const page of this.table.dueIndexPages(partitionOf, from, to, pageSize)) {
      yield page.map(storedObligation);
    }
  }

  /** By key in one BatchGet (eventually consistent: for counts, not for deciding a send). */
  async getObligations(refs: readonly ObligationRef[]): Promise<StoredObligation[]> {
    const keysOf = [...new Map(refs.map((r) => [`${r.pairingId}#${r.kind}#${r.year}`, r])).values()];
    // Consistent, like getObligation: the tick re-reads a page of obligations right before it sends.
    const items = await this.table.batchGet(
      keysOf.map((r) => ({ PK: `PAIR#${r.pairingId}`, SK: `OBL#${r.kind}#${r.year}` })),
      { consistent: true },
    );
    return items.map(storedObligation);
  }

  async getObligation(pairingId: string, kind: string, year: number): Promise<StoredObligation | undefined> {
    // Consistent: the due-date index lags, and a submission recorded a moment ago must count.
    const item = await this.table.get({ PK: `PAIR#${pairingId}`, SK: `OBL#${kind}#${year}` });
    return item ? storedObligation(item) : undefined;
  }

  // ---- seed writes: only what differs, so a second load changes nothing ----------------------

  /** Writes the institutions that differ, then the provinces' authority items that differ. */
  async syncInstitutions(institutions: readonly Institution[]): Promise<SyncCounts> {
    const existing = await this.listInstitutions();
    const counts = await this.syncEntities('institution', existing, institutions, (i) =>
      keys.institution(i.id),
    );
    const all = new Map([...existing, ...institutions].map((i) => [i.id, i]));
    const wanted = placeAuthorities([...all.values()]);
    const stored = new Map(
      (await this.table.batchGet(wanted.map((a) => keys.placeAuthorities(a.province)))).map((item) => [
        item.PK,
        canonical(entity<PlaceAuthorities>(item)),
      ]),
    );
    await this.table.batchPut(
      wanted
        .filter((a) => stored.get(keys.placeAuthorities(a.province).PK) !== canonical(a))
        .map((a) => ({ ...keys.placeAuthorities(a.province), itemType: 'place-authorities', ...a })),
    );
    return counts;
  }

  async syncProgramme(programme: Programme): Promise<SyncCounts> {
    const existing = (await this.listProgrammes()).filter((p) => p.id === programme.id);
    return this.syncEntities('programme', existing, [programme], (p) => keys.programme(p.id));
  }

  async syncPairings(programmeId: string, pairings: readonly Pairing[]): Promise<SyncCounts> {
    return this.syncEntities('pairing', await this.listPairings(programmeId), pairings, (p) =>
      keys.pairing(programmeId, p.id),
    );
  }

  /**
   * Writes obligation definitions (dates) while keeping what was recorded about each (submissions,
   * reviews, extensions). Each write is conditional on the version read, so a submission recorded
   * meanwhile is never overwritten.
   */
  async syncObligations(programmeId: string, obligations: readonly Obligation[]): Promise<SyncCounts> {
    const { writes, counts } = obligationChanges(await this.listObligations(programmeId), obligations);
    for (const { obligation, record, expectedVersion, audit } of writes)
      await this.putObligation(obligation, record, expectedVersion, audit);
    return counts;
  }

  /**
   * Records facts about an obligation (a submission, a review, an extension, an exemption) and
   * re-derives its index keys: one that no longer awaits submission leaves the due-date index, so the
   * tick stops reminding. Conditional on the version read; retried twice on a concurrent change.
   */
  async recordObligationFacts(
    pairingId: string,
    kind: string,
    year: number,
    facts: Partial<ObligationRecord>,
  ): Promise<StoredObligation> {
    for (let attempt = 0; ; attempt++) {
      const current = await this.getObligation(pairingId, kind, year);
      if (!current) throw new RangeError(`no obligation ${pairingId}#${kind}#${year}`);
      const { obligation, record } = recordFacts(current, facts);
      try {
        await this.putObligation(obligation, record, current.version, current.audit);
        return {
          obligation,
          record,
          version: current.version + 1,
          ...(current.audit ? { audit: current.audit } : {}),
        };
      } catch (error) {
        if (!(error instanceof ConcurrentChangeError) || attempt >= 2) throw error;
      }
    }
  }

  /**
   * A staff action's change and its audit entry in one conditional write on the version read: of two
   * staff acting at once, the second gets ConcurrentChangeError and nothing of theirs is written.
   */
  async replaceObligationRecord(
    current: StoredObligation,
    record: ObligationRecord,
    audit: AuditEntry,
  ): Promise<StoredObligation> {
    const { obligation } = recordFacts({ ...current, record: {} }, record);
    const log = [...(current.audit ?? []), audit];
    await this.putObligation(obligation, record, current.version, log);
    return { obligation, record, version: current.version + 1, audit: log };
  }

  /** Writes one obligation item if its version is still `expectedVersion` (absent: must not exist). */
  private async putObligation(
    obligation: Obligation,
    record: ObligationRecord,
    expectedVersion?: number,
    audit?: readonly AuditEntry[],
  ): Promise<void> {
    const item = {
      ...keys.obligation({ ...obligation, needsAction: awaitsSubmission(record) }),
      itemType: 'obligation',
      ...obligation,
      ...record,
      ...(audit && audit.length > 0 ? { [AUDIT_ATTRIBUTE]: audit } : {}),
      itemVersion: (expectedVersion ?? 0) + 1,
    };
    const written =
      expectedVersion === undefined
        ? await this.table.putIfAbsent(item)
        : await this.table.putIf(item, {
            expression: 'itemVersion = :v',
            values: { ':v': expectedVersion },
          });
    if (!written) {
      throw new ConcurrentChangeError(
        `obligation ${obligation.id} changed while it was being written; run again`,
      );
    }
  }

  private async syncEntities<T extends { id: string }>(
    itemType: string,
    existing: readonly T[],
    desired: readonly T[],
    keysOf: (t: T) => ItemKeys,
  ): Promise<SyncCounts> {
    return writeChanges(
      existing,
      desired,
      (t) => t.id,
      (changed) => this.table.batchPut(changed.map((d) => ({ ...keysOf(d), itemType, ...d }))),
    );
  }
}

function storedObligation(item: Item): StoredObligation {
  const { [AUDIT_ATTRIBUTE]: audit, ...fields } = entity<
    Obligation & ObligationRecord & { auditLog?: AuditEntry[] }
  >(item);
  const record: ObligationRecord = {};
  const obligation = { ...fields } as Obligation & Partial<ObligationRecord>;
  for (const field of RECORD_FIELDS) {
    if (fields[field] !== undefined) Object.assign(record, { [field]: fields[field] });
    delete obligation[field];
  }
  return { obligation, record, version: Number(item.itemVersion ?? 0), ...(audit ? { audit } : {}) };
}

/** One province's authority item: the city commission of each city, the government of each county. */
export interface PlaceAuthorities {
  province: string;
  cityCommissions: Record<string, string>;
  countyGovernments: Record<string, string>;
}

/**
 * The authority items of the provinces `institutions` are in. Of two commissions of one city (or
 * governments of one county) the one with the later id counts, as in institutionDirectory over the
 * list in id order.
 */
export function placeAuthorities(institutions: readonly Institution[]): PlaceAuthorities[] {
  const byProvince = new Map<string, PlaceAuthorities>();
  for (const i of [...institutions].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    let entry = byProvince.get(i.place.province);
    if (!entry) {
      entry = { province: i.place.province, cityCommissions: {}, countyGovernments: {} };
      byProvince.set(i.place.province, entry);
    }
    if (i.type === 'city-health-commission' && i.place.city) entry.cityCommissions[i.place.city] = i.id;
    if (i.type === 'county-government' && i.place.county) entry.countyGovernments[i.place.county] = i.id;
  }
  return [...byProvince.values()];
}

/** The ids of the city commission of the place's city and the government of its county, where known. */
function authorityIdsAt(authorities: PlaceAuthorities, place: Place): string[] {
  const city = place.city ? authorities.cityCommissions[place.city] : undefined;
  const county = place.county ? authorities.countyGovernments[place.county] : undefined;
  return [city, county].filter((id): id is string => id !== undefined);
}

/** `authoritiesOf` over a list of institutions in hand (the in-memory twin, and the fallback above). */
export function authoritiesAmong(
  institutions: readonly Institution[],
  places: readonly Place[],
): Institution[] {
  const byProvince = new Map(placeAuthorities(institutions).map((a) => [a.province, a]));
  const byId = new Map(institutions.map((i) => [i.id, i]));
  const ids = new Set(
    places.flatMap((place) => {
      const authorities = byProvince.get(place.province);
      return authorities ? authorityIdsAt(authorities, place) : [];
    }),
  );
  return [...ids].flatMap((id) => {
    const institution = byId.get(id);
    return institution ? [institution] : [];
  });
}
