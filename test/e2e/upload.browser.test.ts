import { mkdir } from 'node:fs/promises';
import { PDFDocument } from 'pdf-lib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalApp } from '../../functions/local/local-app.ts';
import { readOutbox } from '../../functions/local/outbox.ts';
import { programmeStatus } from '../../functions/use-cases/programme-status.ts';
import { nineOclock, type ReplayApp, startReplayApp } from '../integration/support/replay-app.ts';
import { launchChromium } from './support/chromium.ts';

const REPORT = 'fj-2021.fj-huaan-county-hospital#annual-report#2022';

let replay: ReplayApp;
let home: string;
const _now = () => replay.now();
const tickAt = (day: string) => replay.tickAt(day);
let app: LocalApp;
let browser: Browser;

beforeAll(async () => {
  replay = await startReplayApp('e2e');
  ({ home, app } = replay);
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await replay?.stop();
});

describe('a hospital uploads its annual report from the link in a reminder', () => {
  it('fills the figures, uploads a PDF, sees the confirmation; the reminders stop', async () => {
    // Fujian §三(二): Huaan's report is due to 厦门市卫健委 on 2 December; its T-30 is 2 November.
    await tickAt('2022-11-02');
    const reminder = (await readOutbox(home)).find(
      (m) => m.obligation === REPORT && m.to.includes('fj-huaan-county-hospital@example.org'),
    );
    const link = /华安县医院：(http:\/\/127\.0\.0\.1:\d+\/u\/[\w.-]+)/.exec(reminder?.text ?? '')?.[1];
    expect(link).toBeDefined();

    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(link as string);
    expect(await page.textContent('body')).toContain('华安县医院');

    for (let i = 0; i < 5; i++) {
      if (i > 0) await page.click('#add-staff');
      const row = (selector: string) => page.locator(selector).nth(i);
      await row('.staff-name').fill(`派驻专家${i + 1}`);
      await row('.staff-role').selectOption(i === 0 ? 'vice-president' : 'clinician');
      await row('.staff-from').fill(i % 2 === 0 ? '2022-01' : '2022-07');
      await row('.staff-to').fill(i % 2 === 0 ? '2022-06' : '2022-12');
    }
    await page.fill('#backboneStaffTrained', '4');
    await page.fill('#infectionControlTrainings', '2');
    await page.fill('#newTechniques', '3');
    await page.fill('#remoteConsultations', '120');
    for (let c = 0; c < 5; c++) await page.selectOption(`#centre-${c}`, c < 4 ? 'built' : 'in-progress');

    // A full-page screenshot after a file is chosen clears the choice in Chromium: take it before.
    await mkdir('test-output', { recursive: true });
    await page.screenshot({ path: 'test-output/upload-page.png', fullPage: true });
    const doc = await PDFDocument.create();
    doc.addPage().drawText('Huaan county hospital annual report 2022');
    await page.setInputFiles('input[type=file]', {
      name: '华安县医院2022年度报告.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from(await doc.save()),
    });
    await page.click('#submit-upload');

    const result = page.locator('#upload-result[data-state="accepted"]');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.textContent()).toContain('提交成功');
    await page.screenshot({ path: 'test-output/upload-received.png', fullPage: true });

    const [submission] = (
      await app.wiring.store.submissionsOfPairing('fj-2021.fj-huaan-county-hospital')
    ).filter((s) => s.obligationId === REPORT);
    expect(submission?.figures?.stationedStaff).toHaveLength(5);
    expect(submission?.figures?.backboneStaffTrained).toBe(4);
    expect(submission?.institutionId).toBe('fj-huaan-county-hospital');

    const status = await programmeStatus(app.wiring.store, 'fj-2021', nineOclock('2022-11-20'));
    expect(
      status.find(
        (s) =>
          s.pairing === 'fj-2021.fj-huaan-county-hospital' && s.kind === 'annual-report' && s.year === 2022,
      )?.state,
    ).toBe('submitted');

    // 25 November: T-7 of the reports due to a city on 2 December, T-14 of those due on the 10th.
    const next = await tickAt('2022-11-25');
    expect(next.messages.length).toBeGreaterThan(0);
    expect(next.messages.some((m) => m.obligationId === REPORT)).toBe(false);
  }, 120_000);
});
