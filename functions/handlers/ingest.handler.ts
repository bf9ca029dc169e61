/**
 * Ingest of uploads under `incoming/`: an S3 notification or an EventBridge "Object Created" event.
 * Both are delivered at least once; a failure is rethrown so Lambda retries the event, then the DLQ.
 */
import { loadConfig } from '../adapters/config.ts';
import { ingestComposition } from '../composition/ingest.ts';
import { ingestUpload } from '../use-cases/ingest-upload.ts';
import { objectsOf } from './events.ts';

const composition = ingestComposition(await loadConfig(process.env));

export const handler = async (event: unknown) => {
  const outcomes = [];
  for (const object of objectsOf(event)) {
    const outcome = await ingestUpload(composition.ports(), object);
    // Counts only: the addresses of notices are personal data and stay out of the log.
    const { unconfirmed, ...loggable } = 'unconfirmed' in outcome ? outcome : { ...outcome, unconfirmed: [] };
    console.log(
      JSON.stringify({
        level: outcome.outcome === 'set-aside' ? 'warn' : 'info',
        message: 'ingest',
        key: object.key,
        ...loggable,
        unconfirmedNotices: unconfirmed.length,
      }),
    );
    outcomes.push(outcome);
  }
  return outcomes;
};
