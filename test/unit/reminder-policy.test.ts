import { beforeAll, describe, expect, it } from 'vitest';
import type { Pairing, Programme } from '../../functions/domain/model.ts';
import { type InstitutionDirectory, institutionDirectory } from '../../functions/domain/pairings.ts';
import { partyResolver } from '../../functions/domain/parties.ts';
import { reminderSchedule } from '../../functions/domain/reminder-schedule.ts';
import { reminderAudience, sendDueOn, urgencyZh } from '../../functions/domain/reminders.ts';
import { prcCalendar } from '../../functions/domain/working-days.ts';
import { readSeedFiles } from '../../functions/local/seed-files.ts';
import { planSeeds } from '../../functions/use-cases/load-seeds.ts';

let directory: InstitutionDirectory;
const programmes = new Map<string, { programme: Programme; pairings: Pairing[] }>();

beforeAll(async () => {
  const planned = planSeeds(await readSeedFiles());
  directory = institutionDirectory(planned.institutions);
  for (const p of planned.programmes) programmes.set(p.programme.id, p);
});

/** Who gets a given stage of a pairing's obligation, as institution names. */
function audienceOf(programmeId: string, recipient: string, kind: string, stage: string) {
  const { programme, pairings } = programmes.get(programmeId) as {
    programme: Programme;
    pairings: Pairing[];
  };
  const pairing = pairings.find((p) => directory.byId.get(p.recipientId)?.name === recipient) as Pairing;
  const rule = programme.obligationKinds.find((k) => k.kind === kind);
  if (!rule) throw new Error(kind);
  const due = `${rule.years[0]}-${rule.due}`;
  const send = reminderSchedule(due, programme.reminderStages, prcCalendar).find((s) => s.stage === stage);
  if (!send) throw new Error(stage);
  const audience = reminderAudience(rule, send, partyResolver(programme, pairing, directory));
  const names = (list: { name: string }[]) => list.map((i) => i.name);
  return { to: names(audience.to), cc: names(audience.cc), escalatedTo: names(audience.escalatedTo) };
}

describe('who is reminded', () => {
  it('agreement before the due date: lead supporter, recipient and county government; other supporters in copy', () => {
    expect(audienceOf('fj-2021', '洛隆县人民医院', 'agreement', 'T-7')).toEqual({
      to: ['泉州市卫生健康委员会', '洛隆县人民医院', '洛隆县人民政府'],
      cc: [
        '泉州市第一医院',
        '泉州市儿童医院',
        '南安市总医院',
        '晋江市总医院',
        '安溪县总医院',
        '泉州市中医院',
        '石狮市总医院',
      ],
      escalatedTo: [],
    });
  });

  it('annual report: the recipient and the lead supporter only', () => {
    expect(audienceOf('js-2022', '泗阳县第一人民医院', 'annual-report', 'T-30')).toEqual({
      to: ['泗阳县第一人民医院', '苏州市第九人民医院'],
      cc: [],
      escalatedTo: [],
    });
  });

  it('Fujian, after the due date: the commission of the lead supporter’s city joins', () => {
    expect(audienceOf('fj-2021', '华安县医院', 'agreement', 'T+1').escalatedTo).toEqual([
      '厦门市卫生健康委员会',
    ]);
  });

  it('Fujian: a provincially managed lead reports to the provincial commission directly', () => {
    expect(audienceOf('fj-2021', '松溪县医院', 'agreement', 'T+1').escalatedTo).toEqual([
      '福建省卫生健康委员会',
    ]);
  });

  it('at the last stage the provincial commission joins as well', () => {
    expect(audienceOf('fj-2021', '华安县医院', 'agreement', 'T+7').escalatedTo).toEqual([
      '厦门市卫生健康委员会',
      '福建省卫生健康委员会',
    ]);
  });

  it('Jiangsu, after the due date: both paired city commissions join; no county government (§七(三))', () => {
    expect(audienceOf('js-2022', '泗阳县第一人民医院', 'agreement', 'T+1')).toMatchObject({
      to: ['苏州市第九人民医院', '泗阳县第一人民医院', '苏州市卫生健康委员会', '宿迁市卫生健康委员会'],
      cc: ['江苏省人民医院'],
      escalatedTo: ['苏州市卫生健康委员会', '宿迁市卫生健康委员会'],
    });
  });

  it('Jiangsu: a CDC supported by the provincial CDC escalates to the province and the recipient’s city', () => {
    expect(audienceOf('js-2022', '灌云县疾病预防控制中心', 'agreement', 'T+7').escalatedTo).toEqual([
      '江苏省卫生健康委员会',
      '连云港市卫生健康委员会',
    ]);
  });
});

describe('which send is due on a day', () => {
  const stages = [-30, -14, -7, -3, -1, 0, 1, 7];
  it('the send scheduled for the day itself', () => {
    expect(sendDueOn('2022-02-25', '2022-02-28', stages, prcCalendar, 6)?.stage).toBe('T-3+T-1');
  });

  it('after a missed tick, the missed send on the next day', () => {
    expect(sendDueOn('2022-02-22', '2022-02-28', stages, prcCalendar, 6)?.stage).toBe('T-7');
  });

  it('a missed send older than the catch-up window is not sent', () => {
    expect(sendDueOn('2022-02-11', '2022-02-28', stages, prcCalendar, 6)).toBeUndefined();
  });

  it('before the first stage there is nothing to send', () => {
    expect(sendDueOn('2022-01-28', '2022-02-28', stages, prcCalendar, 6)).toBeUndefined();
  });

  it('says how urgent it is in Chinese', () => {
    expect([urgencyZh(7), urgencyZh(1), urgencyZh(0), urgencyZh(-3)]).toEqual([
      '还有 7 天截止',
      '明天截止',
      '今天截止',
      '已逾期 3 天',
    ]);
  });
});
