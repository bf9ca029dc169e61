/**
 * The deadline of a reminder as an iCalendar (RFC 5545) event, attached to every reminder so a
 * coordinator can put the due date in a calendar with one click.
 */
import { createEvent, type DateArray, type EventAttributes } from 'ics';
import type { ReminderView } from '../domain/email.ts';
import { addDays } from '../domain/plain-date.ts';

export const CALENDAR_CONTENT_TYPE = 'text/calendar; charset=utf-8; method=PUBLISH';

/** Shown where an institution has no upload link; the email templates say the same. */
const UPLOAD_LINK_PLACEHOLDER = '【上传链接待开通】上传功能上线后，本提醒将附带贵单位专用上传链接。';

export interface DeadlineInviteOptions {
  /** `X-WR-CALNAME`; left out by default, as a single emailed event needs no calendar name. */
  calName?: string;
}

/**
 * An all-day event on the due date. The UID is the obligation's, so every reminder for the same
 * obligation updates one calendar entry instead of adding another. `dtstamp` is a parameter so the
 * same inputs always give the same bytes.
 */
export function deadlineInvite(
  view: ReminderView,
  dtstamp: Date,
  options: DeadlineInviteOptions = {},
): string {
  const { obligation, pairing } = view;
  const dueDay = dateArray(obligation.dueDate);
  // `timestamp` (DTSTAMP) is read and validated by `ics` but missing from its type declarations.
  const event: EventAttributes & { timestamp: number } = {
    productId: 'bangfu',
    method: 'PUBLISH',
    ...(options.calName ? { calName: options.calName } : {}),
    uid: `${obligation.id}@bangfu`,
    timestamp: dtstamp.getTime(),
    // Date-only start and end (end exclusive): a Beijing calendar day, whatever the reader's zone.
    start: dueDay,
    end: dateArray(addDays(obligation.dueDate, 1)),
    title: `截止：${obligation.title}（${obligation.year}年）— ${pairing.recipient}`,
    description: inviteDescription(view),
    // A deadline does not make anyone busy.
    busyStatus: 'FREE',
    transp: 'TRANSPARENT',
    alarms: [
      {
        action: 'display',
        // `ics` escapes only line breaks in an alarm's description, so the rest is escaped here.
        description: escapeText(
          `明天截止：${obligation.title}（${obligation.year}年）— ${pairing.recipient}`,
        ),
        // `{ days: 1 }` would come out as `-P1DT`, which is not a valid duration.
        trigger: { hours: 24, before: true },
      },
    ],
  };
  const { error, value } = createEvent(event);
  if (error || !value) {
    const reason = error?.message ?? 'no output';
    throw new Error(`could not build the calendar invite for ${obligation.id}: ${reason}`, { cause: error });
  }
  return foldToOctets(value);
}

function inviteDescription(view: ReminderView): string {
  const { obligation } = view;
  const uploads = view.uploadLinks.map(
    (link) => `${link.institution}：${link.url ?? UPLOAD_LINK_PLACEHOLDER}`,
  );
  return [
    `截止时间：北京时间 ${obligation.dueDateZh}（${obligation.dueWeekdayZh}）24:00 前`,
    `需提交材料：${obligation.deliverable}`,
    `提交单位：${view.submitters.join('、')}`,
    '上传方式：',
    ...(uploads.length > 0 ? uploads : [UPLOAD_LINK_PLACEHOLDER]),
    ...(view.agreementFormUrl ? [`预填协议书：${view.agreementFormUrl}`] : []),
    `依据：${obligation.citation}`,
  ].join('\n');
}

function dateArray(date: string): DateArray {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return [year, month, day];
}

/** RFC 5545 §3.3.11 TEXT escaping. */
function escapeText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,');
}

const MAX_LINE_OCTETS = 75;

/**
 * RFC 5545 §3.1: content lines are folded at 75 octets. `ics` folds at 75 characters, which is up
 * to 225 octets for Chinese text, so its output is unfolded and folded again by UTF-8 length,
 * never inside a character.
 */
function foldToOctets(ics: string): string {
  const lines = ics.replace(/\r\n[ \t]/g, '').split('\r\n');
  return lines.map(foldLine).join('\r\n');
}

function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    if (octets + size > MAX_LINE_OCTETS) {
      parts.push(current);
      // Continuation lines start with a space, which counts toward their 75 octets.
      current = ' ';
      octets = 1;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n');
}
