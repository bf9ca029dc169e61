/**
 * Signed links: HS256 JWTs (jose) for personal upload links and for document downloads.
 *
 * An upload link is a ticket for one obligation and institution; DynamoDB holds each link's
 * generation, so revoking bumps the generation and every link issued before stops working, while a
 * link reissued for a reminder stays the same string (no `iat`: same claims, same token).
 * A download link names one generated document and expires after days; the PDF itself is then served
 * through a presigned GET that lives minutes.
 */
import { errors, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { type DownloadTicket, LinkError, type UploadTicket } from '../domain/links.ts';
import type { DownloadTickets, UploadTickets } from '../use-cases/ports.ts';

function signedTickets(secret: string, audience: string) {
  const key = new TextEncoder().encode(secret);
  return {
    sign(claims: Record<string, unknown>, expiresAt: Date): Promise<string> {
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setAudience(audience)
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .sign(key);
    },
    async verify(token: string, now: Date): Promise<JWTPayload & { exp: number }> {
      if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) throw new LinkError('malformed', 'link is malformed');
      try {
        const { payload } = await jwtVerify(token, key, {
          audience,
          algorithms: ['HS256'],
          currentDate: now,
          clockTolerance: 0,
        });
        if (!payload.exp) throw new LinkError('malformed', 'link has no expiry');
        return payload as JWTPayload & { exp: number };
      } catch (error) {
        if (error instanceof LinkError) throw error;
        if (error instanceof errors.JWTExpired) throw new LinkError('expired', 'link has expired');
        throw new LinkError('tampered', `link rejected: ${(error as Error).message}`);
      }
    },
  };
}

export function uploadTickets(secret: string): UploadTickets {
  const tickets = signedTickets(secret, 'bangfu:upload');
  return {
    issue: (ticket: UploadTicket) =>
      tickets.sign(
        { o: ticket.obligationId, i: ticket.institutionId, g: ticket.generation },
        ticket.expiresAt,
      ),
    /** Checks signature and expiry; the caller checks the generation against the store. */
    async verify(token: string, now: Date): Promise<UploadTicket> {
      const { o, i, g, exp } = await tickets.verify(token, now);
      if (typeof o !== 'string' || typeof i !== 'string' || typeof g !== 'number') {
        throw new LinkError('malformed', 'link payload is incomplete');
      }
      return { obligationId: o, institutionId: i, generation: g, expiresAt: new Date(exp * 1000) };
    },
  };
}

export function downloadTickets(secret: string): DownloadTickets {
  const tickets = signedTickets(secret, 'bangfu:download');
  return {
    issue: (ticket: DownloadTicket) => tickets.sign({ d: ticket.documentId }, ticket.expiresAt),
    async verify(token: string, now: Date): Promise<DownloadTicket> {
      const { d, exp } = await tickets.verify(token, now);
      if (typeof d !== 'string') throw new LinkError('malformed', 'link payload is incomplete');
      return { documentId: d, expiresAt: new Date(exp * 1000) };
    },
  };
}
