/**
 * A recording HTTP proxy in front of the local SES stand-in (aws-ses-v2-local). The stand-in keeps
 * what it receives only in memory and drops the custom headers of raw messages, so this proxy writes
 * every successfully sent message to `<home>/outbox.jsonl` as well (see outbox.ts).
 *
 * Every request (SES v1 and v2 calls, the web UI at `/`, `/store` …) is forwarded to the stand-in
 * unchanged and its answer returned unchanged: the stand-in still speaks the protocol. Only a
 * successful v2 SendEmail is recorded, and the line is on disk before the client sees the answer.
 */
import { type FileHandle, open } from 'node:fs/promises';
import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SesRecorderOptions {
  /** The stand-in's base URL, e.g. http://127.0.0.1:41234 */
  upstream: string;
  host: '127.0.0.1';
  /** 0 picks a free port. */
  port: number;
  /** The JSON-lines file each sent message is appended to. */
  outboxFile: string;
}

export interface SesRecorder {
  port: number;
  close(): Promise<void>;
}

/** One line of the outbox file (read by outbox.ts). */
type OutboxRecord =
  | { messageId: string; receivedAt: string; raw: string }
  | { messageId: string; receivedAt: string; simple: SimpleSend };

/** The parts of a v2 SendEmail request with Simple content that say what was sent. */
export interface SimpleSend {
  FromEmailAddress?: string;
  Destination?: { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };
  ReplyToAddresses?: string[];
  Simple: unknown;
}

const SEND_EMAIL_PATH = '/v2/email/outbound-emails';

export async function startSesRecorder(options: SesRecorderOptions): Promise<SesRecorder> {
  const target = new URL(options.upstream);
  const agent = new Agent({ keepAlive: true });
  await dropTruncatedTail(options.outboxFile);
  const append = serialAppender(options.outboxFile);

  const server = createServer((req, res) => {
    const isSendEmail = req.method === 'POST' && pathOf(req.url) === SEND_EMAIL_PATH;
    if (isSendEmail) void forwardAndRecord(req, res);
    else forwardStreaming(req, res);
  });

  const upstreamRequest = (req: IncomingMessage, onResponse: (upstream: IncomingMessage) => void) => {
    const forward = request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.rawHeaders,
      },
      onResponse,
    );
    return forward;
  };

  function forwardStreaming(req: IncomingMessage, res: ServerResponse): void {
    const forward = upstreamRequest(req, (upstream) => {
      res.writeHead(upstream.statusCode ?? 502, upstream.statusMessage, upstream.rawHeaders);
      upstream.on('error', (error) => res.destroy(error));
      upstream.pipe(res);
    });
    forward.on('error', (error) => proxyFailed(res, error));
    req.on('error', () => forward.destroy());
    res.on('close', () => {
      if (!res.writableFinished) forward.destroy();
    });
    req.pipe(forward);
  }

  async function forwardAndRecord(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const body = await readAll(req);
      const upstream = await new Promise<IncomingMessage>((resolve, reject) => {
        const forward = upstreamRequest(req, resolve);
        forward.on('error', reject);
        forward.end(body);
      });
      const answer = await readAll(upstream);
      const status = upstream.statusCode ?? 502;
      if (status >= 200 && status < 300) {
        const record = recordOf(body, answer);
        if (record) await append(`${JSON.stringify(record)}\n`);
      }
      res.writeHead(status, upstream.statusMessage, upstream.rawHeaders);
      res.end(answer);
    } catch (error) {
      proxyFailed(res, error as Error);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}

/**
 * Answers with an error the SDK understands when the stand-in cannot be reached or the outbox
 * cannot be written: the client must not see success for a message that is not on disk.
 */
function proxyFailed(res: ServerResponse, error: Error): void {
  if (res.headersSent) {
    res.destroy(error);
    return;
  }
  res.writeHead(502, { 'content-type': 'application/json', 'x-amzn-errortype': 'InternalFailure' });
  res.end(JSON.stringify({ message: `bangfu SES recorder: ${error.message}` }));
}

function recordOf(requestBody: Buffer, responseBody: Buffer): OutboxRecord | undefined {
  let sent: {
    Content?: { Raw?: { Data?: unknown }; Simple?: unknown };
    FromEmailAddress?: string;
    Destination?: SimpleSend['Destination'];
    ReplyToAddresses?: string[];
  };
  let messageId: unknown;
  try {
    sent = JSON.parse(requestBody.toString('utf8'));
    messageId = (JSON.parse(responseBody.toString('utf8')) as { MessageId?: unknown }).MessageId;
  } catch {
    return undefined;
  }
  if (typeof messageId !== 'string') return undefined;
  const receivedAt = new Date().toISOString();
  const raw = sent.Content?.Raw?.Data;
  if (typeof raw === 'string') return { messageId, receivedAt, raw };
  if (sent.Content?.Simple) {
    const { FromEmailAddress, Destination, ReplyToAddresses } = sent;
    return {
      messageId,
      receivedAt,
      simple: { FromEmailAddress, Destination, ReplyToAddresses, Simple: sent.Content.Simple },
    };
  }
  return undefined;
}

/**
 * Appends one after another: a large line is written in several chunks, and two appends running
 * at once could interleave them.
 */
function serialAppender(file: string): (line: string) => Promise<void> {
  let last: Promise<void> = Promise.resolve();
  return (line) => {
    const next = last.then(async () => {
      const handle = await open(file, 'a');
      try {
        await handle.appendFile(line);
      } finally {
        await handle.close();
      }
    });
    last = next.catch(() => undefined);
    return next;
  };
}

/**
 * A crash in the middle of an append leaves a partial last line; the next append would glue a good
 * record onto it. That line was never acknowledged to a client, so it is cut off before recording
 * (or, if it is a whole record that only lacks its newline, the newline is added).
 */
async function dropTruncatedTail(file: string): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r+');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    const lineStart = await startOfLastLine(handle, size);
    if (lineStart === size) return;
    const tail = Buffer.alloc(size - lineStart);
    await handle.read(tail, 0, tail.length, lineStart);
    if (isJson(tail.toString('utf8'))) await handle.appendFile('\n');
    else await handle.truncate(lineStart);
  } finally {
    await handle.close();
  }
}

/** Where the last line begins: just after the last newline, or 0. */
async function startOfLastLine(handle: FileHandle, size: number): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024);
  for (let end = size; end > 0; ) {
    const start = Math.max(0, end - chunk.length);
    const { bytesRead } = await handle.read(chunk, 0, end - start, start);
    const at = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
    if (at >= 0) return start + at + 1;
    end = start;
  }
  return 0;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function pathOf(url: string | undefined): string {
  const path = (url ?? '/').split('?')[0] ?? '/';
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

async function readAll(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
