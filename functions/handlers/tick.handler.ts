/**
 * The daily tick, scheduled at 09:00 Asia/Shanghai by EventBridge Scheduler with the input
 * `{ "scheduledTime": "<aws.scheduler.scheduled-time>" }`: the scheduled time, not the invocation
 * time, decides the day, so a retry an hour later still works on the same day.
 */
import { loadConfig } from '../adapters/config.ts';
import { tickFailure, tickLogEntry, tickSummary } from '../adapters/log-entries.ts';
import { tickCounts } from '../adapters/run-metrics.ts';
import { tickDayOf } from '../composition/parts.ts';
import { tickComposition } from '../composition/tick.ts';
import { runDailyTick } from '../use-cases/run-tick.ts';
import { scheduledTimeOf } from './events.ts';
import { functionMetrics } from './metrics.ts';
import { countRun, functionLogger, logEntryTo, observed } from './telemetry.ts';

const composition = tickComposition(await loadConfig(process.env));
const logger = functionLogger('tick');
const metrics = functionMetrics('tick', logger);

export const handler = observed({ logger, metrics }, async (event: unknown) => {
  const at = scheduledTimeOf(event) ?? new Date();
  const result = await runDailyTick(composition.ports(), tickDayOf(at));
  logEntryTo(logger)(tickLogEntry(result));
  countRun(metrics, tickCounts(result));
  const summary = tickSummary(result);
  // Failed sends were released; failing the invocation makes the scheduler retry just those.
  if (summary.failed > 0) throw new Error(tickFailure(result));
  return summary;
});
