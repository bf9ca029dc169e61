/**
 * `bangfu up --at 2022-02-21T08:00+08:00` on a fresh home, then a tick from another process: the
 * simulated clock in the home is what the tick, the upload page and slot, ingest, `bangfu status`
 * and the console all take for "now", while the S3 stand-in still checks the presigned POST against
 * the wall clock. Then staff move the date from the console.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_STATE_WORDS } from '../../functions/adapters/console-pages.ts';
import { type LocalApp, startLocalApp } from '../../functions/local/local-app.ts';
import { readOutbox } from '../../functions/local/outbox.ts';
import { readClockState, setSimulatedNow } from '../../functions/local/simulated-clock.ts';
import { bangfu } from './support/bangfu-cli.ts';
import { type StaffBrowser, signInToConsole } from './support/staff-session.ts';

// Fujian §三(一): Huaan's agreement goes to 厦门市卫健委, five working days before its 28 February.
const AGREEMENT = 'fj-2021.fj-huaan-county-hospital#agreement#2022';
const PAIRING = 'fj-2021.fj-huaan-county-hospital';
const VIEWER = 'fj-provincial-commission.viewer@staff.bangfu.example.org';

let home: string;
let app: LocalApp;
let admin: StaffBrowser;
let link = '';

/** The CSRF token of a console page's forms, as a browser would post it back. */
async function csrfOf(browser: StaffBrowser, path: string): Promise<string> {
  const html = await (await browser.fetch(path)).text();
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
}

async function moveClock(browser: StaffBrowser, fields: Record<string, string>) {
  const back = `/staff/pairings/${encodeURIComponent(PAIRING)}`;
  const body = new URLSearchParams({ _csrf: await csrfOf(browser, back), back, ...fields });
  return browser.fetch('/staff/clock', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: browser.origin },
    body,
  });
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'bangfu-simulated-clock-'));
  // What `bangfu up --at 2022-02-21T08:00+08:00` does before it starts the app.
  await setSimulatedNow(home, new Date('2022-02-21T08:00+08:00'));
  app = await startLocalApp({
    home,
    ports: { dynamodb: 0, s3: 0, ses: 0, api: 0, oidc: 0 },
    demoRoster: true,
    schedule: false,
    env: {},
    log: () => undefined,
  });
  const tick = await bangfu(home, 'tick', '--json');
  expect(tick.code, tick.stderr).toBe(0);
  expect(JSON.parse(tick.stdout).day).toBe('2022-02-21');
  const reminder = (await readOutbox(home)).find((m) => m.obligation === AGREEMENT);
  link = /http:\/\/127\.0\.0\.1:\d+\/u\/[\w.-]+/.exec(reminder?.text ?? '')?.[0] ?? '';
  admin = await signInToConsole(app);
}, 180_000);
afterAll(async () => {
  await app?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});

describe('Fujian §三(一) agreement due Mon 21 Feb 2022 on a home started at 08:00 that day', () => {
  it('`bangfu tick` without --at sends the due-day reminder with a link the upload page opens', async () => {
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/u\//);
    const response = await fetch(link);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('华安县医院');
    expect(html).toContain('2022年2月21日');
  });

  it('a PDF posted through the presigned POST is accepted (S3 checks its expiry on the wall clock)', async () => {
    const doc = await PDFDocument.create();
    doc.addPage([595, 842]).drawText('Agreement scan');
    const bytes = await doc.save();
    const slot = await fetch(`${link}/slots`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ filename: '协议书.pdf', contentType: 'application/pdf', size: bytes.length }),
    });
    expect(slot.status).toBe(200);
    const { url, fields, slotId } = (await slot.json()) as {
      url: string;
      fields: Record<string, string>;
      slotId: string;
    };
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append('file', new Blob([bytes]), '协议书.pdf');
    const posted = await fetch(url, { method: 'POST', body: form, redirect: 'manual' });
    expect(posted.status).toBeLessThan(400);
    await app.ingest.idle();
    const status = (await (await fetch(`${link}/slots/${slotId}`)).json()) as { state: string };
    expect(status.state).toBe('accepted');
  });

  it('`bangfu status --json` without --at shows it submitted on time, as of the simulated day', async () => {
    const status = await bangfu(home, 'status', '--programme', 'fj-2021', '--json');
    expect(status.code, status.stderr).toBe(0);
    const row = (
      JSON.parse(status.stdout) as { obligationId: string; state: string; submittedAt: string }[]
    ).find((o) => o.obligationId === AGREEMENT);
    expect(row?.state).toBe('submitted');
    expect(row?.submittedAt.startsWith('2022-02-')).toBe(true);
  });

  it('the console’s pairing page shows it submitted, under the simulated date in the header', async () => {
    const response = await admin.fetch(`/staff/pairings/${encodeURIComponent(PAIRING)}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(CONSOLE_STATE_WORDS.submitted);
    expect(html).toMatch(/模拟日期：2022年2月21日（星期一）0[89]:\d\d/);
    expect(html).toContain('下一个提醒节点');
  });
});

describe('staff move the simulated date from the console', () => {
  it('a viewer sees the date but no control, and is refused (403) when posting a move', async () => {
    const viewer = await signInToConsole(app, VIEWER);
    const html = await (await viewer.fetch(`/staff/pairings/${encodeURIComponent(PAIRING)}`)).text();
    expect(html).toContain('模拟日期：2022年2月21日');
    expect(html).not.toContain('下一个提醒节点');
    const before = await readClockState(home);
    const response = await moveClock(viewer, { move: 'next-day' });
    expect(response.status).toBe(403);
    expect(await readClockState(home)).toEqual(before);
  });

  it('moving backwards is refused with a Chinese message, and the clock stays', async () => {
    const before = await readClockState(home);
    const response = await moveClock(admin, { move: 'date', date: '2022-02-01' });
    expect(response.status).toBe(409);
    expect(await response.text()).toContain('模拟日期只能向后移动');
    expect(await readClockState(home)).toEqual(before);
  });

  it('下一天 as admin runs Tue 22 Feb’s tick (T+1 of the other pairings due the 21st) and leaves now at 09:00', async () => {
    const sent = (await readOutbox(home)).length;
    const response = await moveClock(admin, { move: 'next-day' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/staff/pairings/${encodeURIComponent(PAIRING)}`);
    expect((await readClockState(home))?.now).toBe('2022-02-22T01:00:00.000Z');
    const outbox = await readOutbox(home);
    expect(outbox.length).toBeGreaterThan(sent);
    // Submitted on the 21st: its reminders stopped.
    expect(outbox.slice(sent).some((m) => m.obligation === AGREEMENT)).toBe(false);
    const html = await (await admin.fetch(`/staff/pairings/${encodeURIComponent(PAIRING)}`)).text();
    expect(html).toMatch(/模拟日期：2022年2月22日（星期二）09:0\d/);
  });
});
