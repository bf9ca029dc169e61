import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ICAL from 'ical.js';
import { type AddressObject, simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { deadlineInvite } from '../../functions/adapters/calendar-invite.ts';
import { createReminderRenderer } from '../../functions/adapters/email-renderer.ts';
import { composeMime } from '../../functions/adapters/mime.ts';
import type { ReminderView } from '../../functions/domain/email.ts';
import { guanyunOverdueAgreementReminder, songxiAgreementReminder } from '../fixtures/reminder-view.ts';

const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/email/', import.meta.url));
const PLACEHOLDER = '【上传链接待开通】上传功能上线后，本提醒将附带贵单位专用上传链接。';
const envelope = {
  from: '帮扶系统 <noreply@bangfu.example.org>',
  to: ['fj-provincial-hospital@example.org', 'fj-songxi-county-hospital@example.org'],
  cc: ['fj-nanping-health-commission@example.org'],
};

const renderer = createReminderRenderer();

/** Renders a view, composes the raw message and parses it back, as a mail client would. */
async function delivered(view: ReminderView) {
  const email = renderer.render(view, envelope);
  const raw = await composeMime(email, {
    messageId: '<fixture@bangfu.example.org>',
    date: new Date('2022-02-25T01:00:00Z'),
  });
  const parsed = await simpleParser(raw);
  return { email, parsed, html: parsed.html || '', text: parsed.text ?? '' };
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return objects.flatMap((o) => o.value.map((a) => a.address ?? ''));
}

function parseInvite(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const event = calendar.getFirstSubcomponent('vevent');
  if (!event) throw new Error('no VEVENT in the invite');
  return { calendar, event };
}

/** The targets of the HTML's links, entities decoded as a browser would. */
function hrefs(html: string): string[] {
  const entities: Record<string, string> = {
    amp: '&',
    lt: '<',
    gt: '>',
    quot: '"',
    '#x27': "'",
    '#x3D': '=',
    '#x60': '`',
  };
  return [...html.matchAll(/href="([^"]*)"/g)].map((m) =>
    (m[1] ?? '').replace(/&(amp|lt|gt|quot|#x27|#x3D|#x60);/g, (_, name: string) => entities[name] ?? ''),
  );
}

describe('reminder before the due date (Songxi agreement 2022, T-3+T-1 on Friday 25 Feb)', () => {
  it('subject names the obligation, its year, the urgency and the recipient hospital', async () => {
    // Act
    const { parsed } = await delivered(songxiAgreementReminder());

    // Assess
    expect(parsed.subject).toBe('【对口帮扶提醒】对口帮扶协议书（2022年）还有 3 天截止｜松溪县医院');
  });

  it('is addressed to the envelope recipients and copies', async () => {
    const { parsed } = await delivered(songxiAgreementReminder());

    expect(addresses(parsed.from)).toEqual(['noreply@bangfu.example.org']);
    expect(addresses(parsed.to)).toEqual(envelope.to);
    expect(addresses(parsed.cc)).toEqual(envelope.cc);
  });

  it('states the Beijing due date with its weekday, the urgency and the pairing with the lead marked', async () => {
    const { text, html } = await delivered(songxiAgreementReminder());

    for (const body of [text, html]) {
      expect(body).toContain('北京时间 2022年2月28日（星期一）24:00 前');
      expect(body).toContain('还有 3 天截止');
      expect(body).toContain('松溪县医院');
      expect(body).toContain('福建省立医院（牵头）');
      expect(body).toContain('国家级任务、省级任务');
      expect(body).toContain('支援医院、受援医院和县级人民政府签字盖章的三方对口帮扶协议书原件扫描件');
      expect(body).toContain('福建省“十四五”时期三级医院对口帮扶县级医院工作方案 三、（一）');
    }
    expect(text).toMatch(/^各位联络员：/);
    expect(text).toContain('本提醒发送至：福建省立医院、松溪县医院、松溪县人民政府。');
    expect(text).toContain('本邮件由帮扶系统自动发送，请勿直接回复。');
  });

  it('shows the marked placeholder where an institution has no upload link yet', async () => {
    const { text, html } = await delivered(songxiAgreementReminder());

    expect(text).toContain(`福建省立医院：${PLACEHOLDER}`);
    expect(html).toContain(PLACEHOLDER);
    expect(html).not.toContain('上传材料</a>');
  });

  it('shows each institution its own upload link once it has one, and the pre-filled agreement form', async () => {
    // Prepare
    const url = 'https://bangfu.example.org/upload/5e1d?sig=c0ffee&exp=1646000000';
    const form = 'https://bangfu.example.org/forms/agreement/fj-2021.fj-songxi-county-hospital/2022';
    const view = songxiAgreementReminder({
      uploadLinks: [{ institution: '福建省立医院', url }, { institution: '松溪县医院' }],
      agreementFormUrl: form,
    });

    // Act
    const { text, html } = await delivered(view);

    // Assess
    expect(text).toContain(`福建省立医院：${url}`);
    expect(text).toContain(`松溪县医院：${PLACEHOLDER}`);
    expect(text).toContain(form);
    expect(hrefs(html)).toEqual([url, form]);
  });

  it('leaves out the escalation paragraph before the due date', async () => {
    const { parsed, text } = await delivered(songxiAgreementReminder());

    expect(parsed.subject).not.toContain('逾期督办');
    expect(text).not.toContain('督办');
  });

  it('escapes every value from the data in the HTML, and keeps it verbatim in the plain text', async () => {
    // Prepare
    const hostile = '<script>alert("x")</script>松溪县医院 & 分院';
    const base = songxiAgreementReminder();
    const view = songxiAgreementReminder({
      pairing: { ...base.pairing, recipient: hostile, supporters: [{ name: 'A&B <b>医院</b>', lead: true }] },
      audience: { to: [hostile], cc: [] },
    });

    // Act
    const { parsed, text, html } = await delivered(view);

    // Assess
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>医院');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;松溪县医院 &amp; 分院');
    expect(html).toContain('A&amp;B &lt;b&gt;医院&lt;/b&gt;（牵头）');
    expect(text).toContain(`受援单位：${hostile}`);
    expect(text).not.toContain('&amp;');
    expect(parsed.subject).toContain(hostile);
  });

  it('keeps the subject on one line when a name contains line breaks', async () => {
    const base = songxiAgreementReminder();
    const view = songxiAgreementReminder({
      pairing: { ...base.pairing, recipient: '松溪县医院\r\nBcc: x@example.org' },
    });

    const { email, parsed } = await delivered(view);

    expect(email.subject).toBe(
      '【对口帮扶提醒】对口帮扶协议书（2022年）还有 3 天截止｜松溪县医院 Bcc: x@example.org',
    );
    expect(parsed.bcc).toBeUndefined();
  });

  it('HTML declares Simplified Chinese and UTF-8 and fits a phone screen', async () => {
    const { html } = await delivered(songxiAgreementReminder());

    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('max-width:640px');
  });

  it('says in X-Bangfu headers which obligation, stage and send day the message is for', async () => {
    const { parsed } = await delivered(songxiAgreementReminder());

    expect(parsed.headers.get('x-bangfu-obligation')).toBe(
      'fj-2021.fj-songxi-county-hospital#agreement#2022',
    );
    expect(parsed.headers.get('x-bangfu-stage')).toBe('T-3+T-1');
    expect(parsed.headers.get('x-bangfu-send-on')).toBe('2022-02-25');
  });

  it('attaches the deadline as a text/calendar PUBLISH file named after the obligation', async () => {
    const { parsed } = await delivered(songxiAgreementReminder());

    expect(parsed.attachments).toHaveLength(1);
    const [attachment] = parsed.attachments;
    expect(attachment?.filename).toBe('deadline-agreement-2022.ics');
    expect(attachment?.contentType).toBe('text/calendar');
    expect(attachment?.contentDisposition).toBe('attachment');
    const contentType = attachment?.headers.get('content-type') as { params: Record<string, string> };
    expect(contentType.params).toMatchObject({ charset: 'utf-8', method: 'PUBLISH' });
    const { event } = parseInvite(attachment?.content.toString('utf8') ?? '');
    expect(event.getFirstPropertyValue('uid')).toBe(
      'fj-2021.fj-songxi-county-hospital#agreement#2022@bangfu',
    );
  });

  it('renders the same reminder to the same message every time', () => {
    const view = songxiAgreementReminder();

    expect(renderer.render(view, envelope)).toEqual(renderer.render(view, envelope));
  });
});

describe('reminder after the due date (Guanyun agreement 2022, last stage T+7 on Monday 7 Mar)', () => {
  it('subject is marked 【逾期督办】 with the days overdue', async () => {
    const { parsed } = await delivered(guanyunOverdueAgreementReminder());

    expect(parsed.subject).toBe('【逾期督办】帮扶合作协议书（2022年）已逾期 7 天｜灌云县人民医院');
  });

  it('asks the escalated commissions to see that the lead supporter submits', async () => {
    const { text, html } = await delivered(guanyunOverdueAgreementReminder());

    const commissions = '无锡市卫生健康委员会、连云港市卫生健康委员会、江苏省卫生健康委员会';
    expect(text).toContain(`【督办】\n请${commissions}督促落实，无锡市第二人民医院尽快按要求提交材料。`);
    expect(html).toContain(`请${commissions}督促落实`);
  });

  it('marks the lead among several supporters and names who was copied', async () => {
    const { text } = await delivered(guanyunOverdueAgreementReminder());

    expect(text).toContain('支援单位：无锡市第二人民医院（牵头）、苏州大学附属第一医院\n');
    expect(text).toContain('；抄送：苏州大学附属第一医院。');
  });

  it('leaves out the task level where the plan has none', async () => {
    const { text, html } = await delivered(guanyunOverdueAgreementReminder());

    expect(text).not.toContain('任务级别');
    expect(html).not.toContain('任务级别');
  });
});

describe('deadline calendar invite', () => {
  const dtstamp = new Date('2022-02-24T16:00:00Z');

  it('is an all-day event on the due date, ending the next day, titled with the obligation and recipient', () => {
    const { calendar, event } = parseInvite(deadlineInvite(songxiAgreementReminder(), dtstamp));

    expect(calendar.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(calendar.getFirstPropertyValue('prodid')).toBe('bangfu');
    expect(event.getFirstPropertyValue('summary')).toBe('截止：对口帮扶协议书（2022年）— 松溪县医院');
    const start = event.getFirstPropertyValue('dtstart') as InstanceType<typeof ICAL.Time>;
    const end = event.getFirstPropertyValue('dtend') as InstanceType<typeof ICAL.Time>;
    expect(start.isDate).toBe(true);
    expect(start.toString()).toBe('2022-02-28');
    expect(end.isDate).toBe(true);
    expect(end.toString()).toBe('2022-03-01');
    expect(event.getFirstProperty('dtstart')?.type).toBe('date');
  });

  it('uses the obligation as UID, so every stage updates one calendar entry', () => {
    const early = parseInvite(deadlineInvite(songxiAgreementReminder(), dtstamp)).event;
    const later = parseInvite(
      deadlineInvite(songxiAgreementReminder({ sendOn: '2022-02-28' }), new Date('2022-02-27T16:00:00Z')),
    ).event;

    expect(early.getFirstPropertyValue('uid')).toBe(
      'fj-2021.fj-songxi-county-hospital#agreement#2022@bangfu',
    );
    expect(later.getFirstPropertyValue('uid')).toBe(early.getFirstPropertyValue('uid'));
    expect(String(early.getFirstPropertyValue('dtstamp'))).toBe('2022-02-24T16:00:00Z');
  });

  it('reminds one day before with a display alarm', () => {
    const { event } = parseInvite(deadlineInvite(songxiAgreementReminder(), dtstamp));

    const alarm = event.getFirstSubcomponent('valarm');
    expect(alarm?.getFirstPropertyValue('action')).toBe('DISPLAY');
    expect(String(alarm?.getFirstPropertyValue('trigger'))).toMatch(/^-P(1D|T24H)$/);
    expect(alarm?.getFirstPropertyValue('description')).toBe(
      '明天截止：对口帮扶协议书（2022年）— 松溪县医院',
    );
  });

  it('describes the deliverable and how to upload it', () => {
    const { event } = parseInvite(deadlineInvite(guanyunOverdueAgreementReminder(), dtstamp));

    const description = String(event.getFirstPropertyValue('description'));
    expect(description).toContain('需提交材料：结对双方（及受援县人民政府）签字盖章的帮扶合作协议书扫描件');
    expect(description).toContain(
      '无锡市第二人民医院：https://bangfu.example.org/upload/7f3c9a1e?sig=ab12&exp=1646668800',
    );
    expect(
      parseInvite(deadlineInvite(songxiAgreementReminder(), dtstamp)).event.getFirstPropertyValue(
        'description',
      ),
    ).toContain(`福建省立医院：${PLACEHOLDER}`);
  });

  it('gives the same bytes for the same inputs, with lines folded at 75 octets', () => {
    const ics = deadlineInvite(guanyunOverdueAgreementReminder(), dtstamp);

    expect(deadlineInvite(guanyunOverdueAgreementReminder(), dtstamp)).toBe(ics);
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
  });
});

describe('reminder renderer set-up and guards', () => {
  it('names the template file that is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bangfu-templates-'));
    for (const name of ['reminder.subject.hbs', 'reminder.text.hbs']) {
      copyFileSync(join(TEMPLATES_DIR, name), join(dir, name));
    }

    try {
      expect(() => createReminderRenderer(dir)).toThrow(/reminder\.html\.hbs/);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('refuses an upload link that is not http(s)', () => {
    const view = songxiAgreementReminder({
      uploadLinks: [{ institution: '福建省立医院', url: 'javascript:alert(1)' }],
    });

    expect(() => renderer.render(view, envelope)).toThrow(/not http\(s\)/);
  });

  it('refuses a tracing header value that is not ASCII', () => {
    const base = songxiAgreementReminder();
    const view = songxiAgreementReminder({ stage: { ...base.stage, name: '提前三天' } });

    expect(() => renderer.render(view, envelope)).toThrow(/X-Bangfu-Stage/);
  });
});
