/**
 * SES configuration-set events (through EventBridge): permanent bounces and complaints mark the
 * address and tell the provincial commission. A failure is rethrown so the event is retried.
 *
 * A malformed event (not the shape AWS documents, or a bounce with no time at all) is logged, counted
 * and rethrown like any failure: Lambda tries it twice more, then it waits in the dead-letter queue,
 * whose alarm calls a person. Retrying cannot fix it, but dropping it would lose the only record of
 * which address bounced (the log masks addresses); from the queue it can be sent again once the
 * parser is fixed.
 */
import { loadConfig } from '../adapters/config.ts';
import { deliveryProblemLogEntry, redactText } from '../adapters/log-entries.ts';
import { deliveryProblemCounts } from '../adapters/run-metrics.ts';
import { sesEventsComposition } from '../composition/ses-events.ts';
import { recordDeliveryProblem } from '../use-cases/delivery-problems.ts';
import { deliveryProblemOf } from './events.ts';
import { functionMetrics } from './metrics.ts';
import { countRun, functionLogger, logEntryTo, observed } from './telemetry.ts';

const composition = sesEventsComposition(await loadConfig(process.env));
const logger = functionLogger('ses-events');
const metrics = functionMetrics('ses-events', logger);

export const handler = observed({ logger, metrics }, async (event: unknown) => {
  const problem = deliveryProblemOf(event);
  if (!problem) return { ignored: true };
  const result = await recordDeliveryProblem(composition.ports(), problem);
  const entry = deliveryProblemLogEntry(problem, result);
  logEntryTo(logger)(entry);
  countRun(metrics, deliveryProblemCounts(problem, result));
  if (result.failed.length > 0) throw new Error(`notice failed: ${redactText(result.failed[0] ?? '')}`);
  // The return value may reach an invocation record or destination: the same masked view as the log.
  return entry;
});
