/**
 * An outbound email as a raw RFC 5322 message (UTF-8, CRLF line ends), for SES `Content.Raw` or any
 * mailer that takes a whole message.
 */
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { OutboundEmail } from '../domain/email.ts';

export interface MimeOptions {
  /** `Message-ID`, e.g. `<obligation#stage#recipient@bangfu>`; generated when absent. */
  messageId?: string;
  /** `Date` header; the current time when absent. */
  date?: Date;
}

export function composeMime(email: OutboundEmail, options: MimeOptions = {}): Promise<Buffer> {
  const composer = new MailComposer({
    from: email.from,
    to: email.to,
    cc: email.cc,
    subject: email.subject,
    text: email.text,
    html: email.html,
    attachments: email.attachments.map((attachment) => ({
      filename: attachment.filename,
      contentType: attachment.contentType,
      content: typeof attachment.content === 'string' ? attachment.content : Buffer.from(attachment.content),
    })),
    headers: email.headers,
    ...(options.messageId ? { messageId: options.messageId } : {}),
    ...(options.date ? { date: options.date } : {}),
    newline: 'win',
    // Everything is in the message already: never read a file or fetch a URL while composing.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return composer.compile().build();
}
