/**
 * On-demand rendering (invoked by staff tooling or the console): builds one document from DynamoDB
 * records, stores it in S3 with a record in DynamoDB, and answers with the record and a download link.
 * The same request on the same day returns the document already stored.
 */
import { z } from 'zod';
import { loadConfig } from '../adapters/config.ts';
import { createWiring } from '../adapters/wiring.ts';
import { parseInstant } from '../domain/plain-date.ts';
import { downloadLink, generateDocument } from '../use-cases/documents.ts';
import { REPORT_TYPES } from '../use-cases/render-report.ts';

const wiring = createWiring(await loadConfig(process.env));

export const renderEventSchema = z.strictObject({
  type: z.enum(REPORT_TYPES),
  programmeId: z.string().min(1),
  year: z.number().int().optional(),
  pairingId: z.string().min(1).optional(),
  /** ISO instant the document describes; default now. */
  at: z.string().optional(),
});

export const handler = async (event: unknown) => {
  const parsed = renderEventSchema.safeParse(event);
  if (!parsed.success) {
    return {
      ok: false,
      error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    };
  }
  const { at, ...request } = parsed.data;
  const now = wiring.clock();
  try {
    const document = await generateDocument(wiring.documents, {
      ...request,
      at: at ? parseInstant(at) : now,
      generatedAt: now,
    });
    console.log(
      JSON.stringify({ level: 'info', message: 'document rendered', id: document.id, title: document.title }),
    );
    return { ok: true, document, url: await downloadLink(wiring.documents, document) };
  } catch (error) {
    const e = error as Error;
    if (e.name === 'ReportRequestError' || e.name === 'UnknownProgrammeError')
      return { ok: false, error: e.message };
    throw error;
  }
};
