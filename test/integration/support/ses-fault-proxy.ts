/**
 * A loopback proxy in front of the local SES stand-in that injects faults the stand-in cannot
 * produce (throttling, 5xx, an address SES refuses). Everything else is forwarded untouched, so the
 * real SDK client, its retry strategy and the real stand-in do the rest.
 */
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SesFaults {
  /** Answer this many SendEmail calls with 429 TooManyRequestsException before forwarding. */
  throttleNext: number;
  /** Answer this many SendEmail calls with 503 before forwarding. */
  unavailableNext: number;
  /** Refuse (400 MessageRejected) any message addressed to one of these. */
  rejectAddresses: string[];
}

export interface SesFaultProxy {
  url: string;
  faults: SesFaults;
  /** SendEmail calls seen, including refused ones. */
  calls: number;
  close(): Promise<void>;
}

export async function startSesFaultProxy(upstream: string): Promise<SesFaultProxy> {
  const target = new URL(upstream);
  const proxy: SesFaultProxy = {
    url: '',
    faults: { throttleNext: 0, unavailableNext: 0, rejectAddresses: [] },
    calls: 0,
    close: async () => undefined,
  };
  const fail = (res: ServerResponse, status: number, type: string, message: string) => {
    res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type });
    res.end(JSON.stringify({ message }));
  };
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    if (req.method === 'POST' && req.url?.startsWith('/v2/email/outbound-emails')) {
      proxy.calls++;
      if (proxy.faults.throttleNext > 0) {
        proxy.faults.throttleNext--;
        return fail(res, 429, 'TooManyRequestsException', 'Maximum sending rate exceeded.');
      }
      if (proxy.faults.unavailableNext > 0) {
        proxy.faults.unavailableNext--;
        return fail(res, 503, 'ServiceUnavailable', 'Service unavailable');
      }
      const parsed = JSON.parse(body.toString('utf8')) as {
        Destination?: { ToAddresses?: string[]; CcAddresses?: string[] };
      };
      const addresses = [
        ...(parsed.Destination?.ToAddresses ?? []),
        ...(parsed.Destination?.CcAddresses ?? []),
      ];
      const refused = addresses.find((a) => proxy.faults.rejectAddresses.includes(a.toLowerCase()));
      if (refused) return fail(res, 400, 'MessageRejected', `Email address is not verified: ${refused}`);
    }
    const forward = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    forward.on('error', (error) => fail(res, 502, 'ProxyError', error.message));
    forward.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}
