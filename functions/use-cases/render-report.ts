/**
 * Renders one of the four PDF documents of a programme from the store's records.
 *
 * 1. Check the request (known programme, a plan year for the annual summary, a pairing of this
 *    programme for the dossier and the form).
 * 2. Read what the document needs: programme, institutions, pairings, obligations, and for some
 *    documents submissions and the reminder log (the dossier also the pairing's audit log; the
 *    agreement status and the annual summary the city commissions' forwardings).
 * 3. Build the view model (pure, domain/reports/) and hand it to the renderer.
 *
 * Same records, same `at` and same `generatedAt` give the same bytes.
 */
import labels from '../../templates/pdf/labels.zh.json' with { type: 'json' };
import { mergedAuditLog } from '../domain/audit.ts';
import { UserFacingError } from '../domain/errors.ts';
import { AGREEMENT_KIND, ANNUAL_REPORT_KIND, type Pairing, type Programme } from '../domain/model.ts';
import { beijingDate } from '../domain/plain-date.ts';
import { DOCUMENT_TYPES, type DocumentType } from '../domain/records.ts';
import { agreementFormView } from '../domain/reports/agreement-form.ts';
import { agreementStatusView } from '../domain/reports/agreement-status.ts';
import { annualSummaryView } from '../domain/reports/annual-summary.ts';
import { pairingDossierView } from '../domain/reports/pairing-dossier.ts';
import type { ReportSnapshot } from '../domain/reports/snapshot.ts';
import { dateZh, fill } from '../domain/wording.ts';
import type { ReportRenderers, ReportStore } from './ports.ts';
import { UnknownProgrammeError } from './programme-status.ts';

export const REPORT_TYPES = DOCUMENT_TYPES;
export type ReportType = DocumentType;

const errors = labels.requestErrors;
const { listSeparator } = labels.common;

interface RequestBase {
  programmeId: string;
  /** The instant the document describes. */
  at: Date;
  /** Printed on every page and stored as the PDF's creation date. */
  generatedAt: Date;
}

/** What each document needs, by type: the annual summary a year, the dossier and the form a pairing. */
export type ReportRequest =
  | (RequestBase & { type: 'agreements' })
  | (RequestBase & { type: 'annual'; year: number })
  | (RequestBase & { type: 'pairing' | 'form'; pairingId: string });

/** A request as a person or a route gives it: checked into a `ReportRequest` by `renderReport`. */
export interface ReportRequestInput extends RequestBase {
  type: string;
  year?: number;
  pairingId?: string;
}

export interface RenderedReport {
  pdf: Buffer;
  /** For people, in Chinese. */
  title: string;
  /** ASCII, e.g. `fj-2021-agreements-2022-03-01.pdf` (the Beijing date of `at`). */
  filename: string;
}

/** A request that names something that does not exist, or leaves out what the document needs. */
export class ReportRequestError extends UserFacingError {
  override readonly name = 'ReportRequestError';
  constructor(
    readonly code:
      | 'unknown-type'
      | 'year-required'
      | 'unknown-year'
      | 'pairing-required'
      | 'unknown-pairing'
      | 'invalid-instant',
    message: string,
  ) {
    super(message);
  }
}

export async function renderReport(
  store: ReportStore,
  request: ReportRequestInput,
  renderers: ReportRenderers,
): Promise<RenderedReport> {
  if (!(REPORT_TYPES as readonly string[]).includes(request.type)) {
    throw new ReportRequestError(
      'unknown-type',
      fill(errors.unknownType, { type: request.type, types: REPORT_TYPES.join(listSeparator) }),
    );
  }
  for (const [field, value] of [
    ['at', request.at],
    ['generatedAt', request.generatedAt],
  ] as const) {
    if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
      throw new ReportRequestError('invalid-instant', fill(errors.invalidInstant, { field }));
    }
  }
  const programmes = await store.listProgrammes();
  const programme = programmes.find((p) => p.id === request.programmeId);
  if (!programme) {
    throw new UnknownProgrammeError(
      request.programmeId,
      programmes.map((p) => p.id),
    );
  }
  const atDate = beijingDate(request.at);
  const base = { programme, at: request.at, generatedAt: request.generatedAt };

  switch (request.type as ReportType) {
    case 'agreements': {
      const [institutions, pairings, obligations, submissions, forwardings] = await Promise.all([
        store.listInstitutions(),
        store.listPairings(programme.id),
        store.listObligations(programme.id, { kind: AGREEMENT_KIND }),
        store.submissionsOfProgramme(programme.id, AGREEMENT_KIND),
        store.listForwardings(programme.id),
      ]);
      const view = agreementStatusView({
        ...base,
        institutions,
        pairings,
        obligations,
        submissions,
        forwardings,
        reminders: [],
      });
      return {
        pdf: await renderers.agreements(view),
        title: fill(labels.titles.ofProgramme, {
          programme: programme.shortName,
          title: labels.agreements.title,
          date: dateZh(atDate),
        }),
        filename: `${programme.id}-agreements-${atDate}.pdf`,
      };
    }
    case 'annual': {
      const year = annualYear(programme, request.year);
      const [institutions, pairings, obligations, submissions, forwardings] = await Promise.all([
        store.listInstitutions(),
        store.listPairings(programme.id),
        store.listObligations(programme.id, { kind: ANNUAL_REPORT_KIND, year }),
        store.submissionsOfProgramme(programme.id, ANNUAL_REPORT_KIND, year),
        store.listForwardings(programme.id),
      ]);
      const view = annualSummaryView(
        { ...base, institutions, pairings, obligations, submissions, forwardings, reminders: [] },
        year,
      );
      return {
        pdf: await renderers.annual(view),
        title: fill(labels.titles.ofProgramme, {
          programme: programme.shortName,
          title: fill(labels.annual.title, { year }),
          date: dateZh(atDate),
        }),
        filename: `${programme.id}-annual-${year}-${atDate}.pdf`,
      };
    }
    case 'pairing': {
      const pairing = await pairingOf(store, programme, request.pairingId);
      // The pairing's own partition, whatever the size of the programme.
      const [institutions, ofPairing, submissions, reminders, entries] = await Promise.all([
        store.listInstitutions(),
        store.obligationsOfPairing(pairing.id),
        store.submissionsOfPairing(pairing.id),
        store.remindersOfPairing(pairing.id),
        store.auditEntries({ pairingId: pairing.id }),
      ]);
      const snapshot: ReportSnapshot = {
        ...base,
        institutions,
        pairings: [pairing],
        obligations: ofPairing,
        submissions,
        reminders,
        // The staff actions kept on each obligation, and what else was done to the pairing (its links).
        audit: mergedAuditLog(
          ofPairing.flatMap((o) => o.audit ?? []),
          entries,
        ),
      };
      const view = pairingDossierView(snapshot, pairing.id);
      return {
        pdf: await renderers.pairing(view),
        title: fill(labels.titles.ofPairing, {
          recipient: view.pairing.recipient,
          title: labels.dossier.title,
          date: dateZh(atDate),
        }),
        filename: `${pairing.id}-dossier-${atDate}.pdf`,
      };
    }
    case 'form': {
      const pairing = await pairingOf(store, programme, request.pairingId);
      const institutions = await store.listInstitutions();
      const view = agreementFormView({ ...base, institutions, pairings: [pairing] }, pairing.id);
      return {
        pdf: await renderers.form(view),
        title: fill(labels.titles.form, { recipient: view.recipient.name }),
        filename: `${pairing.id}-agreement-form.pdf`,
      };
    }
  }
}

function annualYear(programme: Programme, year: number | undefined): number {
  const years = programme.obligationKinds.find((k) => k.kind === ANNUAL_REPORT_KIND)?.years ?? [];
  const yearList = years.join(listSeparator) || errors.noYears;
  if (year === undefined) {
    throw new ReportRequestError(
      'year-required',
      fill(errors.yearRequired, { programme: programme.id, years: yearList }),
    );
  }
  if (!years.includes(year)) {
    throw new ReportRequestError(
      'unknown-year',
      fill(errors.unknownYear, { programme: programme.id, year, years: yearList }),
    );
  }
  return year;
}

async function pairingOf(
  store: ReportStore,
  programme: Programme,
  pairingId: string | undefined,
): Promise<Pairing> {
  if (!pairingId) {
    throw new ReportRequestError('pairing-required', errors.pairingRequired);
  }
  const [pairing] = await store.getPairings([pairingId]);
  if (!pairing || pairing.programmeId !== programme.id) {
    throw new ReportRequestError(
      'unknown-pairing',
      fill(errors.unknownPairing, { programme: programme.id, pairing: pairingId }),
    );
  }
  return pairing;
}
