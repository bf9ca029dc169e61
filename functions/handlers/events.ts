/**
 * What each function is invoked with, parsed at the edge against the shapes AWS documents: the daily
 * tick's scheduler input, S3's object events for ingest, SES's configuration-set events. A use case
 * receives only what it acts on, already checked; an event that is not what AWS documents is refused
 * with a `MalformedEventError`.
 *
 * The schemas require only the fields the code reads and pass over the rest, so a field AWS adds (or
 * one a test fixture leaves out) changes nothing; a field the code reads that is missing or of the
 * wrong type refuses the event.
 */
import { z } from 'zod';
import { redactText } from '../adapters/log-entries.ts';
import { parseInstant } from '../domain/plain-date.ts';
import type { DeliveryProblem } from '../use-cases/delivery-problems.ts';

/**
 * An event that is not what AWS documents: retrying cannot fix it. `issues` name the fields at fault
 * and why, never their values, and are redacted all the same: the message reaches Lambda's own error
 * log and the dead-letter queue's attributes, and an SES event carries email addresses.
 */
export class MalformedEventError extends Error {
  override readonly name = 'MalformedEventError';
  readonly code = 'malformed-event';
  readonly issues: readonly string[];

  /** `event`: which event, e.g. `SES bounce`. */
  constructor(
    readonly event: string,
    issues: readonly string[],
  ) {
    const redacted = issues.map(redactText);
    super(`malformed ${event} event: ${redacted.join('; ')}`);
    this.issues = redacted;
  }
}

/** `schema` applied to `value`, or a MalformedEventError naming each field at fault. */
function parsed<T>(schema: z.ZodType<T>, value: unknown, event: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new MalformedEventError(
    event,
    result.error.issues.map((issue) => `${issue.path.join('.') || '(event)'}: ${issue.message}`),
  );
}

/** ISO 8601 as AWS writes it: `2022-02-21T01:00:05.000Z` (SES), `2022-02-21T01:00:05Z` (EventBridge). */
const instant = z.iso.datetime({ offset: true });
/** A version id, when S3 names one: absent (or null) for an unversioned bucket. */
const versionId = z.string().nullish();

// ------------------------------------------------------------------------------------------ the tick

/**
 * The schedule's input, `{ "scheduledTime": "<aws.scheduler.scheduled-time>" }`. Without a time (a
 * run started by hand with `{}`) the tick works on the day it runs; a plain date `2022-03-01` runs
 * that Beijing day again.
 */
export const tickEventSchema = z.object({ scheduledTime: z.union([instant, z.iso.date()]).optional() });

/** The instant whose Beijing day the tick works on, when the event names one. */
export function scheduledTimeOf(event: unknown): Date | undefined {
  const { scheduledTime } = parsed(tickEventSchema, event, 'tick');
  return scheduledTime === undefined ? undefined : parseInstant(scheduledTime);
}

// ---------------------------------------------------------------------------------------- ingest

/** One object an ingest event names; in a versioned bucket with the version the event is about. */
export interface IngestObject {
  bucket: string;
  key: string;
  versionId?: string;
}

/** A record of an S3 event notification. */
export const s3NotificationSchema = z.object({
  Records: z.array(
    z.object({
      /** `ObjectCreated:Put`, `ObjectCreated:Post`, `ObjectRemoved:Delete` … */
      eventName: z.string().optional(),
      s3: z.object({
        bucket: z.object({ name: z.string().min(1) }),
        object: z.object({ key: z.string().min(1), versionId }),
      }),
    }),
  ),
});

/** What S3 sends once when a notification is configured; it names no object. */
export const s3TestEventSchema = z.object({ Event: z.literal('s3:TestEvent') });

/** Any S3 event delivered by EventBridge: only "Object Created" names an object to ingest. */
export const s3EventBridgeSchema = z.object({ source: z.literal('aws.s3'), 'detail-type': z.string() });

export const objectCreatedSchema = z.object({
  source: z.literal('aws.s3'),
  'detail-type': z.literal('Object Created'),
  detail: z.object({
    bucket: z.object({ name: z.string().min(1) }),
    object: z.object({ key: z.string().min(1), 'version-id': versionId }),
  }),
});

/** S3 notifications send object keys URL-encoded with spaces as '+'. */
export function objectKeyOf(record: { s3: { object: { key: string } } }): string {
  return decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
}

const withVersion = (id: string | null | undefined) => (id ? { versionId: id } : {});

/**
 * The objects an ingest event names, whichever way S3 delivered it: an event notification (`Records`,
 * keys URL-encoded) or EventBridge's "Object Created" (the key as it is). Events that name no new
 * object (a removal, S3's test event, another EventBridge detail type) name none.
 */
export function objectsOf(event: unknown): IngestObject[] {
  const shape = event as Record<string, unknown> | null;
  if (shape && typeof shape === 'object' && 'Records' in shape) {
    return parsed(s3NotificationSchema, event, 'S3 notification')
      .Records.filter((r) => r.eventName?.startsWith('ObjectCreated:') ?? true)
      .map((r) => ({ bucket: r.s3.bucket.name, key: objectKeyOf(r), ...withVersion(r.s3.object.versionId) }));
  }
  if (s3TestEventSchema.safeParse(event).success) return [];
  const envelope = parsed(s3EventBridgeSchema, event, 'S3 EventBridge');
  if (envelope['detail-type'] !== 'Object Created') return [];
  const { detail } = parsed(objectCreatedSchema, event, 'S3 Object Created');
  return [
    { bucket: detail.bucket.name, key: detail.object.key, ...withVersion(detail.object['version-id']) },
  ];
}

// ------------------------------------------------------------------------------- reminder worker

/** An SQS event: the code reads each record's message id and body. */
export const sqsEventSchema = z.object({
  Records: z.array(z.object({ messageId: z.string().min(1), body: z.string() })),
});

/** The messages an SQS event delivers, in order. */
export function sqsMessagesOf(event: unknown): { messageId: string; body: string }[] {
  return parsed(sqsEventSchema, event, 'SQS').Records.map(({ messageId, body }) => ({ messageId, body }));
}

// -------------------------------------------------------------------------------------------- SES

/** An SES configuration-set event as EventBridge delivers it: `detail.eventType` says what happened. */
export const sesEventSchema = z.object({
  detail: z.object({
    /** `Bounce`, `Complaint`, `Delivery`, `Send`, `Reject`, `Open` … */
    eventType: z.string(),
  }),
});

/** The envelope and the mail a bounce or complaint is about. */
const problemEnvelope = z.object({
  /** When EventBridge received the event. */
  time: instant.optional(),
  detail: z.object({
    mail: z.object({
      /** The SES message that bounced: with the address, the exactly-once key of the notice. */
      messageId: z.string().min(1),
      /** When the message was sent. */
      timestamp: instant.optional(),
    }),
  }),
});

export const sesBounceSchema = problemEnvelope.extend({
  detail: problemEnvelope.shape.detail.extend({
    bounce: z.object({
      bounceType: z.literal('Permanent'),
      bouncedRecipients: z
        .array(z.object({ emailAddress: z.string().min(1), diagnosticCode: z.string().optional() }))
        .min(1),
      timestamp: instant.optional(),
    }),
  }),
});

/** `Permanent`, `Transient` or `Undetermined`: only a permanent bounce needs action. */
const bounceTypeSchema = z.object({ detail: z.object({ bounce: z.object({ bounceType: z.string() }) }) });

export const sesComplaintSchema = problemEnvelope.extend({
  detail: problemEnvelope.shape.detail.extend({
    complaint: z.object({
      complainedRecipients: z.array(z.object({ emailAddress: z.string().min(1) })).min(1),
      complaintFeedbackType: z.string().optional(),
      timestamp: instant.optional(),
    }),
  }),
});

/**
 * The delivery problem an SES event reports; undefined for events that need no action (a transient
 * or undetermined bounce, which SES retries on its own, and every other event type).
 *
 * Its time is the bounce's or complaint's own, else the mail's, else the time EventBridge received the
 * event; a bounce or complaint with none of these is malformed.
 */
export function deliveryProblemOf(event: unknown): DeliveryProblem | undefined {
  const { eventType } = parsed(sesEventSchema, event, 'SES').detail;
  if (eventType === 'Bounce') {
    const { bounceType } = parsed(bounceTypeSchema, event, 'SES bounce').detail.bounce;
    if (bounceType !== 'Permanent') return undefined;
    const { time, detail } = parsed(sesBounceSchema, event, 'SES bounce');
    return {
      kind: 'bounce',
      messageId: detail.mail.messageId,
      at: timeOf('bounce', detail.bounce.timestamp ?? detail.mail.timestamp ?? time),
      addresses: detail.bounce.bouncedRecipients.map((r) => ({
        email: r.emailAddress.toLowerCase(),
        ...(r.diagnosticCode ? { detail: r.diagnosticCode } : {}),
      })),
    };
  }
  if (eventType === 'Complaint') {
    const { time, detail } = parsed(sesComplaintSchema, event, 'SES complaint');
    const feedback = detail.complaint.complaintFeedbackType;
    return {
      kind: 'complaint',
      messageId: detail.mail.messageId,
      at: timeOf('complaint', detail.complaint.timestamp ?? detail.mail.timestamp ?? time),
      addresses: detail.complaint.complainedRecipients.map((r) => ({
        email: r.emailAddress.toLowerCase(),
        ...(feedback ? { detail: feedback } : {}),
      })),
    };
  }
  return undefined;
}

function timeOf(kind: 'bounce' | 'complaint', at: string | undefined): string {
  if (at !== undefined) return at;
  throw new MalformedEventError(`SES ${kind}`, [
    `detail.${kind}.timestamp, detail.mail.timestamp, time: none is given`,
  ]);
}
