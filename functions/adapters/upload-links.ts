/**
 * Personal upload links: a signed, expiring, revocable ticket for one obligation and institution.
 * The link carries an HS256 JWT (jose); DynamoDB holds each link's generation, so revoking bumps the
 * generation and every link issued before stops working, while a link reissued for a reminder stays
 * the same string (no `iat`: same claims, same token).
 */
import { errors, jwtVerify, SignJWT } from 'jose';

export interface UploadTicket {
  obligationId: string;
  institutionId: string;
  generation: number;
  expiresAt: Date;
}

export class LinkError extends Error {
  constructor(
    readonly code: 'malformed' | 'tampered' | 'expired' | 'revoked' | 'unknown',
    message: string,
  ) {
    super(message);
  }
  override readonly name = 'LinkError';
}

const AUDIENCE = 'bangfu:upload';

export function uploadTickets(secret: string) {
  const key = new TextEncoder().encode(secret);
  return {
    async issue(ticket: UploadTicket): Promise<string> {
      return new SignJWT({ o: ticket.obligationId, i: ticket.institutionId, g: ticket.generation })
        .setProtectedHeader({ alg: 'HS256' })
        .setAudience(AUDIENCE)
        .setExpirationTime(Math.floor(ticket.expiresAt.getTime() / 1000))
        .sign(key);
    },

    /** Checks signature and expiry; the caller checks the generation against the store. */
    async verify(token: string, now: Date): Promise<UploadTicket> {
      if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) throw new LinkError('malformed', 'link is malformed');
      try {
        const { payload } = await jwtVerify(token, key, {
          audience: AUDIENCE,
          algorithms: ['HS256'],
          currentDate: now,
          clockTolerance: 0,
        });
        const { o, i, g, exp } = payload as { o?: unknown; i?: unknown; g?: unknown; exp?: number };
        if (typeof o !== 'string' || typeof i !== 'string' || typeof g !== 'number' || !exp) {
          throw new LinkError('malformed', 'link payload is incomplete');
        }
        return { obligationId: o, institutionId: i, generation: g, expiresAt: new Date(exp * 1000) };
      } catch (error) {
        if (error instanceof LinkError) throw error;
        if (error instanceof errors.JWTExpired) throw new LinkError('expired', 'link has expired');
        if (error instanceof errors.JWSSignatureVerificationFailed) throw new LinkError('tampered', 'link signature is invalid');
        throw new LinkError('tampered', `link rejected: ${(error as Error).message}`);
      }
    },
  };
}
export type UploadTickets = ReturnType<typeof uploadTickets>;
