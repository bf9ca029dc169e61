/**
 * Every DynamoDB key in one place, each next to the access path it serves. One table:
 *
 * | item          | PK                 | SK                           | GSI1 (by programme)             | GSI2 (open obligations by due date) |
 * |---------------|--------------------|------------------------------|---------------------------------|-------------------------------------|
 * | institution   | INST#<id>          | META                         | INSTITUTIONS / <id>             |                                     |
 * | contacts      | INST#<id>          | CONTACTS                     | CONTACTS / <id>                 |                                     |
 * | authorities   | PLACES#<province>  | AUTHORITIES                  |                                 |                                     |
 * | programme     | PROG#<id>          | META                         | PROGRAMMES / <id>               |                                     |
 * | pairing       | PAIR#<pairingId>   | META                         | PROG#<programmeId> / PAIR#<id>  |                                     |
 * | obligation    | PAIR#<pairingId>   | OBL#<kind>#<year>            | PROG#<pid> / OBL#<due>#<oblId>  | DUE#<pid>#<yyyy> / <due>#<oblId>    |
 * | reminder log  | PAIR#<pairingId>   | SENT#<kind>#<year>#<stage>#  | PROG#<pid> / SENT#<day>#<oblId>#<stage># |                    |
 * | address       | EMAIL#<email>      | STATUS                       |                                 |                                     |
 * | submission    | PAIR#<pairingId>   | SUB#<kind>#<year>#<version>  | PROG#<pid> / SUB#<kind>#<year>#<pairingId>#<version> |                |
 * | upload link   | PAIR#<pairingId>   | LINK#<kind>#<year>#<instId>  |                                 |                                     |
 * | upload slot   | PAIR#<pairingId>   | SLOT#<slotId>                |                                 |                                     |
 * | document      | DOC#<id>           | META                         | DOCUMENTS / <generatedAt>#<id>  |                                     |
 * | forwarding   | PAIR#<pid>~<commissionId> | FWD#<kind>#<year>     | PROG#<pid> / FWD#<due>#<fwdId>  | FDUE#<pid>#<yyyy> / <due>#<fwdId>   |
 * | audit (pairing)   | PAIR#<pairingId> | AUDIT#<id>                 | PROG#<pid> / AUDIT#<at>#<id>    |                                     |
 * | audit (programme) | PROG#<pid>       | AUDIT#<id>                 | PROG#<pid> / AUDIT#<at>#<id>    |                                     |
 * | pending notice | PENDING#delivery-notices | <at>#<messageId>#<email> |                              |                                     |
 *
 * - An institution's contacts: one item holding them all (`contacts`, a list, with an `itemVersion`).
 *   The tick reads the contacts of every institution a day's reminders go to (about one per due
 *   obligation on a busy day): one BatchGet of 100 institutions reads 100 items, where a Query per
 *   institution read every contact item and cost a request each. Edits are rare and per institution
 *   (an admin's correction, a roster import), so each rewrites its institution's item, conditional on
 *   the version it read. Every contact is listed by one GSI1 query (PK = CONTACTS). Tables written
 *   before this layout held one item per contact (SK CONTACT#<email>, GSI1 CONTACTS / <id>#<email>,
 *   item type `contact`); the seed step and a roster import fold them into their institution's item,
 *   then delete them.
 * - The city health commissions and county governments of a province, by city and county: GetItem
 *   PLACES#<province> (one small item the institutions' sync keeps, ids only), then BatchGet of the
 *   institutions a tick's pairings need; so a tick never lists every institution.
 * - Everything of one pairing: Query PK = PAIR#<id> (its obligations, reminder log, and later its
 *   submissions, all under the same partition).
 * - Whether a reminder went out: GetItem (a page of them: BatchGet) PK = PAIR#<id>, SK
 *   SENT#<kind>#<year>#<stage>#. One item per (obligation, stage), an attribute per address, each
 *   written with a condition: the exactly-once record. Tables from before held one item per address
 *   under that prefix (SENT#…#<stage>#<email>); the seed step folds them in.
 * - An obligation's submissions: Query PK = PAIR#<id>, SK prefix SUB#<kind>#<year>#; each version is
 *   one item put only if absent, so concurrent uploads cannot share a version number.
 * - A pairing's reminder log (its page and dossier): Query PK = PAIR#<id>, SK prefix SENT#.
 * - What was sent on a day: Query GSI1 PK = PROG#<id>, SK prefix SENT#<day> (the day of a stage's
 *   first send).
 * - Addresses SES rejected (or, later, that bounced): GetItem EMAIL#<address>.
 * - Everything of one programme: Query GSI1 PK = PROG#<id>, SK prefix per entity.
 * - Expiry (TTL attribute `expiresAt`): only an upload slot whose file never came; a finished slot loses
 *   it and stays, the record of what happened to that upload.
 * - The audit log beyond obligations (theirs is on the obligation item): a pairing's entries (links
 *   revoked) are Query PK = PAIR#<id>, SK prefix AUDIT#; a programme's own (sign-ins, contact changes)
 *   sit under PK = PROG#<id>. The id is the sort key, so an entry is put once (only if absent); GSI1
 *   PK = PROG#<id>, SK from AUDIT#<since> lists a programme's entries of both kinds by time.
 * - Bounce and complaint notices held over a non-working day: Query PK = PENDING#delivery-notices
 *   (one small partition: a notice is put only if absent when the event comes, and deleted once the
 *   next working day's tick has sent it).
 * - Obligations due in a date window: Query GSI2 PK = DUE#<pid>#<yyyy>, SK BETWEEN dates. The index is
 *   sparse: an obligation carries GSI2 keys only while it still needs action, so a submitted or exempt
 *   obligation drops out and the tick's cost grows with what is due, never with the table.
 */
export const TABLE_KEYS = {
  partitionKey: 'PK',
  sortKey: 'SK',
  byProgramme: { indexName: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
  openByDueDate: { indexName: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK' },
  /** Epoch seconds after which DynamoDB may delete the item (housekeeping: deletion lags up to days). */
  timeToLive: 'expiresAt',
} as const;

export interface ItemKeys {
  PK: string;
  SK: string;
  GSI1PK?: string;
  GSI1SK?: string;
  GSI2PK?: string;
  GSI2SK?: string;
}

const PENDING_NOTICES = 'PENDING#delivery-notices';

const versionKey = (version: number) => `v${String(version).padStart(6, '0')}`;

export const keys = {
  institution: (id: string): ItemKeys => ({
    PK: `INST#${id}`,
    SK: 'META',
    GSI1PK: 'INSTITUTIONS',
    GSI1SK: id,
  }),
  allInstitutions: () => ({ GSI1PK: 'INSTITUTIONS' }),
  /** Which institution is the city commission of each city and the government of each county. */
  placeAuthorities: (province: string) => ({ PK: `PLACES#${province}`, SK: 'AUTHORITIES' }),

  /** All the contacts of one institution, in one item. */
  contactsOf: (institutionId: string): ItemKeys => ({
    PK: `INST#${institutionId}`,
    SK: 'CONTACTS',
    GSI1PK: 'CONTACTS',
    GSI1SK: institutionId,
  }),
  allContacts: () => ({ GSI1PK: 'CONTACTS' }),
  /** A contact as tables before one item per institution held it: read and deleted by the upgrade only. */
  legacyContact: (institutionId: string, email: string) => ({
    PK: `INST#${institutionId}`,
    SK: `CONTACT#${email.toLowerCase()}`,
  }),

  programme: (id: string): ItemKeys => ({ PK: `PROG#${id}`, SK: 'META', GSI1PK: 'PROGRAMMES', GSI1SK: id }),
  allProgrammes: () => ({ GSI1PK: 'PROGRAMMES' }),

  pairing: (programmeId: string, pairingId: string): ItemKeys => ({
    PK: `PAIR#${pairingId}`,
    SK: 'META',
    GSI1PK: `PROG#${programmeId}`,
    GSI1SK: `PAIR#${pairingId}`,
  }),
  pairingsOfProgramme: (programmeId: string) => ({ GSI1PK: `PROG#${programmeId}`, GSI1SKPrefix: 'PAIR#' }),
  everythingOfPairing: (pairingId: string) => ({ PK: `PAIR#${pairingId}` }),

  obligation: (o: {
    id: string;
    programmeId: string;
    pairingId: string;
    kind: string;
    year: number;
    effectiveDueDate: string;
    needsAction: boolean;
  }): ItemKeys => ({
    PK: `PAIR#${o.pairingId}`,
    SK: `OBL#${o.kind}#${o.year}`,
    GSI1PK: `PROG#${o.programmeId}`,
    GSI1SK: `OBL#${o.effectiveDueDate}#${o.id}`,
    ...(o.needsAction
      ? {
          GSI2PK: `DUE#${o.programmeId}#${o.effectiveDueDate.slice(0, 4)}`,
          GSI2SK: `${o.effectiveDueDate}#${o.id}`,
        }
      : {}),
  }),
  obligationsOfProgramme: (programmeId: string) => ({ GSI1PK: `PROG#${programmeId}`, GSI1SKPrefix: 'OBL#' }),

  /**
   * A city commission's deliverable to the province, in its collection's partition; its own GSI1
   * prefix and GSI2 partitions keep it out of the pairings' lists and due index.
   */
  forwarding: (f: {
    id: string;
    programmeId: string;
    commissionId: string;
    kind: string;
    year: number;
    effectiveDueDate: string;
    needsAction: boolean;
  }): ItemKeys => ({
    PK: `PAIR#${f.programmeId}~${f.commissionId}`,
    SK: `FWD#${f.kind}#${f.year}`,
    GSI1PK: `PROG#${f.programmeId}`,
    GSI1SK: `FWD#${f.effectiveDueDate}#${f.id}`,
    ...(f.needsAction
      ? {
          GSI2PK: `FDUE#${f.programmeId}#${f.effectiveDueDate.slice(0, 4)}`,
          GSI2SK: `${f.effectiveDueDate}#${f.id}`,
        }
      : {}),
  }),
  forwardingsOfProgramme: (programmeId: string) => ({ GSI1PK: `PROG#${programmeId}`, GSI1SKPrefix: 'FWD#' }),
  /** The legacy layout's key of one (obligation, stage, address): read and folded in, never written. */
  legacyReminder: (r: { pairingId: string; kind: string; year: number; stage: string; email: string }) => ({
    PK: `PAIR#${r.pairingId}`,
    SK: `SENT#${r.kind}#${r.year}#${r.stage}#${r.email.toLowerCase()}`,
  }),
  reminderStage: (r: {
    pairingId: string;
    kind: string;
    year: number;
    stage: string;
    programmeId?: string;
    obligationId?: string;
    day?: string;
  }): ItemKeys => ({
    PK: `PAIR#${r.pairingId}`,
    SK: `SENT#${r.kind}#${r.year}#${r.stage}#`,
    ...(r.day && r.programmeId && r.obligationId
      ? { GSI1PK: `PROG#${r.programmeId}`, GSI1SK: `SENT#${r.day}#${r.obligationId}#${r.stage}#` }
      : {}),
  }),
  remindersOfStage: (pairingId: string, kind: string, year: number, stage: string) => ({
    PK: `PAIR#${pairingId}`,
    SKPrefix: `SENT#${kind}#${year}#${stage}#`,
  }),
  remindersOfPairing: (pairingId: string) => ({ PK: `PAIR#${pairingId}`, SKPrefix: 'SENT#' }),
  remindersOfProgramme: (programmeId: string) => ({ GSI1PK: `PROG#${programmeId}`, GSI1SKPrefix: 'SENT#' }),

  /**
   * One version of an obligation's submissions: the version is the key, so a number is taken once
   * (written only if absent). Zero-padded so versions sort in order.
   */
  submission: (s: {
    programmeId: string;
    pairingId: string;
    kind: string;
    year: number;
    version: number;
  }): ItemKeys => ({
    PK: `PAIR#${s.pairingId}`,
    SK: `SUB#${s.kind}#${s.year}#${versionKey(s.version)}`,
    GSI1PK: `PROG#${s.programmeId}`,
    GSI1SK: `SUB#${s.kind}#${s.year}#${s.pairingId}#${versionKey(s.version)}`,
  }),
  submissionsOfObligation: (pairingId: string, kind: string, year: number) => ({
    PK: `PAIR#${pairingId}`,
    SKPrefix: `SUB#${kind}#${year}#`,
  }),
  /** All submissions of a programme, or of one kind and year: GSI1 with a prefix. */
  submissionsOfProgramme: (programmeId: string, kind?: string, year?: number) => ({
    GSI1PK: `PROG#${programmeId}`,
    GSI1SKPrefix: `SUB#${kind ? `${kind}#${year !== undefined ? `${year}#` : ''}` : ''}`,
  }),
  submissionsOfPairing: (pairingId: string) => ({ PK: `PAIR#${pairingId}`, SKPrefix: 'SUB#' }),

  /** The generation of an institution's personal link for an obligation: revoking bumps it. */
  uploadLink: (pairingId: string, kind: string, year: number, institutionId: string) => ({
    PK: `PAIR#${pairingId}`,
    SK: `LINK#${kind}#${year}#${institutionId}`,
  }),
  uploadLinksOfPairing: (pairingId: string) => ({ PK: `PAIR#${pairingId}`, SKPrefix: 'LINK#' }),
  /** An upload the server allowed: the object key names the pairing and slot, so ingest finds it. */
  uploadSlot: (pairingId: string, slotId: string) => ({ PK: `PAIR#${pairingId}`, SK: `SLOT#${slotId}` }),

  /** A generated PDF; staff list them newest first through GSI1. */
  document: (d: { id: string; generatedAt: string }): ItemKeys => ({
    PK: `DOC#${d.id}`,
    SK: 'META',
    GSI1PK: 'DOCUMENTS',
    GSI1SK: `${d.generatedAt}#${d.id}`,
  }),
  allDocuments: () => ({ GSI1PK: 'DOCUMENTS' }),

  /** An audit entry not kept on an obligation: in its pairing's partition, or else its programme's. */
  auditEntry: (e: { id: string; at: string; programmeId: string; pairingId?: string }): ItemKeys => ({
    PK: e.pairingId ? `PAIR#${e.pairingId}` : `PROG#${e.programmeId}`,
    SK: `AUDIT#${e.id}`,
    GSI1PK: `PROG#${e.programmeId}`,
    GSI1SK: `AUDIT#${e.at}#${e.id}`,
  }),
  auditOfPairing: (pairingId: string) => ({ PK: `PAIR#${pairingId}`, SKPrefix: 'AUDIT#' }),
  /** GSI1 SK BETWEEN from AND to: '~' sorts after every ISO instant. */
  auditOfProgramme: (programmeId: string, since = '') => ({
    GSI1PK: `PROG#${programmeId}`,
    GSI1SKFrom: `AUDIT#${since}`,
    GSI1SKTo: 'AUDIT#~',
  }),

  address: (email: string): ItemKeys => ({ PK: `EMAIL#${email.toLowerCase()}`, SK: 'STATUS' }),

  /** A notice held for a working day, by the problem's identity: SES's time, message and the address. */
  pendingDeliveryNotice: (n: { at: string; messageId: string; email: string }): ItemKeys => ({
    PK: PENDING_NOTICES,
    SK: `${n.at}#${n.messageId}#${n.email.toLowerCase()}`,
  }),
  pendingDeliveryNotices: () => ({ PK: PENDING_NOTICES }),

  /** One GSI2 partition per programme and due year; a window crossing New Year queries two. */
  openObligationsDue: (programmeId: string, year: number) => ({ GSI2PK: `DUE#${programmeId}#${year}` }),
  openForwardingsDue: (programmeId: string, year: number) => ({ GSI2PK: `FDUE#${programmeId}#${year}` }),
} as const;
