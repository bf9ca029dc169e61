import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  deliveryProblemLogEntry,
  maskAddress,
  redactPath,
  redactText,
  tickFailure,
  tickLogEntry,
} from '../../functions/adapters/log-entries.ts';
import { downloadTickets, uploadTickets } from '../../functions/adapters/upload-links.ts';
import type { PublishResult } from '../../functions/use-cases/publish-documents.ts';
import type { TickResult } from '../../functions/use-cases/send-due-reminders.ts';

const sha8 = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 8);
/** An address as a person would recognise it: word characters right before the @. */
const FULL_ADDRESS = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/;
const EXPIRES = new Date('2022-03-15T00:00:00Z');

describe('maskAddress', () => {
  it.each([
    ['zhang.san@fjmu.edu.cn', 'z***@fjmu.edu.cn'],
    ['Zhang.San@FJMU.edu.cn', 'z***@fjmu.edu.cn'],
    ['a@xmu.edu.cn', 'a***@xmu.edu.cn'],
    ['@xmu.edu.cn', '***@xmu.edu.cn'],
    ['not-an-address', '***'],
  ])('masks %s as %s plus the hash of the whole address', (email, masked) => {
    expect(maskAddress(email)).toBe(`${masked}#${sha8(email.trim().toLowerCase())}`);
  });

  it('tells two addresses of one domain with the same initial apart', () => {
    expect(maskAddress('zhang.san@fjmu.edu.cn')).not.toBe(maskAddress('zhao.liu@fjmu.edu.cn'));
    expect(maskAddress('zhang.san@fjmu.edu.cn')).not.toMatch(FULL_ADDRESS);
  });
});

describe('redactPath', () => {
  it('replaces the ticket of an upload or a download link by its hash, and keeps the rest', async () => {
    const upload = await uploadTickets('unit-secret').issue({
      obligationId: 'fj-2021.fj-huaan-county-hospital#agreement#2022',
      institutionId: 'fj-huaan-county-hospital',
      generation: 1,
      expiresAt: EXPIRES,
    });
    const download = await downloadTickets('unit-secret').issue({ documentId: 'doc-1', expiresAt: EXPIRES });
    expect(redactPath(`/u/${upload}`)).toBe(`/u/…#${sha8(upload)}`);
    expect(redactPath(`/u/${upload}/slots/5f0c`)).toBe(`/u/…#${sha8(upload)}/slots/5f0c`);
    expect(redactPath(`/d/${download}`)).toBe(`/d/…#${sha8(download)}`);
  });

  it('redacts whatever follows /u/ or /d/, however short or odd', () => {
    expect(redactPath('/u/abc.de')).toBe(`/u/…#${sha8('abc.de')}`);
    expect(redactPath('/d/x')).toBe(`/d/…#${sha8('x')}`);
  });

  it('leaves paths without a ticket as they are', () => {
    expect(redactPath('/staff/documents')).toBe('/staff/documents');
    expect(redactPath('/favicon.ico')).toBe('/favicon.ico');
  });
});

describe('redactText', () => {
  it('leaves no ticket, address or phone number in an error text', async () => {
    const ticket = await downloadTickets('unit-secret').issue({ documentId: 'doc-1', expiresAt: EXPIRES });
    const text = [
      `Error: link http://127.0.0.1:8080/d/${ticket} could not be served`,
      `token ${ticket.split('.').slice(0, 2).join('.')} was cut short`,
      'The following identities failed the check: zhang.san@fjmu.edu.cn, li.si@xmu.edu.cn',
      'call 139 1234 5678 or +86 13912345678 or 0591-87654321',
      '    at serve (file:///var/task/index.mjs:12:34)',
    ].join('\n');
    const redacted = redactText(text);
    for (const part of ticket.split('.')) expect(redacted).not.toContain(part);
    expect(redacted).not.toMatch(FULL_ADDRESS);
    expect(redacted).toContain(maskAddress('li.si@xmu.edu.cn'));
    for (const phone of ['139 1234 5678', '13912345678', '0591-87654321'])
      expect(redacted).not.toContain(phone);
    expect(redacted.match(/\[phone\]/g)).toHaveLength(3);
    expect(redacted).toContain('(file:///var/task/index.mjs:12:34)');
    expect(redacted).toContain('could not be served');
  });
});

const tick = (): TickResult & { published: PublishResult } => ({
  day: '2022-02-21',
  candidates: 64,
  due: 63,
  messages: [
    {
      obligationId: 'fj-2021.a#agreement#2022',
      stage: 'T-7',
      messageId: 'm-1',
      to: ['zhang.san@fjmu.edu.cn'],
      cc: ['li.si@fjmu.edu.cn'],
    },
  ],
  alreadySent: 2,
  rejected: [
    {
      obligationId: 'fj-2021.b#agreement#2022',
      stage: 'T-7',
      email: 'wang.wu@xmu.edu.cn',
      reason: 'Email address is not verified: wang.wu@xmu.edu.cn',
    },
  ],
  suppressed: [
    { obligationId: 'fj-2021.c#agreement#2022', email: 'zhao.liu@fjmu.edu.cn', reason: 'bounced' },
  ],
  failed: [
    { obligationId: 'fj-2021.d#agreement#2022', stage: 'T-7', error: 'timeout sending to chen.qi@a.cn' },
  ],
  unconfirmed: [{ obligationId: 'fj-2021.e#agreement#2022', stage: 'T-7', email: 'sun.ba@fjmu.edu.cn' }],
  noContacts: [],
  published: {
    documents: [],
    messages: [{ kind: 'digest', trace: '2022-02-21 fj-quanzhou', to: ['qz@example.org'], cc: [] }],
    failed: ['digest to zhou.jiu@example.org: throttled'],
    unconfirmed: [{ kind: 'digest', trace: '2022-02-21 fj-provincial-commission', email: 'lead@fj.gov.cn' }],
    suppressed: [],
  },
});
const ADDRESSES = [
  'zhang.san@fjmu.edu.cn',
  'li.si@fjmu.edu.cn',
  'wang.wu@xmu.edu.cn',
  'zhao.liu@fjmu.edu.cn',
  'chen.qi@a.cn',
  'sun.ba@fjmu.edu.cn',
  'qz@example.org',
  'zhou.jiu@example.org',
  'lead@fj.gov.cn',
];

describe("the tick's log entry", () => {
  it('counts, and names only masked addresses for what a person must check', () => {
    const entry = tickLogEntry(tick());
    expect(entry).toMatchObject({
      day: '2022-02-21',
      messages: 1,
      rejected: 1,
      suppressed: 1,
      failed: 2,
      staffMessages: 1,
      unconfirmed: 2,
    });
    expect(entry.unconfirmedAddresses).toEqual([
      { obligationId: 'fj-2021.e#agreement#2022', stage: 'T-7', address: maskAddress('sun.ba@fjmu.edu.cn') },
      {
        staffMail: 'digest',
        trace: '2022-02-21 fj-provincial-commission',
        address: maskAddress('lead@fj.gov.cn'),
      },
    ]);
    expect(entry.rejectedAddresses).toEqual([
      expect.objectContaining({ address: maskAddress('wang.wu@xmu.edu.cn') }),
    ]);
    const logged = JSON.stringify(entry);
    expect(logged).not.toMatch(FULL_ADDRESS);
    for (const address of ADDRESSES) expect(logged).not.toContain(address);
  });

  it('says why the invocation failed without an address', () => {
    const failure = tickFailure(tick());
    expect(failure).toMatch(/^tick 2022-02-21: 2 message\(s\) failed: timeout sending to c\*\*\*@a\.cn#/);
    expect(failure).not.toMatch(FULL_ADDRESS);
  });
});

describe("a bounce's log entry", () => {
  it('masks the marked address, the commission addresses left unconfirmed and the unreachable notices', () => {
    const entry = deliveryProblemLogEntry(
      {
        kind: 'bounce',
        messageId: '0102017f-original-message',
        at: '2022-02-21T01:00:05.000Z',
        addresses: [{ email: 'wang.wu@xmu.edu.cn', detail: 'smtp; 550 5.1.1 user unknown' }],
      },
      {
        marked: ['wang.wu@xmu.edu.cn'],
        notices: 1,
        held: [],
        failed: ['could not reach lead@fj.gov.cn'],
        unconfirmed: [{ programmeId: 'fj-2021', about: 'wang.wu@xmu.edu.cn', email: 'office@fj.gov.cn' }],
        noRecipients: [
          { programmeId: 'js-2022', commission: 'js-provincial-commission', about: 'wang.wu@xmu.edu.cn' },
        ],
      },
    );
    expect(entry).toMatchObject({
      message: 'ses bounce',
      sesMessageId: '0102017f-original-message',
      marked: 1,
      markedAddresses: [maskAddress('wang.wu@xmu.edu.cn')],
      notices: 1,
      unconfirmed: [
        {
          programmeId: 'fj-2021',
          about: maskAddress('wang.wu@xmu.edu.cn'),
          address: maskAddress('office@fj.gov.cn'),
        },
      ],
      noRecipients: [
        {
          programmeId: 'js-2022',
          commission: 'js-provincial-commission',
          about: maskAddress('wang.wu@xmu.edu.cn'),
        },
      ],
    });
    const logged = JSON.stringify(entry);
    expect(logged).not.toMatch(FULL_ADDRESS);
    for (const address of ['wang.wu@xmu.edu.cn', 'lead@fj.gov.cn', 'office@fj.gov.cn'])
      expect(logged).not.toContain(address);
  });
});
