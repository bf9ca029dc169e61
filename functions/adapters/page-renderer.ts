/**
 * The upload pages from the Handlebars templates in `templates/pages/`: compiled once, strict (a
 * misspelt field fails instead of printing nothing), every value escaped.
 */
import { beijingDateTime } from '../domain/plain-date.ts';
import type { MessagePageView, UploadPageView, UploadReceivedView } from '../domain/upload.ts';
import type { DocumentListItem } from '../use-cases/documents.ts';
import { pageTemplates } from './page-templates.ts';
import { templatePath } from './templates-dir.ts';

const DEFAULT_TEMPLATES_DIR = templatePath('pages');

export interface PageRenderer {
  uploadPage(view: UploadPageView): string;
  messagePage(view: MessagePageView): string;
  receivedPage(view: UploadReceivedView): string;
  /** The staff list of generated documents. */
  documentsPage(documents: readonly DocumentListItem[]): string;
}

export function createPageRenderer(templatesDir: string = DEFAULT_TEMPLATES_DIR): PageRenderer {
  const templates = pageTemplates(templatesDir);
  const { compile } = templates;
  const upload = compile('upload.html.hbs');
  const message = compile('message.html.hbs');
  const received = compile('received.html.hbs');
  const documents = compile('documents.html.hbs');
  return {
    uploadPage: (view) => upload(view),
    messagePage: (view) => message(view),
    receivedPage: (view) => received(view),
    documentsPage: (list) =>
      documents({
        documents: list.map((d) => ({
          title: d.title,
          asOf: beijingDateTime(new Date(d.asOf)),
          generatedAt: beijingDateTime(new Date(d.generatedAt)),
          size: `${(d.size / 1024).toFixed(1)} KB`,
          url: d.url,
        })),
      }),
  };
}
