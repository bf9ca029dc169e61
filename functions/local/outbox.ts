/**
 * What the local SES received for a BANGFU_HOME, read back from `<home>/outbox.jsonl`, which the
 * recording proxy in front of the SES stand-in writes (ses-recorder.ts). It survives restarts and is
 * readable without a running stack.
 */
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser';
import { z } from 'zod';
import { userFacingError } from '../domain/errors.ts';
import { beijingDateTime } from '../domain/plain-date.ts';

export const outboxFilePath = (home: string) => join(home, 'outbox.jsonl');

export interface OutboxMessage {
  /** The MessageId SES answered with. */
  messageId: string;
  /** When SES accepted the message (ISO). */
  receivedAt: string;
  /** The message's Date header (ISO), null without one. */
  sentAt: string | null;
  /** The From header as written, e.g. `帮扶办 <noreply@bangfu.example.org>`. */
  from: string;
  /** Addresses only. */
  to: string[];
  cc: string[];
  subject: string;
  text: string | null;
  html: string | null;
  /** X-Bangfu-Obligation */
  obligation: string | null;
  /** X-Bangfu-Stage */
  stage: string | null;
  /** X-Bangfu-Send-On */
  sendOn: string | null;
  attachments: { filename: string | null; contentType: string; size: number }[];
}

export class OutboxDamagedError extends userFacingError('outbox-damaged') {
  override readonly name = 'OutboxDamagedError';
}

const simpleSchema = z.object({
  FromEmailAddress: z.string().optional(),
  Destination: z
    .object({ ToAddresses: z.array(z.string()).optional(), CcAddresses: z.array(z.string()).optional() })
    .optional(),
  Simple: z.object({
    Subject: z.object({ Data: z.string() }),
    Body: z.object({
      Text: z.object({ Data: z.string() }).optional(),
      Html: z.object({ Data: z.string() }).optional(),
    }),
    Headers: z.array(z.object({ Name: z.string(), Value: z.string() })).optional(),
    Attachments: z
      .array(z.object({ FileName: z.string(), RawContent: z.string(), ContentType: z.string().optional() }))
      .optional(),
  }),
});

const recordSchema = z.union([
  z.object({ messageId: z.string(), receivedAt: z.string(), raw: z.string() }),
  z.object({ messageId: z.string(), receivedAt: z.string(), simple: simpleSchema }),
]);
type OutboxRecord = z.infer<typeof recordSchema>;

/**
 * Every message in the outbox of `home`, oldest first; none if nothing was ever sent. A last line
 * cut short by a crash is skipped (its sender never saw success); damage anywhere else throws.
 */
export async function readOutbox(home: string): Promise<OutboxMessage[]> {
  const file = outboxFilePath(home);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const messages = await Promise.all(recordsOf(file, text, true).map(messageOf));
  return messages.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
}

/** What `readOutboxFrom` read, and where to read on from next time. */
export interface OutboxPage {
  messages: OutboxMessage[];
  /** The byte offset after the last whole line read. */
  next: number;
}

/**
 * The messages written to the outbox of `home` since byte `offset`, in the order written, for a
 * reader that follows the outbox as it grows (`bangfu demo`): only whole lines are read, so a line
 * being written is read next time.
 */
export async function readOutboxFrom(home: string, offset: number): Promise<OutboxPage> {
  const file = outboxFilePath(home);
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { messages: [], next: offset };
    throw error;
  }
  try {
    const { size } = await handle.stat();
    if (size <= offset) return { messages: [], next: offset };
    const buffer = Buffer.alloc(size - offset);
    await handle.read(buffer, 0, buffer.length, offset);
    const end = buffer.lastIndexOf(0x0a) + 1;
    const text = buffer.subarray(0, end).toString('utf8');
    const messages = await Promise.all(recordsOf(file, text, false).map(messageOf));
    return { messages, next: offset + end };
  } finally {
    await handle.close();
  }
}

/**
 * The records in `text` (line numbers count from its start); a last line that is not JSON is skipped
 * when `lastMayBeCut`.
 */
function recordsOf(file: string, text: string, lastMayBeCut: boolean): OutboxRecord[] {
  const lines = text.split('\n');
  const lastLine = lines.findLastIndex((line) => line.trim() !== '');
  const records: OutboxRecord[] = [];
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const isLast = index === lastLine;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      if (isLast && lastMayBeCut) continue;
      throw new OutboxDamagedError(`${file}, line ${index + 1}: not JSON`);
    }
    const parsed = recordSchema.safeParse(json);
    if (!parsed.success) {
      throw new OutboxDamagedError(
        `${file}, line ${index + 1}: not an outbox record (${parsed.error.message})`,
      );
    }
    records.push(parsed.data);
  }
  return records;
}

async function messageOf(record: OutboxRecord): Promise<OutboxMessage> {
  const { messageId, receivedAt } = record;
  if ('simple' in record) return { messageId, receivedAt, ...fromSimple(record.simple) };
  const mail = await simpleParser(Buffer.from(record.raw, 'base64'));
  const header = (name: string) => {
    const value = mail.headers.get(name);
    return value === undefined ? null : decodeWords(String(value));
  };
  return {
    messageId,
    receivedAt,
    sentAt: mail.date?.toISOString() ?? null,
    from: mail.from?.text ?? '',
    to: addressesOf(mail.to),
    cc: addressesOf(mail.cc),
    subject: mail.subject ?? '',
    text: mail.text ?? null,
    html: mail.html || null,
    obligation: header('x-bangfu-obligation'),
    stage: header('x-bangfu-stage'),
    sendOn: header('x-bangfu-send-on'),
    attachments: mail.attachments.map((a) => ({
      filename: a.filename ?? null,
      contentType: a.contentType,
      size: a.size,
    })),
  };
}

function fromSimple(simple: z.infer<typeof simpleSchema>): Omit<OutboxMessage, 'messageId' | 'receivedAt'> {
  const header = (name: string) =>
    simple.Simple.Headers?.find((h) => h.Name.toLowerCase() === name)?.Value ?? null;
  return {
    sentAt: null,
    from: simple.FromEmailAddress ?? '',
    to: simple.Destination?.ToAddresses ?? [],
    cc: simple.Destination?.CcAddresses ?? [],
    subject: simple.Simple.Subject.Data,
    text: simple.Simple.Body.Text?.Data ?? null,
    html: simple.Simple.Body.Html?.Data ?? null,
    obligation: header('x-bangfu-obligation'),
    stage: header('x-bangfu-stage'),
    sendOn: header('x-bangfu-send-on'),
    attachments: (simple.Simple.Attachments ?? []).map((a) => ({
      filename: a.FileName,
      contentType: a.ContentType ?? 'application/octet-stream',
      size: Buffer.from(a.RawContent, 'base64').length,
    })),
  };
}

function addressesOf(field: ParsedMail['to']): string[] {
  const objects: AddressObject[] = field === undefined ? [] : Array.isArray(field) ? field : [field];
  const flat = (list: AddressObject['value']): string[] =>
    list.flatMap((a) => [...(a.address ? [a.address] : []), ...flat(a.group ?? [])]);
  return objects.flatMap((o) => flat(o.value));
}

/**
 * mailparser decodes the headers it knows (Subject …) but leaves RFC 2047 encoded words in others,
 * and nodemailer encodes any non-ASCII header value, e.g. a Chinese obligation id.
 */
function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[bBqQ]\?[^?]*\?=)\s+(?==\?[^?]+\?[bBqQ]\?[^?]*\?=)/g, '$1')
    .replace(
      /=\?([^?*]+)(?:\*[^?]*)?\?([bBqQ])\?([^?]*)\?=/g,
      (word, charset: string, encoding, data: string) => {
        const bytes =
          encoding.toUpperCase() === 'B'
            ? Buffer.from(data, 'base64')
            : Buffer.from(
                data
                  .replace(/_/g, ' ')
                  .replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) =>
                    String.fromCharCode(Number.parseInt(hex, 16)),
                  ),
                'latin1',
              );
        try {
          return new TextDecoder(charset).decode(bytes);
        } catch {
          return word;
        }
      },
    );
}

/** One block per message, oldest first, for people. */
export function formatOutbox(messages: OutboxMessage[]): string {
  if (messages.length === 0) return 'The outbox is empty: the local SES has received no mail for this home.';
  const blocks = messages.map((m) => {
    const lines = [
      `${beijingDateTime(new Date(m.receivedAt))} Beijing time  ${m.stage ?? '(no stage)'}  ${m.obligation ?? '(no obligation)'}`,
      `  to       ${m.to.join(', ') || '(none)'}`,
      ...(m.cc.length > 0 ? [`  cc       ${m.cc.join(', ')}`] : []),
      `  subject  ${m.subject}`,
      ...(m.attachments.length > 0
        ? [`  attached ${m.attachments.map((a) => a.filename ?? a.contentType).join(', ')}`]
        : []),
    ];
    return lines.join('\n');
  });
  return [`${messages.length} message(s) in the outbox, oldest first:`, ...blocks].join('\n\n');
}
