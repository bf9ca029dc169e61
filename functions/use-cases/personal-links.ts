/**
 * Personal upload links: what a reminder carries so one institution can upload for one obligation.
 *
 * - A link is a signed ticket for one obligation and institution, valid through the due date plus a
 *   grace period; its generation in the store makes it revocable.
 * - Resolving a link checks the ticket and its generation, then loads what it points at: the upload
 *   page (upload-page.ts) and the upload slots (upload-slots.ts) start from there.
 */
import { LinkError, type UploadTicket } from '../domain/links.ts';
import {
  type Institution,
  isObligationKind,
  type Obligation,
  type ObligationKind,
  type ObligationKindRule,
  type ObligationRecord,
  type Pairing,
  type Programme,
} from '../domain/model.ts';
import { deadlineOf } from '../domain/plain-date.ts';
import type { PresignedPost, UploadStore, UploadTickets } from './ports.ts';

export interface UploadPorts {
  store: UploadStore;
  tickets: UploadTickets;
  presignPost(input: {
    key: string;
    contentType: string;
    maxBytes: number;
    expiresInSeconds: number;
    redirectUrl: string;
  }): Promise<PresignedPost & { expiresAt: Date }>;
  clock: () => Date;
  newId: () => string;
  settings: {
    publicUrl: string;
    bucket: string;
    maxBytes: number;
    graceDays: number;
    postExpirySeconds: number;
  };
}

/** Parses an obligation id `${pairingId}#${kind}#${year}`. */
export function parseObligationId(id: string): { pairingId: string; kind: ObligationKind; year: number } {
  const [pairingId, kind, year] = id.split('#');
  if (!pairingId || !kind || !isObligationKind(kind) || !year || !/^\d{4}$/.test(year))
    throw new LinkError('unknown', `bad obligation id ${id}`);
  return { pairingId, kind, year: Number(year) };
}

export function pagePath(token: string): string {
  return `/u/${token}`;
}

/** The personal link for an obligation and institution, issuing its first generation if needed. */
export async function uploadLinkFor(
  ports: UploadPorts,
  obligation: Obligation,
  institution: Institution,
): Promise<string> {
  const [url] = await uploadLinksFor(ports, [{ obligation, institution }]);
  return url as string;
}

/**
 * The personal links of many (obligation, institution) pairs, in the order given: what a page of
 * reminders carries, with the link records read (and the missing ones issued) together.
 */
export async function uploadLinksFor(
  ports: UploadPorts,
  requests: readonly { obligation: Obligation; institution: Institution }[],
): Promise<string[]> {
  if (requests.length === 0) return [];
  const issuedAt = ports.clock().toISOString();
  const records = await ports.store.ensureUploadLinks(
    requests.map(({ obligation, institution }) => ({
      pairingId: obligation.pairingId,
      obligationId: obligation.id,
      kind: obligation.kind,
      year: obligation.year,
      institutionId: institution.id,
      generation: 1,
      issuedAt,
    })),
  );
  return Promise.all(
    requests.map(async ({ obligation, institution }, i) => {
      const token = await ports.tickets.issue({
        obligationId: obligation.id,
        institutionId: institution.id,
        generation: (records[i] as { generation: number }).generation,
        expiresAt: linkExpiry(obligation.effectiveDueDate, ports.settings.graceDays),
      });
      return `${ports.settings.publicUrl}${pagePath(token)}`;
    }),
  );
}

/** The end of the grace period after a due date, Beijing time. */
export function linkExpiry(dueDate: string, graceDays: number): Date {
  return new Date(deadlineOf(dueDate).getTime() + graceDays * 86_400_000);
}

/** Revokes an institution's links for an obligation: links already sent stop working. */
export async function revokeUploadLinks(ports: UploadPorts, obligationId: string, institutionId: string) {
  const { pairingId, kind, year } = parseObligationId(obligationId);
  const existing = await ports.store.getUploadLink(pairingId, kind, year, institutionId);
  if (!existing)
    throw new LinkError('unknown', `no link was issued for ${obligationId} and ${institutionId}`);
  return ports.store.revokeUploadLink(pairingId, kind, year, institutionId, ports.clock().toISOString());
}

export interface ResolvedLink {
  ticket: UploadTicket;
  programme: Programme;
  rule: ObligationKindRule;
  pairing: Pairing;
  obligation: Obligation;
  record: ObligationRecord;
  institution: Institution;
  institutions: Map<string, Institution>;
}

/** Verifies a link and loads what it points at; throws LinkError naming why it does not work. */
export async function resolveLink(ports: UploadPorts, token: string): Promise<ResolvedLink> {
  const ticket = await ports.tickets.verify(token, ports.clock());
  const { pairingId, kind, year } = parseObligationId(ticket.obligationId);
  const [link, stored, pairings, programmes, institutions] = await Promise.all([
    ports.store.getUploadLink(pairingId, kind, year, ticket.institutionId),
    ports.store.getObligation(pairingId, kind, year),
    ports.store.getPairings([pairingId]),
    ports.store.listProgrammes(),
    ports.store.listInstitutions(),
  ]);
  if (!link || !stored) throw new LinkError('unknown', 'link points at nothing we know');
  if (link.generation !== ticket.generation) throw new LinkError('revoked', 'link was revoked');
  const pairing = pairings[0];
  const programme = programmes.find((p) => p.id === pairing?.programmeId);
  const rule = programme?.obligationKinds.find((k) => k.kind === kind);
  const byId = new Map(institutions.map((i) => [i.id, i]));
  const institution = byId.get(ticket.institutionId);
  if (!pairing || !programme || !rule || !institution)
    throw new LinkError('unknown', 'link points at nothing we know');
  return {
    ticket,
    programme,
    rule,
    pairing,
    obligation: stored.obligation,
    record: stored.record,
    institution,
    institutions: byId,
  };
}
