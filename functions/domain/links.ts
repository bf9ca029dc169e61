/**
 * Personal upload links and document download links as the domain sees them: what a signed ticket
 * names, and why a link does not work. How tickets are signed is an adapter's business.
 */

/** One institution's link for one obligation; `generation` makes it revocable. */
export interface UploadTicket {
  obligationId: string;
  institutionId: string;
  generation: number;
  expiresAt: Date;
}

/** A download link for one generated document. */
export interface DownloadTicket {
  documentId: string;
  expiresAt: Date;
}

/** Why a link does not work; each code has its own page for the person who opened it. */
export class LinkError extends Error {
  constructor(
    readonly code: 'malformed' | 'tampered' | 'expired' | 'revoked' | 'unknown',
    message: string,
  ) {
    super(message);
  }
  override readonly name = 'LinkError';
}
