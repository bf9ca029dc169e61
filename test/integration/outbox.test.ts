import { execFile } from 'node:child_process';
import { appendFile, readFile, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../functions/adapters/aws-clients.ts';
import { type EmbeddedStack, startEmbeddedStack } from '../../functions/local/embedded-stack.ts';
import { type OutboxMessage, outboxFilePath, readOutbox } from '../../functions/local/outbox.ts';
import { startTestStack } from './support/test-stack.ts';

const BIN = new URL('../../bin/bangfu.js', import.meta.url).pathname;
const run = promisify(execFile);

const OBLIGATION = 'fj-2021#松溪县医院#agreement#2022';
const SUBJECT = '【帮扶】请于2月28日前提交对口帮扶协议（松溪县医院）';

async function rawMime(stage: string): Promise<Uint8Array> {
  const message = new MailComposer({
    from: '帮扶办 <noreply@bangfu.example.org>',
    to: ['songxi@example.org', 'songxi-office@example.org'],
    cc: 'fuzhou@example.org',
    subject: SUBJECT,
    text: '请于2022年2月28日前上传盖章的协议扫描件。',
    html: '<p>请于2022年2月28日前上传盖章的协议扫描件。</p>',
    date: new Date('2022-02-21T01:00:00Z'),
    headers: { 'X-Bangfu-Obligation': OBLIGATION, 'X-Bangfu-Stage': stage, 'X-Bangfu-Send-On': '2022-02-21' },
    attachments: [
      {
        filename: '协议模板.txt',
        content: '甲方：福州市第一医院\n乙方：松溪县医院\n',
        contentType: 'text/plain',
      },
    ],
  });
  return new Uint8Array(await message.compile().build());
}

async function send(stack: EmbeddedStack, stage: string): Promise<string> {
  const clients = createAwsClients(stack.config);
  try {
    const response = await clients.ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'noreply@bangfu.example.org',
        Destination: {
          ToAddresses: ['songxi@example.org', 'songxi-office@example.org'],
          CcAddresses: ['fuzhou@example.org'],
        },
        Content: { Raw: { Data: await rawMime(stage) } },
      }),
    );
    if (!response.MessageId) throw new Error('no MessageId');
    return response.MessageId;
  } finally {
    clients.destroy();
  }
}

async function bangfuOutboxJson(home: string): Promise<unknown> {
  const { stdout } = await run(process.execPath, [BIN, 'outbox', '--json'], {
    env: { ...process.env, BANGFU_HOME: home },
  });
  return JSON.parse(stdout);
}

describe('the local SES outbox', () => {
  let home: string;
  let stack: EmbeddedStack;
  let firstId: string;

  beforeAll(async () => {
    const test = await startTestStack({ persistent: true });
    home = test.home;
    stack = test.stack;
    test.clients.destroy();
  });
  afterAll(async () => {
    await stack?.stop();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('lists a raw message sent through the SES client with its addresses, subject, headers and attachment', async () => {
    firstId = await send(stack, 'T-7');
    const messages = await readOutbox(home);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toEqual<OutboxMessage>({
      messageId: firstId,
      receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      sentAt: '2022-02-21T01:00:00.000Z',
      from: expect.stringContaining('noreply@bangfu.example.org'),
      to: ['songxi@example.org', 'songxi-office@example.org'],
      cc: ['fuzhou@example.org'],
      subject: SUBJECT,
      text: expect.stringContaining('盖章的协议扫描件'),
      html: expect.stringContaining('<p>'),
      obligation: OBLIGATION,
      stage: 'T-7',
      sendOn: '2022-02-21',
      attachments: [{ filename: '协议模板.txt', contentType: 'text/plain', size: expect.any(Number) }],
    });
    expect(messages[0]?.attachments[0]?.size).toBe(
      Buffer.byteLength('甲方：福州市第一医院\n乙方：松溪县医院\n'),
    );
  });

  it("still answers the stand-in's own store and web UI through the recorder", async () => {
    const store = (await (await fetch(`${stack.endpoints.ses}/store`)).json()) as {
      emails: { messageId: string; subject: string }[];
    };
    expect(store.emails).toContainEqual(expect.objectContaining({ messageId: firstId, subject: SUBJECT }));
    const page = await fetch(`${stack.endpoints.ses}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('keeps the outbox across a restart on the same home and appends later sends', async () => {
    await stack.stop();
    stack = await startEmbeddedStack({ home, persistent: true });
    expect((await readOutbox(home)).map((m) => m.messageId)).toEqual([firstId]);
    const secondId = await send(stack, 'T-1');
    const messages = await readOutbox(home);
    expect(messages.map((m) => [m.messageId, m.stage])).toEqual([
      [firstId, 'T-7'],
      [secondId, 'T-1'],
    ]);
  });

  it('bangfu outbox --json prints the same messages, without a running stack', async () => {
    expect(await bangfuOutboxJson(home)).toEqual(JSON.parse(JSON.stringify(await readOutbox(home))));
  });

  it('skips a last line cut short by a crash, and the next start cuts it off before appending', async () => {
    const before = await readOutbox(home);
    const file = outboxFilePath(home);
    await appendFile(file, '{"messageId":"0000-half-written","receivedAt":"2022-');
    expect(await readOutbox(home)).toEqual(before);

    await stack.stop();
    stack = await startEmbeddedStack({ home, persistent: true });
    const thirdId = await send(stack, 'T+3');
    expect((await readOutbox(home)).map((m) => m.messageId)).toEqual([
      ...before.map((m) => m.messageId),
      thirdId,
    ]);
    expect(await readFile(file, 'utf8')).not.toContain('half-written');
  });
});
