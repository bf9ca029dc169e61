import { createHash } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createApi } from '../../functions/adapters/http-api.ts';
import { downloadTickets, uploadTickets } from '../../functions/adapters/upload-links.ts';
import type { DocumentPorts } from '../../functions/use-cases/documents.ts';
import type { UploadPorts } from '../../functions/use-cases/personal-links.ts';

const SECRET = 'unit-test-secret';
const NOW = new Date('2022-03-01T01:00:00Z');
const sha8 = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 8);

/** The API with tickets of its own and a document store that fails, and every log entry it writes. */
function apiWithLog() {
  const entries: Record<string, unknown>[] = [];
  const documents = {
    tickets: downloadTickets(SECRET),
    clock: () => NOW,
    store: {
      getDocument: async (id: string) => {
        throw new Error(`DynamoDB timed out reading ${id} for http://127.0.0.1:8080${lastPath}`);
      },
    },
  } as unknown as DocumentPorts;
  const uploads = { tickets: uploadTickets(SECRET), clock: () => NOW } as unknown as UploadPorts;
  const api = createApi({ uploads, documents }, (entry) => entries.push(entry as Record<string, unknown>));
  let lastPath = '';
  const request = (method: string, path: string, body?: string) => {
    lastPath = path;
    return api({
      rawPath: path,
      requestContext: { http: { method } },
      headers: {},
      isBase64Encoded: false,
      ...(body ? { body } : {}),
    } as unknown as APIGatewayProxyEventV2);
  };
  return { entries, request };
}

const downloadTicket = () =>
  downloadTickets(SECRET).issue({ documentId: 'doc-1', expiresAt: new Date('2022-03-15T00:00:00Z') });
const uploadTicket = () =>
  uploadTickets(SECRET).issue({
    obligationId: 'fj-2021.fj-huaan-county-hospital#agreement#2022',
    institutionId: 'fj-huaan-county-hospital',
    generation: 1,
    expiresAt: new Date('2022-03-15T00:00:00Z'),
  });

const expectNoTicket = (entries: object[], ticket: string) => {
  const logged = JSON.stringify(entries);
  for (const part of ticket.split('.')) expect(logged).not.toContain(part);
};

describe('what the API logs about a link', () => {
  it('a download link cut short is refused, and its log entry holds only a hash of it', async () => {
    const { entries, request } = apiWithLog();
    const cut = (await downloadTicket()).split('.').slice(0, 2).join('.');
    const response = await request('GET', `/d/${cut}`);
    expect(response.statusCode).toBe(400);
    expect(entries).toEqual([
      { level: 'info', message: 'link refused', code: 'malformed', path: `/d/…#${sha8(cut)}` },
    ]);
    expectNoTicket(entries, cut);
  });

  it('a download that fails logs its path and error without the ticket', async () => {
    const { entries, request } = apiWithLog();
    const ticket = await downloadTicket();
    const response = await request('GET', `/d/${ticket}`);
    expect(response.statusCode).toBe(500);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      level: 'error',
      message: 'request failed',
      path: `/d/…#${sha8(ticket)}`,
      error: expect.stringContaining('DynamoDB timed out reading doc-1'),
    });
    expectNoTicket(entries, ticket);
  });

  it('a tampered upload link is refused, and its log entry holds only a hash of it', async () => {
    const { entries, request } = apiWithLog();
    const ticket = await uploadTicket();
    const tampered = `${ticket.slice(0, -4)}${ticket.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    const response = await request('POST', `/u/${tampered}/slots`, '{}');
    expect(response.statusCode).toBe(403);
    expect(entries).toEqual([
      { level: 'info', message: 'link refused', code: 'tampered', path: `/u/…#${sha8(tampered)}/slots` },
    ]);
    expectNoTicket(entries, tampered);
  });

  it('whatever follows /u/ is kept out of the log, however short', async () => {
    const { entries, request } = apiWithLog();
    const response = await request('GET', '/u/abc.de');
    expect(response.statusCode).toBe(400);
    expect(entries).toEqual([
      { level: 'info', message: 'link refused', code: 'malformed', path: `/u/…#${sha8('abc.de')}` },
    ]);
  });
});
