/**
 * Renders a reminder from the Handlebars templates in `templates/email/` into a message a mailer can
 * send: subject, plain text, HTML, the deadline as a calendar invite, and tracing headers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import type { OutboundEmail, ReminderView } from '../domain/email.ts';
import { startOfBeijingDay } from '../domain/plain-date.ts';
import type {
  ForwardingReminderRenderer,
  NoticeRenderer,
  ReminderRenderer,
  StaffMailRenderer,
} from '../use-cases/ports.ts';
import { CALENDAR_CONTENT_TYPE, deadlineInvite } from './calendar-invite.ts';
import { templatePath } from './templates-dir.ts';

const DEFAULT_TEMPLATES_DIR = templatePath('email');

/**
 * Loads and compiles the reminder templates once; `render` is then pure: the calendar invite's
 * DTSTAMP is the start of the Beijing send day, so the same reminder always renders to the same message
 * and each later stage's invite is newer than the last.
 * Steps of `render`: check the view's links and header values, render the three templates, build the
 * invite, add the `X-Bangfu-*` headers.
 */
export function createReminderRenderer(templatesDir: string = DEFAULT_TEMPLATES_DIR): ReminderRenderer {
  const handlebars = Handlebars.create();
  handlebars.registerHelper('join', joinHelper);

  // Plain text and the subject must not contain HTML entities; only the HTML body escapes.
  const subject = handlebars.compile(readTemplate(templatesDir, 'reminder.subject.hbs'), {
    noEscape: true,
    strict: true,
  });
  const text = handlebars.compile(readTemplate(templatesDir, 'reminder.text.hbs'), {
    noEscape: true,
    strict: true,
  });
  const html = handlebars.compile(readTemplate(templatesDir, 'reminder.html.hbs'), { strict: true });

  return {
    render(view, envelope) {
      assertHttpLinks(view);
      const { obligation } = view;
      return {
        from: envelope.from,
        to: [...envelope.to],
        cc: [...envelope.cc],
        subject: singleLine(subject(view)),
        text: text(view),
        html: html(view),
        attachments: [
          {
            filename: `deadline-${obligation.kind}-${obligation.year}.ics`,
            contentType: CALENDAR_CONTENT_TYPE,
            content: deadlineInvite(view, startOfBeijingDay(view.sendOn)),
          },
        ],
        headers: {
          'X-Bangfu-Obligation': headerValue('X-Bangfu-Obligation', obligation.id),
          'X-Bangfu-Stage': headerValue('X-Bangfu-Stage', view.stage.name),
          'X-Bangfu-Send-On': headerValue('X-Bangfu-Send-On', view.sendOn),
        },
      };
    },
  };
}

function readTemplate(dir: string, name: string): string {
  const path = join(dir, name);
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`email template ${name} could not be read from ${path}`, { cause: error });
  }
}

/** `{{join list}}` joins with the Chinese enumeration comma; `{{join list "，"}}` with another. */
function joinHelper(items: unknown, separator: unknown): string {
  if (!Array.isArray(items)) return '';
  return items.join(typeof separator === 'string' ? separator : '、');
}

/** A subject is one header line: line breaks from data or template layout become one space. */
function singleLine(value: string): string {
  return value.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

function headerValue(name: string, value: string): string {
  if (!PRINTABLE_ASCII.test(value)) {
    throw new RangeError(`${name} must be printable ASCII: ${JSON.stringify(value)}`);
  }
  return value;
}

/** Links go into `href` attributes, where escaping does not stop a `javascript:` URL. */
function assertHttpLinks(view: ReminderView): void {
  const links = [...view.uploadLinks.map((link) => link.url), view.agreementFormUrl];
  for (const link of links) {
    if (link !== undefined && !/^https?:\/\//i.test(link)) {
      throw new RangeError(`reminder ${view.obligation.id} has a link that is not http(s): ${link}`);
    }
  }
}

/**
 * Reminders of a city commission's own deliverable (templates `forwarding-reminder.*.hbs`): the same
 * tracing headers as a pairing's reminder, the forwarding's id in `X-Bangfu-Obligation`.
 */
export function createForwardingReminderRenderer(
  templatesDir: string = DEFAULT_TEMPLATES_DIR,
): ForwardingReminderRenderer {
  const handlebars = Handlebars.create();
  handlebars.registerHelper('join', joinHelper);
  const t = templateSet(handlebars, templatesDir, 'forwarding-reminder');
  return {
    render(view, envelope) {
      if (view.consoleUrl !== undefined && !/^https?:\/\//i.test(view.consoleUrl)) {
        throw new RangeError(
          `reminder ${view.forwarding.id} has a link that is not http(s): ${view.consoleUrl}`,
        );
      }
      return {
        from: envelope.from,
        to: [...envelope.to],
        cc: [...envelope.cc],
        subject: singleLine(t.subject(view)),
        text: t.text(view),
        html: t.html(view),
        attachments: [],
        headers: {
          'X-Bangfu-Obligation': headerValue('X-Bangfu-Obligation', view.forwarding.id),
          'X-Bangfu-Stage': headerValue('X-Bangfu-Stage', view.stage.name),
          'X-Bangfu-Send-On': headerValue('X-Bangfu-Send-On', view.sendOn),
        },
      };
    },
  };
}

/** Receipts and rejection notices for uploads: same machinery, no calendar invite. */
export function createNoticeRenderer(templatesDir: string = DEFAULT_TEMPLATES_DIR): NoticeRenderer {
  const compiled = {
    receipt: templateSet(Handlebars.create(), templatesDir, 'receipt'),
    rejection: templateSet(Handlebars.create(), templatesDir, 'rejection'),
    returned: templateSet(Handlebars.create(), templatesDir, 'returned'),
  };
  return {
    render(template, view, envelope) {
      if (!/^https?:\/\//i.test(view.uploadUrl))
        throw new RangeError(`not an http(s) link: ${view.uploadUrl}`);
      const t = compiled[template];
      return {
        from: envelope.from,
        to: [...envelope.to],
        cc: [...envelope.cc],
        subject: singleLine(t.subject(view)),
        text: t.text(view),
        html: t.html(view),
        attachments: [],
        headers: {
          'X-Bangfu-Obligation': headerValue('X-Bangfu-Obligation', view.obligation.id),
          'X-Bangfu-Stage': headerValue('X-Bangfu-Stage', template),
        },
      };
    },
  };
}

/**
 * Mail for commission staff: generated documents, the weekly digest, a bounced address, and a city
 * commission's forwarding returned by the province.
 */
export function createStaffMailRenderer(templatesDir: string = DEFAULT_TEMPLATES_DIR): StaffMailRenderer {
  const load = (name: string) => templateSet(Handlebars.create(), templatesDir, name);
  const templates = {
    document: load('document'),
    digest: load('digest'),
    bounce: load('bounce'),
    'forwarding-returned': load('forwarding-returned'),
  };
  const render = (
    name: keyof typeof templates,
    view: object,
    envelope: { from: string; to: string[]; cc: string[] },
    trace: string,
  ): OutboundEmail => ({
    from: envelope.from,
    to: [...envelope.to],
    cc: [...envelope.cc],
    subject: singleLine(templates[name].subject(view)),
    text: templates[name].text(view),
    html: templates[name].html(view),
    attachments: [],
    headers: { 'X-Bangfu-Obligation': headerValue('X-Bangfu-Obligation', trace), 'X-Bangfu-Stage': name },
  });
  return {
    document(view, envelope, trace) {
      if (!/^https?:\/\//i.test(view.url)) throw new RangeError(`not an http(s) link: ${view.url}`);
      return render('document', view, envelope, trace);
    },
    digest: (view, envelope, trace) => render('digest', view, envelope, trace),
    bounce: (view, envelope, trace) => render('bounce', view, envelope, trace),
    forwardingReturned(view, envelope, trace) {
      if (view.consoleUrl !== undefined && !/^https?:\/\//i.test(view.consoleUrl)) {
        throw new RangeError(`not an http(s) link: ${view.consoleUrl}`);
      }
      return render('forwarding-returned', view, envelope, trace);
    },
  };
}

/** Subject, text and HTML of one email kind: only the HTML escapes; a subject is one line. */
function templateSet(
  handlebars: typeof Handlebars,
  templatesDir: string,
  name: string,
): Record<'subject' | 'text' | 'html', (view: unknown) => string> {
  const plain = { noEscape: true, strict: true };
  return {
    subject: handlebars.compile(readTemplate(templatesDir, `${name}.subject.hbs`), plain),
    text: handlebars.compile(readTemplate(templatesDir, `${name}.text.hbs`), plain),
    html: handlebars.compile(readTemplate(templatesDir, `${name}.html.hbs`), { strict: true }),
  };
}
