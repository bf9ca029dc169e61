import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOutbox } from '../../functions/local/outbox.ts';
import {
  type DeliveryProblemPorts,
  deliveryProblemOf,
  recordDeliveryProblem,
} from '../../functions/use-cases/delivery-problems.ts';
import { type ReplayApp, startReplayApp } from './support/replay-app.ts';

const fixture = async (name: string) =>
  JSON.parse(await readFile(new URL(`../fixtures/events/${name}`, import.meta.url), 'utf8')) as unknown;

let replay: ReplayApp;
let ports: DeliveryProblemPorts;

beforeAll(async () => {
  replay = await startReplayApp('ses-events');
  const { wiring } = replay.app;
  ports = {
    store: wiring.store,
    mailer: wiring.mailer,
    staffMail: wiring.staffMail,
    sender: wiring.config.sender,
    clock: wiring.clock,
    runId: randomUUID(),
    claimLeaseMs: 60_000,
  };
}, 120_000);
afterAll(() => replay?.stop());

describe('SES bounces and complaints', () => {
  it('a permanent bounce marks the address and tells the provincial commission, once', async () => {
    const problem = deliveryProblemOf(await fixture('ses-bounce.json'));
    expect(problem).toMatchObject({
      kind: 'bounce',
      addresses: [{ email: 'fj-huaan-county-government@example.org' }],
    });
    const first = await recordDeliveryProblem(ports, problem as never);
    expect(first).toMatchObject({
      marked: ['fj-huaan-county-government@example.org'],
      notices: 1,
      failed: [],
    });
    expect(await replay.app.wiring.store.addressStatuses(['fj-huaan-county-government@example.org'])).toEqual(
      [expect.objectContaining({ source: 'bounce', reason: expect.stringContaining('550 5.1.1') })],
    );
    const notice = (await readOutbox(replay.home)).find((m) => m.stage === 'bounce');
    expect(notice?.to.sort()).toEqual([
      'fj-provincial-commission.lead@example.org',
      'fj-provincial-commission@example.org',
    ]);
    expect(notice?.subject).toContain('华安县人民政府');
    expect(notice?.text).toContain('fj-huaan-county-government@example.org');

    const again = await recordDeliveryProblem(ports, problem as never);
    expect(again.notices).toBe(0);
  });

  it('the tick skips the bounced address from then on, and still reminds the others', async () => {
    const tick = await replay.tickAt('2022-02-21');
    expect(tick.suppressed).toEqual([
      expect.objectContaining({
        obligationId: 'fj-2021.fj-huaan-county-hospital#agreement#2022',
        email: 'fj-huaan-county-government@example.org',
      }),
    ]);
    expect(
      tick.messages.find((m) => m.obligationId === 'fj-2021.fj-huaan-county-hospital#agreement#2022')?.to,
    ).toEqual(['fj-xmu-first-affiliated-hospital@example.org', 'fj-huaan-county-hospital@example.org']);
  });

  it('a complaint tells the commission of the right province', async () => {
    const problem = deliveryProblemOf(await fixture('ses-complaint.json'));
    const result = await recordDeliveryProblem(ports, problem as never);
    expect(result.notices).toBe(1);
    const notice = (await readOutbox(replay.home)).find((m) => m.obligation === 'js-2022#complaint');
    expect(notice?.to).toContain('js-provincial-commission@example.org');
    expect(notice?.text).toContain('垃圾邮件');
  });

  it('a transient bounce needs no action', async () => {
    const event = (await fixture('ses-bounce.json')) as { detail: { bounce: { bounceType: string } } };
    event.detail.bounce.bounceType = 'Transient';
    expect(deliveryProblemOf(event)).toBeUndefined();
  });
});
