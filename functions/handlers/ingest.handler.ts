/**
 * Ingest of uploads under `incoming/`: an S3 notification or an EventBridge "Object Created" event.
 * Both are delivered at least once; a failure is rethrown so Lambda retries the event, then the DLQ.
 */
import { loadConfig } from '../adapters/config.ts';
import { ingestLogEntry } from '../adapters/log-entries.ts';
import { ingestCounts } from '../adapters/run-metrics.ts';
import { ingestComposition } from '../composition/ingest.ts';
import { ingestUpload } from '../use-cases/ingest-upload.ts';
import { objectsOf } from './events.ts';
import { functionMetrics } from './metrics.ts';
import { countRun, functionLogger, logEntryTo, observed } from './telemetry.ts';

const composition = ingestComposition(await loadConfig(process.env));
const logger = functionLogger('ingest');
const metrics = functionMetrics('ingest', logger);

export const handler = observed({ logger, metrics }, async (event: unknown) => {
  const outcomes = [];
  for (const object of objectsOf(event)) {
    const outcome = await ingestUpload(composition.ports(), object);
    logEntryTo(logger)(ingestLogEntry(object, outcome));
    outcomes.push(outcome);
  }
  countRun(metrics, ingestCounts(outcomes));
  return outcomes;
});
