/**
 * The reporting chain in the console over real HTTP on the local app (Fujian §三(一)): Xiamen's city
 * commission forwards its pairings' agreements to the province, the province sees it forwarded and
 * returns it with a reason, and the city sees the return; then the evaluation report (§三(二)) goes
 * up as the city's own PDF. Replayed time: 25 February 2022, after the hospitals' date (21 February)
 * and before the commission's (28 February).
 */
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Files } from '../../functions/adapters/s3-files.ts';
import type { LocalApp } from '../../functions/local/local-app.ts';
import { type ReplayApp, startReplayApp } from './support/replay-app.ts';
import { DEFAULT_STAFF_EMAIL, type StaffBrowser, signInToConsole } from './support/staff-session.ts';

const NOW = new Date('2022-02-25T10:00:00+08:00');
const XIAMEN = 'fj-xiamen-health-commission';
const XIAMEN_REVIEWER = `${XIAMEN}.reviewer@staff.bangfu.example.org`;
const AGREEMENTS = '/staff/programmes/fj-2021/forwardings/agreement-forwarding/2022';
const ANNUAL = '/staff/programmes/fj-2021/forwardings/annual-evaluation/2022';

let replay: ReplayApp;
let app: LocalApp;
let city: StaffBrowser;
let province: StaffBrowser;

async function postMultipart(browser: StaffBrowser, path: string, fields: Record<string, string | Blob>) {
  const body = new FormData();
  body.set('_csrf', await browser.csrfToken());
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === 'string') body.set(name, value);
    else body.set(name, value, 'xiamen-evaluation-2022.pdf');
  }
  return browser.fetch(path, { method: 'POST', headers: { origin: browser.origin }, body });
}

async function post(browser: StaffBrowser, path: string, fields: Record<string, string>) {
  const body = new URLSearchParams({ _csrf: await browser.csrfToken(), ...fields });
  return browser.fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: browser.origin },
    body,
  });
}

/** The province page's row of one commission. */
function rowOf(html: string, commission: string): string {
  const row = html
    .split('<tr class="forwarding')
    .slice(1)
    .find((r) => r.includes(commission));
  if (!row) throw new Error(`no row for ${commission}`);
  return row.slice(0, row.indexOf('</tr>'));
}

beforeAll(async () => {
  replay = await startReplayApp('console-chain', { at: NOW });
  ({ app } = replay);
  city = await signInToConsole(app, XIAMEN_REVIEWER, '/staff/');
  province = await signInToConsole(app, DEFAULT_STAFF_EMAIL, '/staff/');
}, 120_000);
afterAll(async () => {
  await replay?.stop();
});

describe('the reporting chain in the console (Fujian §三(一))', () => {
  it("links the city's own forwarding page from the overview, with its pairings and both due dates", async () => {
    const overview = await (await city.fetch('/staff/programmes/fj-2021')).text();
    expect(overview).toContain(`href="${AGREEMENTS}"`);
    const page = await city.fetch(AGREEMENTS);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('华安县医院');
    expect(html).toContain('医院报送截止：2022年2月21日');
    expect(html).toContain('本市转报截止：2022年2月28日');
    expect(html).toContain('待转报');
    expect(html).toContain('enctype="multipart/form-data"');
  });

  it('the city forwards; the province sees it forwarded, returns it with a reason; the city sees why', async () => {
    const forwarded = await postMultipart(city, `${AGREEMENTS}/forward`, {
      document: 'generate',
      confirm: 'yes',
    });
    expect(forwarded.status).toBe(303);
    expect(forwarded.headers.get('location')).toBe(`${AGREEMENTS}?done=forward`);
    const stored = await app.wiring.store.getForwarding('fj-2021', XIAMEN, 'agreement-forwarding', 2022);
    expect(stored?.record.forwarded?.outstanding).toHaveLength(7);
    expect(stored?.record.forwarded?.document?.source).toBe('generated');

    // Forwarding again is refused while the province has not returned it.
    const twice = await postMultipart(city, `${AGREEMENTS}/forward`, {
      document: 'generate',
      confirm: 'yes',
    });
    expect(twice.status).toBe(409);
    expect(await twice.text()).toContain('不能重复转报');

    const seen = await (await province.fetch(AGREEMENTS)).text();
    expect(rowOf(seen, '厦门市卫生健康委员会')).toContain('data-status="forwarded"');
    expect(rowOf(seen, '厦门市卫生健康委员会')).toContain('2022-02-25 10:00');
    expect(rowOf(seen, '福州市卫生健康委员会')).toContain('data-status="pending"');
    expect(seen).toContain('直接报送省卫生健康委的结对关系');

    const returned = await post(province, `${AGREEMENTS}/${XIAMEN}/review`, {
      action: 'return',
      reason: '缺少华安县医院的县政府盖章页',
    });
    expect(returned.status).toBe(303);
    expect(returned.headers.get('location')).toBe(`${AGREEMENTS}?done=return&commission=${XIAMEN}&mailed=1`);
    const after = await (await province.fetch(returned.headers.get('location') as string)).text();
    expect(rowOf(after, '厦门市卫生健康委员会')).toContain('data-status="returned"');
    expect(after).toContain('已退回。已通知厦门市卫生健康委员会：1个邮箱');
    const review = (await app.wiring.store.getForwarding('fj-2021', XIAMEN, 'agreement-forwarding', 2022))
      ?.record.review;
    const mailed = await app.wiring.store.remindersOfStage(
      `fj-2021~${XIAMEN}`,
      'agreement-forwarding',
      2022,
      `returned-${review?.at}`,
    );
    expect(mailed.map((r) => r.status)).toEqual(['sent']);

    const cityPage = await (await city.fetch(AGREEMENTS)).text();
    expect(cityPage).toContain('已退回');
    expect(cityPage).toContain('缺少华安县医院的县政府盖章页');
    expect(cityPage).toContain('重新转报');
    const audit = (await app.wiring.store.getForwarding('fj-2021', XIAMEN, 'agreement-forwarding', 2022))
      ?.audit;
    expect(audit?.map((a) => [a.action, a.actor.email])).toEqual([
      ['forward', XIAMEN_REVIEWER],
      ['return', DEFAULT_STAFF_EMAIL],
    ]);
  });

  it("words a return's notice that did not go out from the redirect's problem, never from free text", async () => {
    const unsent = await (
      await province.fetch(`${AGREEMENTS}?done=return&commission=${XIAMEN}&unsent=withoutContacts`)
    ).text();
    expect(unsent).toContain('已退回。通知邮件未能发送：未登记联系人邮箱，请另行通知');
    const forged = await (
      await province.fetch(`${AGREEMENTS}?done=return&commission=${XIAMEN}&unsent=请拨打电话`)
    ).text();
    expect(forged).toContain('<p class="notice" role="status">已退回。</p>');
    expect(forged).not.toContain('请拨打电话');
  });

  it('refuses a city reviewing forwardings, and the province forwarding for a city', async () => {
    const review = await post(city, `${AGREEMENTS}/${XIAMEN}/review`, { action: 'accept' });
    expect(review.status).toBe(403);
    const forward = await postMultipart(province, `${ANNUAL}/forward`, {
      document: 'generate',
      confirm: 'yes',
    });
    expect(forward.status).toBe(403);
  });

  it("forwards the annual evaluation as the city's own PDF, stored under its hash (§三(二))", async () => {
    const document = await PDFDocument.create();
    document.addPage([595, 842]).drawText('Xiamen evaluation 2022', { x: 50, y: 780, size: 14 });
    const bytes = await document.save();
    const response = await postMultipart(city, `${ANNUAL}/forward`, {
      document: 'upload',
      confirm: 'yes',
      file: new Blob([bytes], { type: 'application/pdf' }),
    });
    expect(response.status).toBe(303);
    const stored = await app.wiring.store.getForwarding('fj-2021', XIAMEN, 'annual-evaluation', 2022);
    const kept = stored?.record.forwarded?.document;
    expect(kept).toMatchObject({ source: 'uploaded', filename: 'xiamen-evaluation-2022.pdf' });
    expect(kept?.key).toMatch(
      /^forwardings\/fj-2021\/fj-xiamen-health-commission\/annual-evaluation\/2022\//,
    );
    const object = await s3Files(app.wiring.clients.s3).read(kept?.bucket ?? '', kept?.key ?? '', {
      maxBytes: 1_000_000,
    });
    expect(object?.size).toBe(bytes.byteLength);
  });

  it("shows the pairing's route: its collector, both due dates and their basis", async () => {
    const html = await (await city.fetch('/staff/pairings/fj-2021.fj-huaan-county-hospital')).text();
    expect(html).toContain('报送路径');
    expect(html).toContain('厦门市卫生健康委员会');
    expect(html).toContain('方案 三、（一）');
    expect(html).toContain('产品默认：方案未规定医院向设区市卫健委报送的时限');
  });
});
