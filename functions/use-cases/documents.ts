/**
 * Generated documents: rendered from the store's records, kept in S3 with a record in DynamoDB, and
 * handed to commission staff through signed, expiring download links.
 *
 * - `generateDocument`: render (render-report.ts), store the PDF under `documents/…` and record it.
 *   The id comes from what the document is (type, programme, year, pairing, as-of day), so the same
 *   request twice stores one document.
 * - `downloadUrl`: checks a download ticket and answers with a freshly presigned GET of a few minutes.
 */
import { createHash } from 'node:crypto';
import { AGREEMENT_KIND, type ObligationKind } from '../domain/model.ts';
import type { DocumentRecord } from '../domain/records.ts';
import type { DocumentFiles, DocumentStore, DownloadTickets, ReportRenderers } from './ports.ts';
import { type ReportRequest, renderReport } from './render-report.ts';

export interface DocumentPorts {
  store: DocumentStore;
  files: DocumentFiles;
  tickets: DownloadTickets;
  clock: () => Date;
  settings: { bucket: string; publicUrl: string; downloadLinkDays: number; presignedGetSeconds: number };
}

/** What generating a document needs besides: the renderers (pdfkit), only where documents are made. */
export interface RenderingDocumentPorts extends DocumentPorts {
  renderers: ReportRenderers;
}

const yearOf = (request: ReportRequest) => (request.type === 'annual' ? request.year : undefined);
const pairingIdOf = (request: ReportRequest) =>
  request.type === 'pairing' || request.type === 'form' ? request.pairingId : undefined;

/** The status document of an obligation kind's deadline: the agreement status, or a year's summary. */
export function statusDocumentRequest(
  programmeId: string,
  kind: ObligationKind,
  year: number,
  at: Date,
  generatedAt: Date,
): ReportRequest {
  return kind === AGREEMENT_KIND
    ? { type: 'agreements', programmeId, at, generatedAt }
    : { type: 'annual', programmeId, year, at, generatedAt };
}

export function documentId(request: ReportRequest): string {
  const identity = [
    request.type,
    request.programmeId,
    yearOf(request) ?? '',
    pairingIdOf(request) ?? '',
    // The instant, not its day: the digest's status document as of midnight must not stand in for
    // one a person asks for at 09:05 that day. A scheduled document's instant is a business one (a
    // deadline, the start of a digest's day), so its reruns still find it.
    request.at.toISOString(),
  ];
  return createHash('sha256').update(identity.join('|')).digest('hex').slice(0, 20);
}

/** Renders and stores a document once per (type, programme, year, pairing, as-of instant). */
export async function generateDocument(
  ports: RenderingDocumentPorts,
  request: ReportRequest,
): Promise<DocumentRecord> {
  const id = documentId(request);
  const existing = await ports.store.getDocument(id);
  if (existing) return existing;
  const rendered = await renderReport(ports.store, request, ports.renderers);
  const key = `documents/${request.programmeId}/${id}/${rendered.filename}`;
  await ports.files.put(ports.settings.bucket, key, rendered.pdf, 'application/pdf', rendered.filename);
  const record: DocumentRecord = {
    id,
    type: request.type,
    programmeId: request.programmeId,
    ...(yearOf(request) !== undefined ? { year: yearOf(request) } : {}),
    ...(pairingIdOf(request) ? { pairingId: pairingIdOf(request) } : {}),
    title: rendered.title,
    filename: rendered.filename,
    bucket: ports.settings.bucket,
    key,
    sha256: createHash('sha256').update(rendered.pdf).digest('hex'),
    size: rendered.pdf.length,
    asOf: request.at.toISOString(),
    generatedAt: request.generatedAt.toISOString(),
  };
  // A concurrent generation of the same document wrote the same record: either one is fine.
  await ports.store.putDocument(record);
  return (await ports.store.getDocument(id)) ?? record;
}

/** A link staff can open from an email for `downloadLinkDays` days. */
export async function downloadLink(ports: DocumentPorts, document: DocumentRecord): Promise<string> {
  const expiresAt = new Date(ports.clock().getTime() + ports.settings.downloadLinkDays * 86_400_000);
  const token = await ports.tickets.issue({ documentId: document.id, expiresAt });
  return `${ports.settings.publicUrl}/d/${token}`;
}

export class UnknownDocumentError extends Error {
  override readonly name = 'UnknownDocumentError';
}

/** Checks the ticket (throws LinkError) and answers with a presigned GET valid for minutes. */
export async function downloadUrl(ports: DocumentPorts, token: string): Promise<string> {
  const ticket = await ports.tickets.verify(token, ports.clock());
  const document = await ports.store.getDocument(ticket.documentId);
  if (!document) throw new UnknownDocumentError(`no document ${ticket.documentId}`);
  return ports.files.presignGet(
    document.bucket,
    document.key,
    document.filename,
    ports.settings.presignedGetSeconds,
  );
}

export interface DocumentListItem extends DocumentRecord {
  /** A fresh download link for the list page. */
  url: string;
}

/** Every generated document, newest first, each with a fresh download link. */
export async function listDocuments(ports: DocumentPorts): Promise<DocumentListItem[]> {
  const documents = await ports.store.listDocuments();
  return Promise.all(documents.map(async (d) => ({ ...d, url: await downloadLink(ports, d) })));
}
