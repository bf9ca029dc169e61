/**
 * Locally, S3 notifications from the stand-in drive the same ingest use case the Lambda runs, with
 * the same prefix filter the bucket notification has on AWS, one event at a time, retried twice like
 * an asynchronous Lambda invocation.
 */
import type { S3Event } from 'aws-lambda';
import { ingestPorts, type Wiring } from '../composition/wiring.ts';
import { objectsOf } from '../handlers/events.ts';
import { INCOMING_PREFIX, type IngestOutcome, ingestUpload } from '../use-cases/ingest-upload.ts';
import type { EmbeddedStack } from './embedded-stack.ts';

export interface IngestBridge {
  /** Resolves when every event received so far has been handled. */
  idle(): Promise<void>;
  outcomes: IngestOutcome[];
}

export function bridgeS3Events(
  stack: EmbeddedStack,
  wiring: Wiring,
  log: (line: string) => void,
): IngestBridge {
  let chain: Promise<void> = Promise.resolve();
  const outcomes: IngestOutcome[] = [];
  stack.onObjectCreated((event: S3Event) => {
    for (const object of objectsOf(event)) {
      const { key } = object;
      if (!key.startsWith(INCOMING_PREFIX)) continue;
      chain = chain.then(async () => {
        for (let attempt = 1; attempt <= 3; attempt++) {
          try {
            const outcome = await ingestUpload(ingestPorts(wiring), object);
            outcomes.push(outcome);
            if (outcome.outcome === 'set-aside') log(`Upload ${key}: set aside: ${outcome.reason}`);
            else if (outcome.outcome !== 'ignored') {
              const unconfirmed = outcome.unconfirmed.length
                ? ` (notice to ${outcome.unconfirmed.length} address(es) unconfirmed: check the SES log)`
                : '';
              log(`Upload ${key}: ${outcome.outcome}${unconfirmed}`);
            }
            return;
          } catch (error) {
            log(`Upload ${key}: ingest failed (attempt ${attempt}): ${(error as Error).message}`);
            if (attempt < 3) await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
          }
        }
      });
    }
  });
  return { idle: () => chain, outcomes };
}
