/** What the API's routes share: the variables the staff guard sets, and what each route group needs. */
import type { StaffIdentity } from '../../domain/staff.ts';
import type { DocumentPorts } from '../../use-cases/documents.ts';
import type { ForwardingActionPorts } from '../../use-cases/forwarding-actions.ts';
import type { ObligationActionPorts } from '../../use-cases/obligation-actions.ts';
import type { UploadPorts } from '../../use-cases/personal-links.ts';
import type {
  AppStore,
  ClockControl,
  PairingDetailStore,
  ReportRenderers,
  SubmissionFiles,
} from '../../use-cases/ports.ts';
import type { LogEntry } from '../log-entries.ts';
import type { StaffSignIn } from '../oidc-client.ts';
import type { PageRenderer } from '../page-renderer.ts';
import type { StaffSessions } from './staff-sessions.ts';

/**
 * The app's environment. Behind the staff guard (every `/staff/` route but `/staff/auth/…`),
 * `c.get('staff')` is the signed-in staff member and `c.get('csrfToken')` the token each form posts
 * back as `_csrf` (or a script sends as `x-csrf-token`).
 */
export interface WebEnv {
  Variables: {
    staff: StaffIdentity;
    csrfToken: string;
  };
}

/** Told of each completed sign-in before its session is issued: the audit's hook. */
export type OnSignIn = (identity: StaffIdentity, at: Date) => Promise<void> | void;

/** Staff sign-in: the client of the identity provider and the sealed cookies. */
export interface StaffAccess {
  signIn: StaffSignIn;
  sessions: StaffSessions;
  /** The callback exactly as registered with the provider, e.g. `https://…/staff/auth/callback`. */
  callbackUrl: string;
  /** What "now" is for sessions and sign-in records: the wiring's clock. */
  clock: () => Date;
  /** @default a no-op */
  onSignIn?: OnSignIn;
}

/** What the console's pages read and act through, where the console is served. */
export interface ConsoleParts {
  store: AppStore & PairingDetailStore;
  /** Ports of one staff action (a fresh run id each). */
  actions: () => ObligationActionPorts;
  /** Ports of a city commission's forwarding and the province's review of it. */
  forwardings: () => ForwardingActionPorts;
  submissionFiles: SubmissionFiles;
  /** Documents generated on demand from the console. */
  renderers: ReportRenderers;
  clock: () => Date;
  /** A simulated clock's date and the form that moves it: the local stack only, never on AWS. */
  clockControl?: ClockControl;
}

/** What the API serves from. */
export interface ApiParts {
  uploads: UploadPorts;
  documents: DocumentPorts;
  /** @default none: `/staff/` shows the document list only */
  console?: ConsoleParts | undefined;
  /** Without it (no sign-in configured) every `/staff/` address says sign-in is not configured. */
  staff?: StaffAccess | undefined;
}

/** What the route groups are built with. */
export interface RouteDeps {
  pages: PageRenderer;
  /** Takes each entry already masked. */
  log: (entry: LogEntry) => void;
}
