/**
 * The events each function is invoked with, parsed at the edge: fixtures shaped as AWS documents them
 * (test/fixtures/events/), and malformed ones, which are refused naming the fields at fault.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  deliveryProblemOf,
  MalformedEventError,
  objectsOf,
  scheduledTimeOf,
} from '../../functions/handlers/events.ts';

// biome-ignore lint/suspicious/noExplicitAny: a test edits a fixture field by field, as JSON
type Fixture = Record<string, any>;

/** A fresh copy of a fixture each time, so a test may change it. */
const fixture = (name: string): Fixture =>
  JSON.parse(readFileSync(new URL(`../fixtures/events/${name}`, import.meta.url), 'utf8'));

/** The error `parse` throws, which must be a MalformedEventError. */
function refusal(parse: () => unknown): MalformedEventError {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(MalformedEventError);
    return error as MalformedEventError;
  }
  throw new Error('the event was not refused');
}

const FULL_ADDRESS = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/;
const UPLOAD_KEY = 'incoming/fj-2021/fj-2021.fj-huaan-county-hospital/agreement-2022/5f0c1a2b-3c4d-4e5f';
const BUCKET = 'bangfu-files-123456789012-ap-southeast-1';

describe("the tick's scheduler input", () => {
  it('works on the scheduled time the schedule substitutes', () => {
    expect(scheduledTimeOf(fixture('scheduler-tick.json'))).toEqual(new Date('2022-03-01T01:00:00Z'));
  });

  it('takes a plain date as the start of that Beijing day, for a day run again by hand', () => {
    expect(scheduledTimeOf({ scheduledTime: '2022-03-01' })).toEqual(new Date('2022-02-28T16:00:00Z'));
  });

  it('names no time for a run started by hand with {}', () => {
    expect(scheduledTimeOf({})).toBeUndefined();
  });

  it('refuses the placeholder left unsubstituted, and an input that is not an object', () => {
    const placeholder = refusal(() => scheduledTimeOf(fixture('scheduler-tick-malformed.json')));
    expect(placeholder.event).toBe('tick');
    expect(placeholder.issues).toEqual([expect.stringMatching(/^scheduledTime: /)]);
    expect(refusal(() => scheduledTimeOf('2022-03-01T01:00:00Z')).issues).toEqual([
      expect.stringMatching(/^\(event\): /),
    ]);
  });
});

describe('S3 events for ingest', () => {
  it('takes the bucket, key and version of an event notification', () => {
    expect(objectsOf(fixture('s3-notification-object-created.json'))).toEqual([
      { bucket: BUCKET, key: UPLOAD_KEY, versionId: '096fKKXTRTtl3on89fVO.nfljtsv6qko' },
    ]);
  });

  it('takes the bucket, key and version-id of an EventBridge "Object Created" event', () => {
    expect(objectsOf(fixture('s3-eventbridge-object-created.json'))).toEqual([
      { bucket: BUCKET, key: UPLOAD_KEY, versionId: 'IYV3p45BT0ac8hjHg1houSdS1a.Mro8e' },
    ]);
  });

  it('names no version for an unversioned bucket, whether the field is absent or null', () => {
    const notified = fixture('s3-notification-object-created.json');
    notified.Records[0].s3.object.versionId = null;
    const bridged = fixture('s3-eventbridge-object-created.json');
    delete bridged.detail.object['version-id'];
    expect(objectsOf(notified)).toEqual([{ bucket: BUCKET, key: UPLOAD_KEY }]);
    expect(objectsOf(bridged)).toEqual([{ bucket: BUCKET, key: UPLOAD_KEY }]);
  });

  it.each([
    ['a removal notified by S3', 's3-notification-object-removed.json'],
    ['a removal through EventBridge', 's3-eventbridge-object-deleted.json'],
    ["S3's test event when a notification is configured", 's3-test-event.json'],
  ])('names no object in %s', (_, name) => {
    expect(objectsOf(fixture(name))).toEqual([]);
  });

  it('refuses a notification record without bucket name or key', () => {
    const error = refusal(() => objectsOf(fixture('s3-notification-malformed.json')));
    expect(error.event).toBe('S3 notification');
    expect(error.issues).toEqual([
      expect.stringMatching(/^Records\.0\.s3\.bucket\.name: /),
      expect.stringMatching(/^Records\.0\.s3\.object\.key: /),
    ]);
  });

  it('refuses an "Object Created" event without a key, or with a version-id that is not a string', () => {
    const error = refusal(() => objectsOf(fixture('s3-eventbridge-object-created-malformed.json')));
    expect(error.event).toBe('S3 Object Created');
    expect(error.issues).toEqual([
      expect.stringMatching(/^detail\.object\.key: /),
      expect.stringMatching(/^detail\.object\.version-id: /),
    ]);
  });

  it('refuses what is no S3 event at all', () => {
    expect(refusal(() => objectsOf({ detail: {} })).event).toBe('S3 EventBridge');
    expect(refusal(() => objectsOf(null)).event).toBe('S3 EventBridge');
  });
});

describe('SES configuration-set events', () => {
  it('reads a permanent bounce: each recipient lower-cased, with its diagnostic, at the bounce time', () => {
    const event = fixture('ses-bounce.json');
    event.detail.bounce.bouncedRecipients[0].emailAddress = 'FJ-Huaan-County-Government@Example.org';
    expect(deliveryProblemOf(event)).toEqual({
      kind: 'bounce',
      messageId: '0102017f-original-message',
      at: '2022-02-21T01:00:05.000Z',
      addresses: [
        { email: 'fj-huaan-county-government@example.org', detail: 'smtp; 550 5.1.1 user unknown' },
      ],
    });
  });

  it('reads a complaint with its feedback type', () => {
    expect(deliveryProblemOf(fixture('ses-complaint.json'))).toEqual({
      kind: 'complaint',
      messageId: '0102017f-another-message',
      at: '2022-02-22T01:00:05.000Z',
      addresses: [{ email: 'js-siyang-county-government@example.org', detail: 'abuse' }],
    });
  });

  it("falls back to the mail's timestamp, then to the time EventBridge received the event", () => {
    const bounce = fixture('ses-bounce.json');
    delete bounce.detail.bounce.timestamp;
    expect(deliveryProblemOf(bounce)?.at).toBe('2022-02-21T01:00:04.000Z');
    delete bounce.detail.mail.timestamp;
    expect(deliveryProblemOf(bounce)?.at).toBe('2022-02-21T01:00:05Z');

    const complaint = fixture('ses-complaint-without-time.json');
    complaint.time = '2022-02-22T01:00:07Z';
    expect(deliveryProblemOf(complaint)?.at).toBe('2022-02-22T01:00:07Z');
  });

  it('refuses a complaint with no time at all, rather than dating it 1970', () => {
    const error = refusal(() => deliveryProblemOf(fixture('ses-complaint-without-time.json')));
    expect(error.event).toBe('SES complaint');
    expect(error.issues).toEqual(['detail.complaint.timestamp, detail.mail.timestamp, time: none is given']);
  });

  it.each([
    ['a transient bounce (SES retries it on its own)', 'ses-bounce-transient.json'],
    ['a delivery', 'ses-delivery.json'],
  ])('needs no action for %s', (_, name) => {
    expect(deliveryProblemOf(fixture(name))).toBeUndefined();
  });

  it('refuses a bounce whose fields are not as SES documents them, and names no address doing so', () => {
    const error = refusal(() => deliveryProblemOf(fixture('ses-bounce-malformed.json')));
    expect(error.event).toBe('SES bounce');
    expect(error.issues).toEqual([
      expect.stringMatching(/^detail\.mail\.messageId: /),
      expect.stringMatching(/^detail\.bounce\.bouncedRecipients: /),
      expect.stringMatching(/^detail\.bounce\.timestamp: /),
    ]);
    expect(error.message).toMatch(/^malformed SES bounce event: detail\.mail\.messageId: /);
    expect(error.message).not.toMatch(FULL_ADDRESS);
  });

  it('refuses a permanent bounce that names no recipient', () => {
    const event = fixture('ses-bounce.json');
    event.detail.bounce.bouncedRecipients = [];
    expect(refusal(() => deliveryProblemOf(event)).issues).toEqual([
      expect.stringMatching(/^detail\.bounce\.bouncedRecipients: /),
    ]);
  });

  it('refuses what is no SES event at all', () => {
    expect(refusal(() => deliveryProblemOf(fixture('s3-eventbridge-object-created.json'))).issues).toEqual([
      expect.stringMatching(/^detail\.eventType: /),
    ]);
  });
});
