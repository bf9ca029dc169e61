/**
 * Ingest as a hostile user and a flaky network see it, on the embedded stack. The local S3 bridge
 * hands events over one at a time; here each delivery is driven by hand, so redeliveries, races and
 * concurrent ingests happen exactly as S3 and Lambda allow them on AWS.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectUpload } from '../../functions/adapters/file-inspector.ts';
import { createWiring, ingestPorts, type Wiring } from '../../functions/composition/wiring.ts';
import type { Institution, Obligation } from '../../functions/domain/model.ts';
import { readOutbox } from '../../functions/local/outbox.ts';
import { DEMO_ROSTER, readSeedFiles } from '../../functions/local/seed-files.ts';
import { importRoster } from '../../functions/use-cases/import-roster.ts';
import { type IngestPorts, ingestUpload } from '../../functions/use-cases/ingest-upload.ts';
import { loadSeeds } from '../../functions/use-cases/load-seeds.ts';
import { revokeUploadLinks, uploadLinkFor } from '../../functions/use-cases/personal-links.ts';
import type { Mailer } from '../../functions/use-cases/ports.ts';
import { requestUploadSlot } from '../../functions/use-cases/upload-slots.ts';
import { startTestStack, type TestStack } from './support/test-stack.ts';

const PAIRING = 'fj-2021.fj-huaan-county-hospital';
const LEAD = 'fj-xmu-first-affiliated-hospital';
/** Replayed time from a Beijing morning before the agreements are due, running at the wall clock's pace. */
const REPLAY_FROM = new Date('2022-02-21T09:00:00+08:00').getTime();
const started = Date.now();
const replayedNow = () => new Date(REPLAY_FROM + Date.now() - started);

let test: TestStack;
let wiring: Wiring;
let obligation: Obligation;
let lead: Institution;

async function samplePdf(label: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]).drawText(`Agreement scan ${label}`);
  return doc.save({ useObjectStreams: false });
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A fresh personal link's token for the lead supporter, as a reminder carries it. */
async function token(): Promise<string> {
  const url = await uploadLinkFor(wiring.uploads, obligation, lead);
  return url.split('/u/')[1] as string;
}

async function slotFor(filename = '协议书.pdf', size = 1000) {
  return requestUploadSlot(wiring.uploads, await token(), {
    filename,
    contentType: 'application/pdf',
    size,
  });
}

/** Posts a file with a presigned POST, as the upload page's form does. */
async function post(slot: { url: string; fields: Record<string, string> }, bytes: Uint8Array) {
  const form = new FormData();
  for (const [name, value] of Object.entries(slot.fields)) form.append(name, value);
  form.append('file', new Blob([bytes]), 'scan.pdf');
  const response = await fetch(slot.url, { method: 'POST', body: form, redirect: 'manual' });
  expect(response.status).toBe(303);
}

const bucket = () => test.stack.config.bucketName;
const ports = (overrides: Partial<IngestPorts> = {}) => ingestPorts(wiring, overrides);
const deliver = (key: string, overrides: Partial<IngestPorts> = {}) =>
  ingestUpload(ports(overrides), { bucket: bucket(), key });

async function keysUnder(prefix: string): Promise<string[]> {
  const listed = await wiring.clients.s3.send(new ListObjectsV2Command({ Bucket: bucket(), Prefix: prefix }));
  return (listed.Contents ?? []).map((o) => o.Key as string);
}

async function objectBytes(key: string): Promise<Uint8Array> {
  const object = await wiring.clients.s3.send(new GetObjectCommand({ Bucket: bucket(), Key: key }));
  return (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray();
}

const submissions = async () =>
  (await wiring.store.submissionsOfPairing(PAIRING)).filter((s) => s.obligationId === obligation.id);

beforeAll(async () => {
  test = await startTestStack();
  wiring = createWiring(test.stack.config, { clock: replayedNow });
  await loadSeeds(wiring.store, await readSeedFiles());
  await importRoster(wiring.store, { name: DEMO_ROSTER, text: await readFile(DEMO_ROSTER, 'utf8') });
  obligation = (await wiring.store.getObligation(PAIRING, 'agreement', 2022))?.obligation as Obligation;
  lead = (await wiring.store.listInstitutions()).find((i) => i.id === LEAD) as Institution;
}, 60_000);

afterAll(async () => {
  wiring?.destroy();
  await test?.stop();
});

describe('an accepted upload is exactly the file that was checked', () => {
  it('a second POST to the same slot during inspection neither replaces the checked file nor is lost', async () => {
    const slot = await slotFor();
    const first = await samplePdf('first');
    const second = new TextEncoder().encode('<html><body>not the agreement</body></html>');
    await post(slot, first);
    const key = slot.fields.key as string;

    // The second POST lands while the first file is being inspected.
    const outcome = await deliver(key, {
      inspect: async (bytes, expect) => {
        await post(slot, second);
        return inspectUpload(bytes, expect);
      },
    });
    expect(outcome).toMatchObject({ outcome: 'accepted', slotId: slot.slotId });

    const [record] = (await submissions()).filter((s) => s.id === slot.slotId);
    expect(record?.sha256).toBe(sha256(first));
    expect(sha256(await objectBytes(record?.key as string))).toBe(sha256(first));

    // The second object's own event: set aside under rejected/, not accepted, not left in incoming/.
    const late = await deliver(key);
    expect(late).toMatchObject({ outcome: 'set-aside', slotId: slot.slotId });
    const aside = await keysUnder(`rejected/${PAIRING}/${slot.slotId}/`);
    expect(aside).toHaveLength(1);
    expect(sha256(await objectBytes(aside[0] as string))).toBe(sha256(second));
    expect(await keysUnder(key)).toEqual([]);
    expect((await submissions()).filter((s) => s.id === slot.slotId)).toHaveLength(1);
  });

  it('a POST to a slot that is already finished is set aside, not left in incoming/', async () => {
    const slot = await slotFor();
    await post(slot, await samplePdf('accepted'));
    expect(await deliver(slot.fields.key as string)).toMatchObject({ outcome: 'accepted' });
    await post(slot, await samplePdf('posted again'));
    expect(await deliver(slot.fields.key as string)).toMatchObject({ outcome: 'set-aside' });
    expect(await keysUnder(slot.fields.key as string)).toEqual([]);
    expect(await keysUnder(`rejected/${PAIRING}/${slot.slotId}/`)).toHaveLength(1);
  });
});

describe('one upload is recorded once', () => {
  it('a redelivered event after the receipt failed once gives one record, one version, one receipt', async () => {
    const slot = await slotFor('回执失败.pdf');
    await post(slot, await samplePdf('receipt fails once'));
    let failures = 0;
    const flaky: Mailer = {
      send: async (email, hooks) => {
        if (failures === 0) {
          failures++;
          throw new Error('SES is unavailable');
        }
        return wiring.mailer.send(email, hooks);
      },
    };
    await expect(deliver(slot.fields.key as string, { mailer: flaky })).rejects.toThrow(/failed/);
    const retried = await deliver(slot.fields.key as string, { mailer: flaky });
    expect(retried).toMatchObject({ outcome: 'accepted' });

    const mine = (await submissions()).filter((s) => s.id === slot.slotId);
    expect(mine).toHaveLength(1);
    const receipts = (await readOutbox(test.home)).filter(
      (m) => m.stage === 'receipt' && m.text?.includes('回执失败.pdf'),
    );
    expect(receipts).toHaveLength(1);
    expect(receipts[0]?.text).toContain(`第 ${mine[0]?.version} 版`);
  });

  it('the same event delivered twice at the same moment gives one record', async () => {
    const slot = await slotFor();
    await post(slot, await samplePdf('twice at once'));
    const outcomes = await Promise.all([
      deliver(slot.fields.key as string),
      deliver(slot.fields.key as string),
    ]);
    expect(outcomes.filter((o) => o.outcome === 'accepted').length).toBeGreaterThanOrEqual(1);
    const mine = (await submissions()).filter((s) => s.id === slot.slotId);
    expect(mine).toHaveLength(1);
  });

  it('uploads ingested concurrently for one obligation get unique, gap-free versions', async () => {
    const before = await submissions();
    const slots = await Promise.all([1, 2, 3, 4, 5].map((n) => slotFor(`并发${n}.pdf`)));
    for (const [n, slot] of slots.entries()) await post(slot, await samplePdf(`concurrent ${n}`));
    const outcomes = await Promise.all(slots.map((slot) => deliver(slot.fields.key as string)));
    expect(outcomes.map((o) => o.outcome)).toEqual(Array(5).fill('accepted'));

    const versions = (await submissions()).map((s) => s.version).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: before.length + 5 }, (_, i) => i + 1));
  });
});

describe('ingest refuses a slot that no longer allows uploads', () => {
  it('a file posted after the link was revoked', async () => {
    const slot = await slotFor();
    await revokeUploadLinks(wiring.uploads, obligation.id, LEAD);
    await post(slot, await samplePdf('after revocation'));
    const outcome = await deliver(slot.fields.key as string);
    expect(outcome).toMatchObject({ outcome: 'rejected', problem: { code: 'link-revoked' } });
    const stored = await wiring.store.getUploadSlot(PAIRING, slot.slotId);
    expect(stored?.state).toBe('rejected');
    expect(stored?.reason).toContain('撤销');
    expect((await submissions()).some((s) => s.id === slot.slotId)).toBe(false);
  });

  it('a plain PUT to a slot key long after its POST expired', async () => {
    const issued = await wiring.store.getUploadSlot(PAIRING, (await slotFor()).slotId);
    // A slot issued 40 minutes ago: its POST expired half an hour before this PUT arrives.
    const old = {
      ...(issued as NonNullable<typeof issued>),
      slotId: 'expired-slot-0001',
      key: `incoming/fj-2021/${PAIRING}/agreement-2022/expired-slot-0001`,
      postExpiresAt: new Date(Date.now() - 30 * 60_000).toISOString(),
    };
    await wiring.store.putUploadSlot(old);
    await wiring.clients.s3.send(
      new PutObjectCommand({ Bucket: bucket(), Key: old.key, Body: await samplePdf('late put') }),
    );
    const outcome = await deliver(old.key);
    expect(outcome).toMatchObject({ outcome: 'rejected', problem: { code: 'slot-expired' } });
    expect((await wiring.store.getUploadSlot(PAIRING, old.slotId))?.reason).toContain('有效期');
    expect(await keysUnder(old.key)).toEqual([]);
  });
});
