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
import { beijingDate } from '../domain/plain-date.ts';
import { type RenderedReport, type ReportRequest, type ReportStore, renderReport } from './render-report.ts';

export interface DocumentRecord {
  id: string;
  type: ReportRequest['type'];
  programmeId: string;
  year?: number;
  pairingId?: string;
  title: string;
  filename: string;
  bucket: string;
  key: string;
  sha256: string;
  size: number;
  /** The instant the document describes. */
  asOf: string;
  generatedAt: string;
}

export interface DocumentStore extends ReportStore {
  putDocument(record: DocumentRecord): Promise<boolean>;
  getDocument(id: string): Promise<DocumentRecord | undefined>;
  listDocuments(): Promise<DocumentRecord[]>;
}

export interface DocumentFiles {
  put(bucket: string, key: string, body: Uint8Array, contentType: string, filename: string): Promise<void>;
  presignGet(bucket: string, key: string, filename: string, expiresInSeconds: number): Promise<string>;
}

export interface DownloadTickets {
  issue(ticket: { documentId: string; expiresAt: Date }): Promise<string>;
  verify(token: string, now: Date): Promise<{ documentId: string; expiresAt: Date }>;
}

export interface DocumentPorts {
  store: DocumentStore;
  files: DocumentFiles;
  tickets: DownloadTickets;
  clock: () => Date;
  settings: { bucket: string; publicUrl: string; downloadLinkDays: number; presignedGetSeconds: number };
  render?: (store: ReportStore, request: ReportRequest) => Promise<RenderedReport>;
}

export function documentId(
  request: Pick<ReportRequest, 'type' | 'programmeId' | 'year' | 'pairingId' | 'at'>,
): string {
  const identity = [
    request.type,
    request.programmeId,
    request.year ?? '',
    request.pairingId ?? '',
    beijingDate(request.at),
  ];
  return createHash('sha256').update(identity.join('|')).digest('hex').slice(0, 20);
}

/** Renders and stores a document once per (type, programme, year, pairing, as-of day). */
export async function generateDocument(
  ports: DocumentPorts,
  request: ReportRequest,
): Promise<DocumentRecord> {
  const id = documentId(request);
  const existing = await ports.store.getDocument(id);
  if (existing) return existing;
  const rendered = await (ports.render ?? renderReport)(ports.store, request);
  const key = `documents/${request.programmeId}/${id}/${rendered.filename}`;
  await ports.files.put(ports.settings.bucket, key, rendered.pdf, 'application/pdf', rendered.filename);
  const record: DocumentRecord = {
    id,
    type: request.type,
    programmeId: request.programmeId,
    ...(request.year !== undefined ? { year: request.year } : {}),
    ...(request.pairingId ? { pairingId: request.pairingId } : {}),
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
