/**
 * The in-memory twin of the SES mailer: it records every message it accepted, and refuses or fails
 * where a test asks it to, as SES would: a message with one refused address is refused whole
 * (RecipientRejectedError), and any other fault is thrown after the dispatch hook ran, as a provider
 * call that failed.
 */
import type { OutboundEmail } from '../../domain/email.ts';
import { type Mailer, RecipientRejectedError } from '../../use-cases/ports.ts';

export interface SentEmail extends OutboundEmail {
  messageId: string;
}

export class MemoryMailer implements Mailer {
  /** Every message accepted, in the order it was sent. */
  readonly sent: SentEmail[] = [];
  /** Addresses the provider refuses (in lower case). */
  readonly refusedAddresses = new Set<string>();
  /** Decides, per message, a fault to throw instead of sending it (undefined: send it). */
  fault: ((email: OutboundEmail) => Error | undefined) | undefined;

  async send(
    email: OutboundEmail,
    hooks?: { onDispatch?: () => Promise<void> },
  ): Promise<{ messageId: string }> {
    await hooks?.onDispatch?.();
    const fault = this.fault?.(email);
    if (fault) throw fault;
    const refused = [...email.to, ...email.cc].find((a) => this.refusedAddresses.has(a.toLowerCase()));
    if (refused)
      throw new RecipientRejectedError(`MessageRejected: Email address is not verified: ${refused}`);
    const messageId = `memory-${String(this.sent.length + 1).padStart(6, '0')}`;
    this.sent.push({ ...email, messageId });
    return { messageId };
  }
}
