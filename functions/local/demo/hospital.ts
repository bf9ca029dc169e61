/**
 * A hospital acting as a person would, through the real upload path: it opens the personal link from
 * its latest email, asks the page's endpoint for a slot (with the year's figures for an annual
 * report), posts the file to S3 with the presigned fields as the page's form does, and follows the
 * check of the upload until ingest has decided.
 */
import { PDFDocument } from 'pdf-lib';
import words from '../../../templates/demo.zh.json' with { type: 'json' };
import { CENTRE_STATUSES, EMERGENCY_CENTRES, STATIONED_ROLES } from '../../domain/submission.ts';
import type { IngestBridge } from '../ingest-bridge.ts';
import type { Random } from './random.ts';

/** The personal upload link in an email's text. */
export const UPLOAD_LINK = /https?:\/\/[\w.:-]+\/u\/[\w.-]+/;

export type UploadOutcome =
  | { outcome: 'accepted' | 'rejected'; slotId: string }
  /** The page or the slot request refused (an expired link, a bad request): the HTTP status. */
  | { outcome: 'refused'; status: number; message: string };

export interface UploadRequest {
  link: string;
  file: 'good' | 'bad';
  /** The report's year, for an annual report's figures. */
  figuresYear?: number;
  /** Whether the figures meet the plans' yearly targets. */
  meetsTargets?: boolean;
  random: Random;
}

/** A one-page PDF the inspector accepts, made once. */
let samplePdf: Promise<Uint8Array> | undefined;
const goodPdf = () => {
  samplePdf ??= (async () => {
    const doc = await PDFDocument.create();
    doc.addPage([595, 842]).drawText('Paired-assistance document scan');
    return doc.save({ useObjectStreams: false });
  })();
  return samplePdf;
};

/** A PNG saved under a .pdf name: the inspector rejects it (its bytes are not the declared type). */
const PNG_AS_PDF = Uint8Array.from(
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  ),
);

/** How many times the check's outcome is asked for before giving up (ingest runs in this process). */
const POLLS = 200;

export async function uploadAsHospital(ingest: IngestBridge, request: UploadRequest): Promise<UploadOutcome> {
  const page = await fetch(request.link);
  if (page.status !== 200) return { outcome: 'refused', status: page.status, message: await page.text() };
  await page.arrayBuffer().catch(() => undefined);
  const bytes = request.file === 'good' ? await goodPdf() : PNG_AS_PDF;
  const filename = request.file === 'good' ? 'scan.pdf' : 'scan-1.pdf';
  const slotResponse = await fetch(`${request.link}/slots`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      filename,
      contentType: 'application/pdf',
      size: bytes.length,
      ...(request.figuresYear !== undefined
        ? { figures: figuresFor(request.figuresYear, request.meetsTargets ?? true, request.random) }
        : {}),
    }),
  });
  const slot = (await slotResponse.json()) as {
    slotId?: string;
    url?: string;
    fields?: Record<string, string>;
    message?: string;
  };
  if (slotResponse.status !== 200 || !slot.slotId || !slot.url || !slot.fields) {
    return { outcome: 'refused', status: slotResponse.status, message: slot.message ?? '' };
  }
  const form = new FormData();
  for (const [name, value] of Object.entries(slot.fields)) form.append(name, value);
  form.append('file', new Blob([bytes]), filename);
  const posted = await fetch(slot.url, { method: 'POST', body: form, redirect: 'manual' });
  await posted.arrayBuffer().catch(() => undefined);
  if (posted.status >= 400)
    return { outcome: 'refused', status: posted.status, message: 'S3 refused the POST' };
  for (let poll = 0; poll < POLLS; poll++) {
    await ingest.idle();
    const check = (await (await fetch(`${request.link}/slots/${slot.slotId}`)).json()) as { state: string };
    if (check.state === 'accepted' || check.state === 'rejected')
      return { outcome: check.state, slotId: slot.slotId };
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`upload ${slot.slotId} was not checked after ${POLLS} polls`);
}

/**
 * A year's figures as the page's form sends them: valid, and either meeting the yearly targets (at
 * least 5 stationed staff, 3 backbone staff trained, one infection-control training: Fujian §二(二),
 * (四), (六)) or falling short of one of them.
 */
function figuresFor(year: number, meetsTargets: boolean, random: Random) {
  const staff = random.int(meetsTargets ? 5 : 2, meetsTargets ? 8 : 4);
  const month = (m: number) => `${year}-${String(m).padStart(2, '0')}`;
  return {
    stationedStaff: Array.from({ length: staff }, (_, i) => {
      const from = random.int(1, 6);
      return {
        name: words.staffNames[(i + random.int(0, words.staffNames.length - 1)) % words.staffNames.length],
        role: STATIONED_ROLES[random.int(0, STATIONED_ROLES.length - 1)],
        from: month(from),
        to: month(from + 6),
      };
    }),
    backboneStaffTrained: meetsTargets ? random.int(3, 8) : random.int(0, 2),
    infectionControlTrainings: random.int(1, 4),
    emergencyCentres: Object.fromEntries(
      EMERGENCY_CENTRES.map((c) => [c, CENTRE_STATUSES[random.int(0, CENTRE_STATUSES.length - 1)]]),
    ),
    newTechniques: random.int(0, 5),
    remoteConsultations: random.int(10, 300),
  };
}
