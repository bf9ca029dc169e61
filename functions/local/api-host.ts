/**
 * Serves a Lambda HTTP handler (API Gateway HTTP API, payload 2.0) on loopback: the local place of
 * API Gateway, so `bangfu up` answers upload links and the console with the same handler code as AWS.
 * Cookies travel as API Gateway carries them: the request's in the event's `cookies` (not in its
 * headers), each of the result's `cookies` as a Set-Cookie header of its own.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export type HttpHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

export interface ApiHost {
  port: number;
  serve(handler: HttpHandler): void;
  close(): Promise<void>;
}

const TEXT_TYPES = /^(application\/json|text\/|application\/x-www-form-urlencoded)/;
/** API Gateway's payload limit. */
const MAX_BODY = 10 * 1024 * 1024;

export async function startApiHost(host: string, port: number): Promise<ApiHost> {
  let handler: HttpHandler | undefined;
  const server: Server = createServer(async (req, res) => {
    try {
      if (!handler) {
        res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end('starting');
        return;
      }
      const event = await toEvent(req);
      const result = await handler(event);
      const body = result.body ?? '';
      const headers: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
      if (result.cookies?.length) headers['set-cookie'] = result.cookies;
      res.writeHead(result.statusCode ?? 200, headers);
      res.end(result.isBase64Encoded ? Buffer.from(body, 'base64') : body);
    } catch (error) {
      const tooLarge = (error as Error).message === 'payload too large';
      res.writeHead(tooLarge ? 413 : 500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(tooLarge ? 'payload too large' : 'internal error');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    serve: (h) => {
      handler = h;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function toEvent(req: IncomingMessage): Promise<APIGatewayProxyEventV2> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('payload too large');
    chunks.push(chunk as Buffer);
  }
  const body = Buffer.concat(chunks);
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers = Object.fromEntries(
    Object.entries(req.headers)
      .filter(([k]) => k !== 'cookie')
      .map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]),
  );
  const cookies = (req.headers.cookie ?? '')
    .split(';')
    .map((c) => c.trim())
    .filter(Boolean);
  const text = TEXT_TYPES.test(headers['content-type'] ?? 'text/plain');
  const query = Object.fromEntries(url.searchParams.entries());
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: decodeURI(url.pathname),
    rawQueryString: url.search.slice(1),
    ...(cookies.length ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: `local-${Date.now().toString(36)}`,
      routeKey: '$default',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    ...(body.length ? { body: text ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !text,
  };
}
