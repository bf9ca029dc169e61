/**
 * The console's documents page: the programme's generated PDFs, and what the form to generate one
 * offers. City commissions receive the programme-wide status documents in copy (publish-documents.ts),
 * so they see those; a pairing's dossier and agreement form only for pairings in their jurisdiction.
 *
 * `consoleDocumentRequest` checks a request from the form the same way and answers with the
 * `ReportRequest` that `generateDocument` (documents.ts) takes.
 */

import pdfLabels from '../../templates/pdf/labels.zh.json' with { type: 'json' };
import actionWords from '../../templates/staff-actions.zh.json' with { type: 'json' };
import { ANNUAL_REPORT_KIND } from '../domain/model.ts';
import { type ProgrammeHeading, programmeHeading, SnapshotIndex } from '../domain/reports/snapshot.ts';
import { StaffForbiddenError, type StaffIdentity } from '../domain/staff.ts';
import { fill } from '../domain/wording.ts';
import { type ConsolePorts, programmeInScope, snapshotOf } from './console-scope.ts';
import { type DocumentListItem, type DocumentPorts, downloadLink } from './documents.ts';
import { REPORT_TYPES, type ReportRequest, ReportRequestError } from './render-report.ts';

export interface ConsoleDocumentsPorts extends ConsolePorts {
  documents: DocumentPorts;
}

export interface ConsoleDocumentsView {
  programme: ProgrammeHeading;
  at: string;
  /** This programme's documents the staff member may open, newest first, each with a fresh link. */
  documents: DocumentListItem[];
  /** The years an annual summary can be made for. */
  annualYears: number[];
  /** Pairings a dossier or agreement form can be made for, in the overview's order. */
  pairings: { pairingId: string; recipient: string; city: string; county: string }[];
}

/**
 * 1. Read the programme's records in the staff member's jurisdiction (console-scope.ts).
 * 2. Keep the stored documents of this programme: programme-wide ones, and per-pairing ones of
 *    pairings in scope; sign a download link for each.
 * 3. List the years and pairings the generate form offers.
 */
export async function consoleDocuments(
  ports: ConsoleDocumentsPorts,
  staff: StaffIdentity,
  programmeId: string,
  now: Date,
): Promise<ConsoleDocumentsView> {
  const scope = await programmeInScope(ports.store, staff, programmeId);
  const inScope = new Set(scope.pairings.map((p) => p.id));
  const stored = (await ports.documents.store.listDocuments()).filter(
    (d) => d.programmeId === scope.programme.id && (d.pairingId === undefined || inScope.has(d.pairingId)),
  );
  const documents = await Promise.all(
    stored.map(async (d) => ({ ...d, url: await downloadLink(ports.documents, d) })),
  );
  const index = new SnapshotIndex(snapshotOf(scope, now));
  const rows = scope.pairings.map((pairing) => ({
    row: { ...index.parties(pairing), ...index.placeOf(pairing) },
    pairing,
  }));
  return {
    programme: programmeHeading(scope.programme),
    at: now.toISOString(),
    documents,
    annualYears: annualYears(scope.programme),
    pairings: index
      .placeGroups(rows)
      .flatMap((g) => g.counties.flatMap((c) => c.rows))
      .map((r) => ({ pairingId: r.pairingId, recipient: r.recipient, city: r.city, county: r.county })),
  };
}

/** What the generate form posts (strings, as a form sends them). */
export interface ConsoleDocumentInput {
  type?: string;
  year?: string;
  pairingId?: string;
}

/**
 * The document request a form post stands for, as of `now`: a known type, a year of the plan's annual
 * reports for the summary, a pairing in the staff member's jurisdiction for the dossier and the form.
 * Throws ReportRequestError (400) or StaffForbiddenError (403).
 */
export async function consoleDocumentRequest(
  ports: ConsolePorts,
  staff: StaffIdentity,
  programmeId: string,
  input: ConsoleDocumentInput,
  now: Date,
): Promise<ReportRequest> {
  const scope = await programmeInScope(ports.store, staff, programmeId);
  const { programme } = scope;
  const errors = pdfLabels.requestErrors;
  const listSeparator = pdfLabels.common.listSeparator;
  const base = { programmeId: programme.id, at: now, generatedAt: now };
  switch (input.type) {
    case 'agreements':
      return { ...base, type: 'agreements' };
    case 'annual': {
      const years = annualYears(programme);
      const yearList = years.join(listSeparator) || errors.noYears;
      if (!input.year) {
        throw new ReportRequestError(
          'year-required',
          fill(errors.yearRequired, { programme: programme.id, years: yearList }),
        );
      }
      const year = Number(input.year);
      if (!years.includes(year)) {
        throw new ReportRequestError(
          'unknown-year',
          fill(errors.unknownYear, { programme: programme.id, year: input.year, years: yearList }),
        );
      }
      return { ...base, type: 'annual', year };
    }
    case 'pairing':
    case 'form': {
      const pairingId = input.pairingId;
      if (!pairingId) throw new ReportRequestError('pairing-required', errors.pairingRequired);
      if (!scope.programmePairingIds.has(pairingId)) {
        throw new ReportRequestError(
          'unknown-pairing',
          fill(errors.unknownPairing, { programme: programme.id, pairing: pairingId }),
        );
      }
      if (!scope.pairings.some((p) => p.id === pairingId)) {
        throw new StaffForbiddenError('jurisdiction', actionWords.forbidden.jurisdiction);
      }
      return { ...base, type: input.type, pairingId };
    }
    default:
      throw new ReportRequestError(
        'unknown-type',
        fill(errors.unknownType, { type: input.type ?? '', types: REPORT_TYPES.join(listSeparator) }),
      );
  }
}

function annualYears(programme: { obligationKinds: { kind: string; years: number[] }[] }): number[] {
  return [...(programme.obligationKinds.find((k) => k.kind === ANNUAL_REPORT_KIND)?.years ?? [])];
}
