import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prcCalendar } from '../../functions/domain/working-days.ts';
import { deliveryProblemOf } from '../../functions/handlers/events.ts';
import { readOutbox } from '../../functions/local/outbox.ts';
import {
  type DeliveryProblem,
  type DeliveryProblemPorts,
  recordDeliveryProblem,
} from '../../functions/use-cases/delivery-problems.ts';
import { nineOclock, type ReplayApp, startReplayApp } from './support/replay-app.ts';

const fixture = async (name: string) =>
  JSON.parse(await readFile(new URL(`../fixtures/events/${name}`, import.meta.url), 'utf8')) as unknown;

/** The bounce fixture as if SES had bounced `addresses` of message `messageId`. */
const bounceOf = async (messageId: string, addresses: string[]) => {
  const event = (await fixture('ses-bounce.json')) as {
    detail: {
      mail: { messageId: string };
      bounce: { bouncedRecipients: { emailAddress: string; diagnosticCode?: string }[] };
    };
  };
  event.detail.mail.messageId = messageId;
  event.detail.bounce.bouncedRecipients = addresses.map((emailAddress) => ({
    emailAddress,
    diagnosticCode: 'smtp; 550 5.1.1 user unknown',
  }));
  return deliveryProblemOf(event) as DeliveryProblem;
};

let replay: ReplayApp;
let ports: DeliveryProblemPorts;

beforeAll(async () => {
  // A working day (Friday): a notice goes out at once only on one under the official calendar.
  replay = await startReplayApp('ses-events', { at: nineOclock('2022-02-18') });
  const { wiring } = replay.app;
  ports = {
    store: wiring.store,
    mailer: wiring.mailer,
    staffMail: wiring.staffMail,
    sender: wiring.config.sender,
    clock: wiring.clock,
    calendar: prcCalendar,
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

  it("a bounce of a commission's own address tells its other contacts, never the bounced one", async () => {
    const lead = 'fj-provincial-commission.lead@example.org';
    const before = (await readOutbox(replay.home)).length;
    const result = await recordDeliveryProblem(ports, await bounceOf('0102017f-lead-message', [lead]));
    expect(result).toMatchObject({ marked: [lead], notices: 1, failed: [], noRecipients: [] });
    const notices = (await readOutbox(replay.home)).slice(before);
    expect(notices.map((m) => ({ stage: m.stage, to: m.to, cc: m.cc }))).toEqual([
      { stage: 'bounce', to: ['fj-provincial-commission@example.org'], cc: [] },
    ]);
    expect(notices[0]?.text).toContain(lead);

    // From then on, a notice about anyone else leaves out the address marked earlier as well.
    const later = (await readOutbox(replay.home)).length;
    await recordDeliveryProblem(
      ports,
      await bounceOf('0102017f-hospital-message', ['fj-huaan-county-hospital@example.org']),
    );
    const next = (await readOutbox(replay.home)).slice(later);
    expect(next.map((m) => m.to)).toEqual([['fj-provincial-commission@example.org']]);
  });

  it('when every contact of the commission bounced, no notice goes out and the result says so', async () => {
    const addresses = ['js-provincial-commission@example.org', 'js-provincial-commission.lead@example.org'];
    const before = (await readOutbox(replay.home)).length;
    const result = await recordDeliveryProblem(ports, await bounceOf('0102017f-js-commission', addresses));
    expect(result.notices).toBe(0);
    expect(result.marked).toEqual(addresses);
    expect(result.noRecipients).toEqual(
      addresses.map((about) => ({ programmeId: 'js-2022', commission: 'js-provincial-commission', about })),
    );
    expect((await readOutbox(replay.home)).slice(before)).toEqual([]);
  });

  it('a transient bounce needs no action', async () => {
    const event = (await fixture('ses-bounce.json')) as { detail: { bounce: { bounceType: string } } };
    event.detail.bounce.bounceType = 'Transient';
    expect(deliveryProblemOf(event)).toBeUndefined();
  });
});
