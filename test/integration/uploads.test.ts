import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { PDFDocument } from 'pdf-lib';
import PDFKit from 'pdfkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys, TABLE_KEYS } from '../../functions/adapters/dynamo-keys.ts';
import { UNUSED_SLOT_RETENTION_DAYS } from '../../functions/adapters/dynamo-store.ts';
import { ingestPorts } from '../../functions/composition/wiring.ts';
import type { LocalApp } from '../../functions/local/local-app.ts';
import { readOutbox } from '../../functions/local/outbox.ts';
import { ingestUpload } from '../../functions/use-cases/ingest-upload.ts';
import { revokeUploadLinks, uploadLinkFor } from '../../functions/use-cases/personal-links.ts';
import { type ReplayApp, startReplayApp } from './support/replay-app.ts';

const AGREEMENT = 'fj-2021.fj-huaan-county-hospital#agreement#2022';
const LEAD_EMAIL = 'fj-xmu-first-affiliated-hospital@example.org';

let replay: ReplayApp;
let home: string;
const now = () => replay.now();
const tickAt = (day: string) => replay.tickAt(day);
let app: LocalApp;
let link: string;

async function samplePdf(pages = 1): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < pages; i++) doc.addPage([595, 842]).drawText(`Agreement scan page ${i + 1}`);
  return doc.save({ useObjectStreams: false });
}

/** Asks the page's endpoint for a slot, as the page's script does. */
async function requestSlot(pageUrl: string, body: object) {
  const response = await fetch(`${pageUrl}/slots`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Posts the file to S3 with the presigned fields, as the browser's form does; does not follow the redirect. */
async function postToS3(
  slot: { url: string; fields: Record<string, string> },
  bytes: Uint8Array,
  filename: string,
) {
  const form = new FormData();
  for (const [name, value] of Object.entries(slot.fields)) form.append(name, value);
  form.append('file', new Blob([bytes]), filename);
  return fetch(slot.url, { method: 'POST', body: form, redirect: 'manual' });
}

async function uploadThrough(
  pageUrl: string,
  bytes: Uint8Array,
  filename: string,
  contentType: string,
  declaredSize = bytes.length,
) {
  const slot = await requestSlot(pageUrl, { filename, contentType, size: declaredSize });
  expect(slot.status, JSON.stringify(slot.body)).toBe(200);
  const posted = await postToS3(
    slot.body as { url: string; fields: Record<string, string> },
    bytes,
    filename,
  );
  await app.ingest.idle();
  return { slotId: slot.body.slotId as string, posted };
}

const slotStatus = async (pageUrl: string, slotId: string) =>
  (await (await fetch(`${pageUrl}/slots/${slotId}`)).json()) as { state: string; message: string };

beforeAll(async () => {
  replay = await startReplayApp('uploads');
  ({ home, app } = replay);
  await tickAt('2022-02-21');
  const reminder = (await readOutbox(home)).find((m) => m.obligation === AGREEMENT);
  link = /http:\/\/127\.0\.0\.1:\d+\/u\/[\w.-]+/.exec(reminder?.text ?? '')?.[0] ?? '';
}, 120_000);
afterAll(async () => {
  await replay?.stop();
});

describe('the personal link in a reminder', () => {
  it('is in the email, for the lead supporter who submits the agreement', async () => {
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/u\//);
    const reminder = (await readOutbox(home)).find((m) => m.obligation === AGREEMENT);
    expect(reminder?.text).toContain(`厦门大学附属第一医院：${link}`);
  });

  it('opens a page naming the programme, pairing, obligation, due date, accepted types and size limit', async () => {
    const response = await fetch(link);
    expect(response.status).toBe(200);
    // The ticket in the address must not leave with a Referer, be cached, or the form be framed.
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const html = await response.text();
    for (const text of [
      '福建省“十四五”时期三级医院对口帮扶县级医院工作方案',
      '华安县医院',
      '厦门大学附属第一医院',
      '对口帮扶协议书',
      // Fujian §三(一): Huaan's scans go to 厦门市卫健委, five working days before its 28 February.
      '2022年2月21日',
      'PDF',
      'OFD',
      '20.0 MB',
    ]) {
      expect(html).toContain(text);
    }
  });
});

describe('slot requests refused with clear messages', () => {
  it.each([
    [
      'oversize',
      { filename: 'scan.pdf', contentType: 'application/pdf', size: 21 * 1024 * 1024 },
      413,
      '超过',
    ],
    [
      'a type not accepted',
      { filename: 'setup.exe', contentType: 'application/octet-stream', size: 1000 },
      415,
      '文件格式不支持',
    ],
    [
      'an extension that disagrees with the type',
      { filename: 'scan.pdf', contentType: 'image/png', size: 1000 },
      415,
      '不一致',
    ],
    ['an empty file', { filename: 'scan.pdf', contentType: 'application/pdf', size: 0 }, 400, '文件为空'],
  ])('%s', async (_case, body, status, message) => {
    const refused = await requestSlot(link, body);
    expect(refused.status).toBe(status);
    expect(String(refused.body.message)).toContain(message);
  });
});

describe('a presigned POST', () => {
  it('carries a policy pinning key, type, size range and redirect, expiring within minutes', async () => {
    const slot = await requestSlot(link, {
      filename: '协议书.pdf',
      contentType: 'application/pdf',
      size: 1234,
    });
    const fields = (slot.body as { fields: Record<string, string> }).fields;
    const policy = JSON.parse(Buffer.from(fields.Policy as string, 'base64').toString('utf8')) as {
      expiration: string;
      conditions: unknown[];
    };
    const minutes = (new Date(policy.expiration).getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(5);
    expect(minutes).toBeLessThanOrEqual(10);
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ['content-length-range', 1, 20 * 1024 * 1024],
        ['eq', '$Content-Type', 'application/pdf'],
        { key: fields.key },
        ['eq', '$success_action_redirect', fields.success_action_redirect],
      ]),
    );
    expect(fields.key).toMatch(
      /^incoming\/fj-2021\/fj-2021\.fj-huaan-county-hospital\/agreement-2022\/[\w-]+$/,
    );
  });
});

describe('ingest', () => {
  it('accepts a real PDF: records the submission, marks the obligation submitted, emails a receipt', async () => {
    const pdf = await samplePdf(2);
    const { slotId, posted } = await uploadThrough(link, pdf, '华安县协议书.pdf', 'application/pdf');
    expect(posted.status).toBe(303);
    expect(posted.headers.get('location')).toContain(`/received?slot=${slotId}`);
    expect(await slotStatus(link, slotId)).toMatchObject({ state: 'accepted' });

    const submissions = await app.wiring.store.submissionsOfPairing('fj-2021.fj-huaan-county-hospital');
    expect(submissions).toEqual([
      expect.objectContaining({
        id: slotId,
        obligationId: AGREEMENT,
        institutionId: 'fj-xmu-first-affiliated-hospital',
        version: 1,
        size: pdf.length,
        contentType: 'application/pdf',
        filename: '华安县协议书.pdf',
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        key: expect.stringMatching(/^submissions\/fj-2021\/.*\.pdf$/),
      }),
    ]);
    const obligation = await app.wiring.store.getObligation(
      'fj-2021.fj-huaan-county-hospital',
      'agreement',
      2022,
    );
    expect(obligation?.record.submittedAt).toBeDefined();

    const receipt = (await readOutbox(home)).find((m) => m.obligation === AGREEMENT && m.stage === 'receipt');
    expect(receipt?.to).toEqual([LEAD_EMAIL]);
    expect(receipt?.subject).toContain('已收到');
    expect(receipt?.text).toContain('第 1 版');
  });

  it('stops the reminders for the submitted obligation', async () => {
    // T+1 of the 36 agreements due to a city commission on 21 February (Fujian §三(一)).
    const next = await tickAt('2022-02-22');
    const pairings = next.messages.filter((m) => !m.obligationId.includes('~'));
    expect(pairings.some((m) => m.obligationId === AGREEMENT)).toBe(false);
    expect(pairings.length).toBe(35);
  });

  it('a duplicate event for the same object changes nothing', async () => {
    const before = (await app.wiring.store.submissionsOfPairing('fj-2021.fj-huaan-county-hospital')).length;
    const mails = (await readOutbox(home)).length;
    const [slot] = await app.wiring.store.submissionsOfPairing('fj-2021.fj-huaan-county-hospital');
    const incoming = `incoming/fj-2021/fj-2021.fj-huaan-county-hospital/agreement-2022/${slot?.id}`;
    const again = await ingestUpload(ingestPorts(app.wiring), {
      bucket: app.stack.config.bucketName,
      key: incoming,
    });
    expect(again.outcome).toBe('ignored');
    expect((await app.wiring.store.submissionsOfPairing('fj-2021.fj-huaan-county-hospital')).length).toBe(
      before,
    );
    expect((await readOutbox(home)).length).toBe(mails);
  });

  it('a resubmission keeps the history as version 2', async () => {
    const { slotId } = await uploadThrough(
      link,
      await samplePdf(3),
      '华安县协议书-更正.pdf',
      'application/pdf',
    );
    expect(await slotStatus(link, slotId)).toMatchObject({
      state: 'accepted',
      message: expect.stringContaining('第 2 版'),
    });
    const html = await (await fetch(link)).text();
    expect(html).toContain('华安县协议书.pdf');
    expect(html).toContain('华安县协议书-更正.pdf');
  });

  it.each([
    [
      'a Word file disguised by its extension',
      new TextEncoder().encode('PK\u0003\u0004 not really a pdf'),
      'unsupported-type',
    ],
    [
      'a PNG named .pdf',
      Uint8Array.from(
        Buffer.from(
          'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
          'base64',
        ),
      ),
      'type-mismatch',
    ],
    ['a broken PDF', new TextEncoder().encode('%PDF-1.7\n garbage that does not parse'), 'unreadable-pdf'],
  ])('rejects %s: moved aside, reason recorded, uploader told why', async (_case, bytes, code) => {
    const { slotId } = await uploadThrough(link, bytes, 'scan.pdf', 'application/pdf');
    const status = await slotStatus(link, slotId);
    expect(status.state).toBe('rejected');
    const slot = await app.wiring.store.getUploadSlot('fj-2021.fj-huaan-county-hospital', slotId);
    expect(slot?.problemCode).toBe(code);
    const notice = (await readOutbox(home)).findLast((m) => m.stage === 'rejection');
    expect(notice?.to).toEqual([LEAD_EMAIL]);
    expect(notice?.text).toContain(status.message);
    const aside = await app.wiring.clients.s3.send(
      new ListObjectsV2Command({
        Bucket: app.stack.config.bucketName,
        Prefix: `rejected/fj-2021.fj-huaan-county-hospital/${slotId}/`,
      }),
    );
    expect(aside.KeyCount).toBe(1);
  });

  it('rejects a PDF that needs a password to open, telling the uploader to remove it', async () => {
    const locked = await new Promise<Uint8Array>((resolve, reject) => {
      const document = new PDFKit({ pdfVersion: '1.7', userPassword: '123456', ownerPassword: 'owner' });
      const chunks: Buffer[] = [];
      document.on('data', (chunk: Buffer) => chunks.push(chunk));
      document.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
      document.on('error', reject);
      document.text('Agreement scan');
      document.end();
    });
    const { slotId } = await uploadThrough(link, locked, 'locked.pdf', 'application/pdf');
    const status = await slotStatus(link, slotId);
    expect(status).toMatchObject({ state: 'rejected' });
    expect(status.message).toContain('打开密码');
    const slot = await app.wiring.store.getUploadSlot('fj-2021.fj-huaan-county-hospital', slotId);
    expect(slot?.problemCode).toBe('password-protected-pdf');
    const notice = (await readOutbox(home)).findLast((m) => m.stage === 'rejection');
    expect(notice?.text).toContain('请取消打开密码');
  });

  it('rejects an empty file and a file larger than the limit even though S3 let them through', async () => {
    const empty = await uploadThrough(link, new Uint8Array(), 'scan.pdf', 'application/pdf', 100);
    expect(await slotStatus(link, empty.slotId)).toMatchObject({
      state: 'rejected',
      message: expect.stringContaining('文件为空'),
    });
    const big = new Uint8Array(21 * 1024 * 1024);
    big.set(await samplePdf());
    const oversize = await uploadThrough(link, big, 'scan.pdf', 'application/pdf', 1000);
    expect(await slotStatus(link, oversize.slotId)).toMatchObject({
      state: 'rejected',
      message: expect.stringContaining('超过'),
    });
  });

  it('sets aside an object under incoming/ that no slot was issued for', async () => {
    const key = 'incoming/fj-2021/fj-2021.fj-huaan-county-hospital/agreement-2022/forged-slot-0001';
    await app.wiring.clients.s3.send(
      new PutObjectCommand({ Bucket: app.stack.config.bucketName, Key: key, Body: await samplePdf() }),
    );
    await app.ingest.idle();
    const listed = await app.wiring.clients.s3.send(
      new ListObjectsV2Command({ Bucket: app.stack.config.bucketName, Prefix: 'rejected/unmatched/' }),
    );
    expect(listed.Contents?.map((o) => o.Key)).toContain(
      `rejected/unmatched/${key.slice('incoming/'.length)}`,
    );
    expect((await app.wiring.store.submissionsOfPairing('fj-2021.fj-huaan-county-hospital')).length).toBe(2);
  });

  it('lets DynamoDB expire a slot no file came for, and keeps a finished slot', async () => {
    const slotItem = async (slotId: string) =>
      (
        await app.wiring.clients.documents.send(
          new GetCommand({
            TableName: app.stack.config.tableName,
            Key: keys.uploadSlot('fj-2021.fj-huaan-county-hospital', slotId),
          }),
        )
      ).Item;
    const unused = await requestSlot(link, {
      filename: 'later.pdf',
      contentType: 'application/pdf',
      size: 1000,
    });
    expect(unused.status).toBe(200);
    const waiting = await slotItem(unused.body.slotId as string);
    expect(waiting?.state).toBe('issued');
    expect(waiting?.[TABLE_KEYS.timeToLive]).toBe(
      Math.floor(Date.parse(waiting?.postExpiresAt as string) / 1000) + UNUSED_SLOT_RETENTION_DAYS * 86_400,
    );

    const broken = new TextEncoder().encode('%PDF-1.7\n not a document');
    const { slotId } = await uploadThrough(link, broken, 'broken.pdf', 'application/pdf');
    const finished = await slotItem(slotId);
    expect(finished?.state).toBe('rejected');
    expect(finished).not.toHaveProperty(TABLE_KEYS.timeToLive);
    // The slot as the code sees it carries no storage attribute.
    expect(
      await app.wiring.store.getUploadSlot('fj-2021.fj-huaan-county-hospital', slotId),
    ).not.toHaveProperty(TABLE_KEYS.timeToLive);
  });
});

describe('links that do not work get a clear page', () => {
  const tokenOf = (url: string) => url.split('/u/')[1] as string;
  const pageFor = async (token: string) => {
    const response = await fetch(`${app.stack.endpoints.api}/u/${token}`);
    return { status: response.status, html: await response.text() };
  };

  it('expired', async () => {
    const token = await app.wiring.uploads.tickets.issue({
      obligationId: AGREEMENT,
      institutionId: 'fj-xmu-first-affiliated-hospital',
      generation: 1,
      expiresAt: new Date(now().getTime() - 60_000),
    });
    const page = await pageFor(token);
    expect(page.status).toBe(410);
    expect(page.html).toContain('链接已过期');
    expect(page.html).not.toMatch(/Error|at .*\.ts/);
  });

  it('tampered', async () => {
    const token = tokenOf(link);
    const flipped = `${token.slice(0, -3)}${token.slice(-3) === 'AAA' ? 'BBB' : 'AAA'}`;
    const page = await pageFor(flipped);
    expect(page.status).toBe(403);
    expect(page.html).toContain('链接无效');
    const forged = await pageFor(
      `${token.split('.')[0]}.${Buffer.from('{"o":"x"}').toString('base64url')}.${token.split('.')[2]}`,
    );
    expect(forged.status).toBe(403);
  });

  it('unknown or garbled', async () => {
    expect((await pageFor('not-a-ticket')).status).toBe(400);
    expect((await fetch(`${app.stack.endpoints.api}/nothing-here`)).status).toBe(404);
  });

  it('replayed after revocation; the newly issued link works', async () => {
    await revokeUploadLinks(app.wiring.uploads, AGREEMENT, 'fj-xmu-first-affiliated-hospital');
    const replay = await pageFor(tokenOf(link));
    expect(replay.status).toBe(410);
    expect(replay.html).toContain('链接已失效');
    const refusedSlot = await requestSlot(link, {
      filename: 'scan.pdf',
      contentType: 'application/pdf',
      size: 10,
    });
    expect(refusedSlot.status).toBe(410);

    const [pairing] = await app.wiring.store.getPairings(['fj-2021.fj-huaan-county-hospital']);
    const obligation = await app.wiring.store.getObligation(pairing?.id as string, 'agreement', 2022);
    const institution = (await app.wiring.store.listInstitutions()).find(
      (i) => i.id === 'fj-xmu-first-affiliated-hospital',
    );
    const fresh = await uploadLinkFor(
      app.wiring.uploads,
      obligation?.obligation as never,
      institution as never,
    );
    expect(fresh).not.toBe(link);
    expect((await fetch(fresh)).status).toBe(200);
  });
});
