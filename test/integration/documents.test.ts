import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalApp } from '../../functions/local/local-app.ts';
import { readOutbox } from '../../functions/local/outbox.ts';
import { leaveDispatchedByDeadRun } from '../support/dead-run.ts';
import { bangfu } from './support/bangfu-cli.ts';
import { type ReplayApp, startReplayApp } from './support/replay-app.ts';
import { signInToConsole } from './support/staff-session.ts';

const run = promisify(execFile);

let replay: ReplayApp;
let home: string;
const now = () => replay.now();
const tickAt = (day: string) => replay.tickAt(day);
let app: LocalApp;
let link: string;

async function pdfText(bytes: Uint8Array): Promise<string> {
  const file = join(home, `doc-${Date.now()}.pdf`);
  await import('node:fs/promises').then((fs) => fs.writeFile(file, bytes));
  return (await run('pdftotext', ['-layout', file, '-'])).stdout;
}

beforeAll(async () => {
  replay = await startReplayApp('docs');
  ({ home, app } = replay);
  await tickAt('2022-03-01');
  const notice = (await readOutbox(home)).find(
    (m) => m.stage === 'document' && m.to.includes('fj-provincial-commission@example.org'),
  );
  link = /(http:\/\/127\.0\.0\.1:\d+\/d\/[\w.-]+)/.exec(notice?.text ?? '')?.[1] ?? '';
}, 120_000);
afterAll(async () => {
  await replay?.stop();
});

describe('commission staff download generated documents', () => {
  it('the download link from the email answers with a short-lived presigned GET of the PDF', async () => {
    expect(link).not.toBe('');
    const redirect = await fetch(link, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    const location = redirect.headers.get('location') as string;
    expect(location).toContain('X-Amz-Expires=300');
    const pdf = await fetch(location);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toContain('.pdf');
    const bytes = new Uint8Array(await pdf.arrayBuffer());
    expect(Buffer.from(bytes.slice(0, 5)).toString()).toBe('%PDF-');
    const text = await pdfText(bytes);
    expect(text).toContain('华安县医院');
    expect(text).toContain('洛隆县人民医院');
  });

  it('a tampered link is refused clearly', async () => {
    const tampered = `${link.slice(0, -4)}${link.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    const response = await fetch(tampered, { redirect: 'manual' });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('下载链接无效');
  });

  it('an expired link is refused clearly', async () => {
    const [document] = await app.wiring.store.listDocuments();
    const token = await app.wiring.documents.tickets.issue({
      documentId: document?.id as string,
      expiresAt: new Date(now().getTime() - 1000),
    });
    const response = await fetch(`${app.stack.endpoints.api}/d/${token}`, { redirect: 'manual' });
    expect(response.status).toBe(410);
    expect(await response.text()).toContain('下载链接已过期');
  });

  it('the staff list of documents needs the login and lists every document', async () => {
    const url = `${app.stack.endpoints.api}/staff/documents`;
    expect((await fetch(url)).status).toBe(401);
    // The local stack's old HTTP Basic login is gone: such a header opens nothing.
    const wrong = await fetch(url, {
      headers: { authorization: `Basic ${Buffer.from('staff:nope').toString('base64')}` },
    });
    expect(wrong.status).toBe(401);
    const staff = await signInToConsole(app);
    const page = await staff.fetch('/staff/documents');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('协议');
    expect(html.match(/\/d\/[\w-]+\.[\w-]+\.[\w-]+/g)?.length).toBe(
      (await app.wiring.store.listDocuments()).length,
    );
  });

  it('the tick of the same day run again stores no second document and sends nothing new', async () => {
    const before = (await app.wiring.store.listDocuments()).length;
    const mails = (await readOutbox(home)).length;
    await tickAt('2022-03-01');
    expect((await app.wiring.store.listDocuments()).length).toBe(before);
    expect((await readOutbox(home)).length).toBe(mails);
  });
});

describe('staff mail a dead run had handed to SES', () => {
  it('the weekly digest reports the address as unconfirmed and still goes to the others, once', async () => {
    const stage = 'digest-2022-03-07-fj-provincial-commission';
    const handedOver = 'fj-provincial-commission.lead@example.org';
    await leaveDispatchedByDeadRun(app.wiring.store, {
      programmeId: 'fj-2021',
      pairingId: 'fj-2021',
      obligationId: `fj-2021#digest#${createHash('sha256').update(stage).digest('hex').slice(0, 8)}`,
      kind: 'digest',
      year: 2022,
      stage,
      day: '2022-03-07',
      email: handedOver,
      institutionId: 'fj-provincial-commission',
      field: 'to',
    });

    const tick = await tickAt('2022-03-07');
    expect(tick.published.unconfirmed).toEqual([
      { kind: 'digest', trace: '2022-03-07 fj-provincial-commission', email: handedOver },
    ]);
    const digests = (await readOutbox(home)).filter((m) => m.obligation === 'fj-2021#digest#2022-03-07');
    const provincial = digests.filter((m) => m.to.includes('fj-provincial-commission@example.org'));
    expect(provincial).toHaveLength(1);
    expect(digests.flatMap((m) => [...m.to, ...m.cc])).not.toContain(handedOver);
  });
});

describe('staff mail to an address that bounced', () => {
  it('the weekly digest skips it and says so, and still goes to the commission', async () => {
    const bounced = 'fj-provincial-commission.lead@example.org';
    await app.wiring.store.markAddressRejected({
      email: bounced,
      rejectedAt: now().toISOString(),
      reason: '被退回（地址不存在或拒收）',
      source: 'bounce',
    });
    const tick = await tickAt('2022-11-07');
    expect(tick.published.suppressed).toContainEqual(
      expect.objectContaining({ kind: 'digest', email: bounced }),
    );
    const digests = (await readOutbox(home)).filter((m) => m.obligation === 'fj-2021#digest#2022-11-07');
    expect(digests.filter((m) => m.to.includes('fj-provincial-commission@example.org'))).toHaveLength(1);
    expect(digests.flatMap((m) => [...m.to, ...m.cc])).not.toContain(bounced);
  });
});

describe('bangfu report', () => {
  let cliHome: string;
  beforeAll(async () => {
    cliHome = await mkdtemp(join(tmpdir(), 'bangfu-report-'));
    expect((await bangfu(cliHome, 'seed')).code).toBe(0);
  });
  afterAll(() => rm(cliHome, { recursive: true, force: true }));

  it('renders the agreement form of a pairing to a file', async () => {
    const out = join(cliHome, 'form.pdf');
    const result = await bangfu(
      cliHome,
      'report',
      'form',
      '--programme',
      'fj-2021',
      '--pairing',
      'fj-2021.fj-huaan-county-hospital',
      '--out',
      out,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(out);
    const text = (await run('pdftotext', ['-layout', out, '-'])).stdout;
    expect(text).toContain('华安县人民政府');
    expect(text).toContain('国卫医函〔2021〕262号');
    expect((await readFile(out)).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('names the missing input when the annual summary has no year', async () => {
    const result = await bangfu(cliHome, 'report', 'annual', '--programme', 'fj-2021');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('年度汇总需要指定年度');
  });
});

describe('the status documents of a deadline that ends on a weekend', () => {
  it('go out on the next working day, as of the deadline, and not on the Sunday', {
    timeout: 120_000,
  }, async () => {
    // The 2022 annual reports were due Saturday 10 December.
    const sunday = await tickAt('2022-12-11');
    expect(sunday.published.documents).toEqual([]);
    expect(sunday.published.messages.filter((m) => m.kind === 'document')).toEqual([]);
    const monday = await tickAt('2022-12-12');
    const annual = monday.published.documents.filter((d) => d.type === 'annual');
    expect(annual.map((d) => [d.programmeId, d.year, d.asOf])).toEqual([
      ['fj-2021', 2022, new Date('2022-12-11T00:00:00+08:00').toISOString()],
      ['js-2022', 2022, new Date('2022-12-11T00:00:00+08:00').toISOString()],
    ]);
    expect(monday.published.messages.some((m) => m.kind === 'document')).toBe(true);
  });
});
