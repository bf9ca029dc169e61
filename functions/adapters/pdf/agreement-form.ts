/**
 * Document 4: the pairing's agreement pre-filled, with a signature and seal block per party, to print,
 * sign, seal, scan and upload: the tripartite agreement of Fujian annex 3, or Jiangsu's agreement
 * between the paired institutions (§七(三)) with its term, goals and tasks.
 */
import type { AgreementFormView, FormParty } from '../../domain/reports/agreement-form.ts';
import { COLOURS, PdfLayout } from './layout.ts';
import { agreementFormTemplate, fill, labels, taskLevelsText } from './wording.ts';

interface Signatory {
  role: string;
  name?: string;
}

export async function renderAgreementForm(view: AgreementFormView): Promise<Buffer> {
  const words = labels.form;
  const blocks = agreementFormTemplate(view.template, view.category);
  const formTitle = blocks.find((b) => b.kind === 'title')?.text ?? '';
  const values: Record<string, string> = {
    documentRefs: view.documentRefs
      .map((d) => fill(words.documentRef, { issuers: d.issuers ?? '', title: d.title, id: d.id }))
      .join(labels.common.listSeparator),
    programmeName: view.programme.name,
    termFrom: String(view.term.from),
    termTo: String(view.term.to),
  };
  const layout = new PdfLayout({
    title: `${formTitle}（${view.recipient.name}）`,
    subject: fill(words.subject, {
      programme: view.programme.name,
      recipient: view.recipient.name,
      title: formTitle,
    }),
    keywords: view.pairingId,
    generatedAt: new Date(view.generatedAt),
    runningHead: view.programme.shortName,
    footerNote: view.pairingId,
  });

  const supporters: Signatory[] = view.supporters.map((s) => ({
    role: supporterRole(s) + (s.lead ? labels.common.lead : ''),
    name: s.name,
  }));
  const government: Signatory[] = view.countyGovernmentSigns
    ? [
        {
          role: words.countyGovernment,
          ...(view.countyGovernment ? { name: view.countyGovernment.name } : {}),
        },
      ]
    : [];
  const recipient: Signatory = {
    role: view.recipient.isHospital ? words.recipientHospital : words.recipientBody,
    name: view.recipient.name,
  };
  const signatories = [...supporters, ...government, recipient];

  layout.titleBlock(
    words.instructions,
    [
      ...signatories.map((s): [string, string] => [s.role, s.name ?? words.countyGovernmentBlank]),
      [words.programme, view.programme.name],
      [words.term, fill(words.termValue, view.term)],
      [words.documents, view.documentRefs.map((d) => d.id).join(labels.common.listSeparator)],
      // Jiangsu's plan has no task levels.
      ...(view.taskLevels.length > 0
        ? [[words.levels, taskLevelsText(view.taskLevels)] as [string, string]]
        : []),
      [words.pairingId, view.pairingId],
    ],
    formTitle,
  );

  for (const block of blocks) {
    const text = block.text.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole);
    switch (block.kind) {
      case 'title':
        break;
      case 'heading':
        layout.heading(text, { size: 11.5, keepWith: 40 });
        break;
      case 'subheading':
        layout.paragraph(text, { bold: true, indent: 21, gap: 0.2, keepWith: 40 });
        break;
      case 'paragraph':
        layout.paragraph(text, { indent: 21 });
        break;
    }
  }

  layout.heading(words.signaturesHeading, { size: 11.5, keepWith: SIGNATURE_HEIGHT + 10 });
  drawSignatures(layout, signatories);
  return layout.finish();
}

function supporterRole(party: FormParty): string {
  return party.isHospital ? labels.form.supportingHospital : labels.form.supportingBody;
}

const SIGNATURE_HEIGHT = 112;
const SIGNATURE_GAP = 10;

/** Two blocks a row; a row that does not fit goes to the next page whole. */
function drawSignatures(layout: PdfLayout, signatories: readonly Signatory[]): void {
  const { doc } = layout;
  const words = labels.form;
  const width = (layout.width - SIGNATURE_GAP) / 2;
  for (let i = 0; i < signatories.length; i += 2) {
    layout.ensureSpace(SIGNATURE_HEIGHT + SIGNATURE_GAP);
    const top = layout.y;
    signatories.slice(i, i + 2).forEach((s, j) => {
      const x = layout.left + j * (width + SIGNATURE_GAP);
      doc.rect(x, top, width, SIGNATURE_HEIGHT).lineWidth(0.6).strokeColor(COLOURS.rule).stroke();
      // Where the seal goes: a dashed circle, as on printed forms.
      const seal = { x: x + width - 46, y: top + 60, r: 34 };
      doc
        .circle(seal.x, seal.y, seal.r)
        .lineWidth(0.5)
        .dash(3, { space: 3 })
        .strokeColor(COLOURS.rule)
        .stroke();
      doc.undash();
      doc
        .font('regular')
        .fontSize(8)
        .fillColor(COLOURS.muted)
        .text(words.seal, seal.x - seal.r, seal.y - 5, {
          width: seal.r * 2,
          align: 'center',
          lineBreak: false,
        });
      doc
        .font('bold')
        .fontSize(9.5)
        .fillColor(COLOURS.muted)
        .text(`${s.role}：`, x + 8, top + 8, { width: width - 16 });
      doc
        .font('bold')
        .fontSize(10.5)
        .fillColor(COLOURS.text)
        .text(s.name ?? '', x + 8, top + 24, { width: width - 16 - 2 * seal.r + 20 });
      doc
        .font('regular')
        .fontSize(9.5)
        .fillColor(COLOURS.text)
        .text(`${words.signature}`, x + 8, top + 66, { width: width - 90, lineBreak: false });
      doc
        .moveTo(x + 8, top + 82)
        .lineTo(x + width - 90, top + 82)
        .lineWidth(0.5)
        .strokeColor(COLOURS.text)
        .stroke();
      doc.text(words.signedOn, x + 8, top + 92, { width: width - 16, lineBreak: false });
    });
    doc.x = layout.left;
    doc.y = top + SIGNATURE_HEIGHT + SIGNATURE_GAP;
  }
}
