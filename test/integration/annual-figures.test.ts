/**
 * The annual report's figures through the upload page's endpoint, on the embedded stack: a reminder
 * for Huaan's 2022 annual report carries the personal link, and a slot request with the figures the
 * page's form builds is checked against the programme's years and the report's year.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalApp } from '../../functions/local/local-app.ts';
import { readOutbox } from '../../functions/local/outbox.ts';
import { type ReplayApp, startReplayApp } from './support/replay-app.ts';

const HUAAN = 'fj-2021.fj-huaan-county-hospital';
const ANNUAL_REPORT = `${HUAAN}#annual-report#2022`;

let replay: ReplayApp;
let app: LocalApp;
let link: string;

type Stint = { name: string; role: string; from: string; to: string };

/** The figures as the upload page's form sends them (templates/pages/upload.html.hbs). */
const figuresWith = (stationedStaff: Stint[]) => ({
  stationedStaff,
  backboneStaffTrained: 3,
  infectionControlTrainings: 1,
  emergencyCentres: {
    卒中中心: 'built',
    胸痛中心: 'built',
    创伤中心: 'in-progress',
    危重孕产妇救治中心: 'built',
    危重儿童和新生儿救治中心: 'not-started',
  },
  newTechniques: 2,
  remoteConsultations: 40,
});

const TEAM: Stint[] = [
  { name: '陈明', role: 'vice-president', from: '2022-01', to: '2022-06' },
  { name: '林华', role: 'clinician', from: '2021-10', to: '2022-03' },
  { name: '黄伟', role: 'clinician', from: '2022-07', to: '2022-12' },
  { name: '吴芳', role: 'technician', from: '2022-10', to: '2023-03' },
];

/** Asks the page's endpoint for a slot for the annual report, as the page's script does. */
async function requestSlot(figures: unknown) {
  const response = await fetch(`${link}/slots`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      filename: '华安县2022年度报告.pdf',
      contentType: 'application/pdf',
      size: 2048,
      figures,
    }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  replay = await startReplayApp('annual-figures');
  app = replay.app;
  // Huaan reports to 厦门市卫健委 five working days before its 10 December (Fujian §三(二)), by
  // Friday 2 December: thirty days before that is the first reminder for the 2022 annual report.
  await replay.tickAt('2022-11-02');
  const reminder = (await readOutbox(replay.home)).find((m) => m.obligation === ANNUAL_REPORT);
  link = /http:\/\/127\.0\.0\.1:\d+\/u\/[\w.-]+/.exec(reminder?.text ?? '')?.[0] ?? '';
}, 120_000);
afterAll(async () => {
  await replay?.stop();
});

describe('annual figures with the annual report', () => {
  it('the reminder’s link opens a page asking for the 2022 figures', async () => {
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/u\//);
    const html = await (await fetch(link)).text();
    expect(html).toContain('年度数据（2022年）');
  });

  it('refuses a stint from year 0000, naming the row and field', async () => {
    const refused = await requestSlot(
      figuresWith([...TEAM, { name: '郑强', role: 'clinician', from: '0000-01', to: '2022-12' }]),
    );

    expect(refused).toEqual({
      status: 400,
      body: {
        message: '年度数据填写有误：stationedStaff.4.from 月份应在 2021年1月 至 2025年12月 之间',
        field: 'figures',
      },
    });
  });

  it('refuses a stint to year 9999, naming the row and field', async () => {
    const refused = await requestSlot(
      figuresWith([{ name: '郑强', role: 'clinician', from: '2022-01', to: '9999-12' }, ...TEAM]),
    );

    expect(refused.status).toBe(400);
    expect(refused.body.message).toBe(
      '年度数据填写有误：stationedStaff.0.to 月份应在 2021年1月 至 2025年12月 之间',
    );
  });

  it('refuses a name made only of zero-width spaces', async () => {
    const refused = await requestSlot(
      figuresWith([
        ...TEAM.slice(0, 2),
        { name: '\u200b\u200b\u200b', role: 'president', from: '2022-01', to: '2022-12' },
      ]),
    );

    expect(refused.status).toBe(400);
    expect(refused.body.message).toBe('年度数据填写有误：stationedStaff.2.name 请填写姓名');
  });

  it('refuses a stint that ended before the report’s year', async () => {
    const refused = await requestSlot(
      figuresWith([...TEAM, { name: '旧人', role: 'clinician', from: '2021-01', to: '2021-12' }]),
    );

    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain(
      '年度数据填写有误：stationedStaff.4.to 结束月份不能早于 2022年1月',
    );
  });

  it('accepts figures within the plan and records the names without their invisible characters', async () => {
    const accepted = await requestSlot(
      figuresWith([{ ...TEAM[0], name: '\ufeff陈明\u200b' } as Stint, ...TEAM.slice(1)]),
    );

    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    const slot = await app.wiring.store.getUploadSlot(HUAAN, accepted.body.slotId as string);
    expect(slot?.figures?.stationedStaff.map((s) => s.name)).toEqual(['陈明', '林华', '黄伟', '吴芳']);
    expect(slot?.figures?.stationedStaff[3]).toMatchObject({ from: '2022-10', to: '2023-03' });
  });
});
