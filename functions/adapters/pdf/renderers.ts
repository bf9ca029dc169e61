/** The four documents rendered to PDF with pdfkit: the renderers port of the report use case. */
import type { ReportRenderers } from '../../use-cases/ports.ts';
import { renderAgreementForm } from './agreement-form.ts';
import { renderAgreementStatus } from './agreement-status.ts';
import { renderAnnualSummary } from './annual-summary.ts';
import { renderPairingDossier } from './pairing-dossier.ts';

export const pdfRenderers: ReportRenderers = {
  agreements: renderAgreementStatus,
  annual: renderAnnualSummary,
  pairing: renderPairingDossier,
  form: renderAgreementForm,
};
