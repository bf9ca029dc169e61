/** What the API's route groups share: what the API serves from, and what each group is built with. */
import type { DocumentPorts } from '../../use-cases/documents.ts';
import type { UploadPorts } from '../../use-cases/personal-links.ts';
import type { LogEntry } from '../log-entries.ts';
import type { PageRenderer } from '../page-renderer.ts';

/** The app's environment (no variables yet). */
export type WebEnv = Record<string, never>;

/** What the API serves from. */
export interface ApiParts {
  uploads: UploadPorts;
  documents: DocumentPorts;
}

/** What the route groups are built with. */
export interface RouteDeps {
  pages: PageRenderer;
  /** Takes each entry already masked. */
  log: (entry: LogEntry) => void;
}
