/**
 * Logs and metrics of the deployed functions, through Powertools for AWS Lambda (TypeScript).
 *
 * Logs: one JSON line per entry with `level`, `message`, `timestamp`, `service` (the function: `tick`,
 * `api`, `ingest`, `ses-events`) and, from the invocation's context, `function_request_id`,
 * `cold_start` and the function's name, ARN and memory. The entries themselves come from
 * adapters/log-entries.ts, which has masked every address and replaced every ticket and phone number
 * before an entry gets here. The invocation event is never logged, whatever POWERTOOLS_LOGGER_LOG_EVENT
 * says: SES's events name the addresses that bounced.
 *
 * The log level is Lambda's: the functions' application log level (INFO, set in infra) reaches
 * Powertools as AWS_LAMBDA_LOG_LEVEL and wins over POWERTOOLS_LOG_LEVEL; outside Lambda,
 * POWERTOOLS_LOG_LEVEL (default INFO) decides.
 *
 * Metrics: CloudWatch embedded metric format, one document per run on standard output, in namespace
 * `bangfu` with a `service` dimension (the function). No other process loads this module: `bangfu up`,
 * the command line and the tests call the use cases (and createApi) directly, so nothing prints EMF
 * there. A bundled package run outside Lambda prints both; POWERTOOLS_DEV=true pretty-prints the logs
 * and switches metrics off, POWERTOOLS_METRICS_DISABLED=true switches metrics off alone.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import type { LogEntry } from '../adapters/log-entries.ts';
import type { RunCounts } from '../adapters/run-metrics.ts';
import { MalformedEventError } from './events.ts';

/** What a handler logs through: Powertools' Logger, or a stand-in in tests. */
export interface FunctionLogger {
  addContext(context: Context): void;
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

/** What a handler counts through: Powertools' Metrics, or a stand-in in tests. */
export interface FunctionMetrics {
  addMetric(name: string, unit: 'Count', value: number): void;
  hasStoredMetrics(): boolean;
  publishStoredMetrics(): void;
}

/** The logger of the function `service` (`tick`, `api`, `ingest`, `ses-events`). */
export function functionLogger(service: string): Logger {
  return new Logger({ serviceName: service });
}

/** Writes an entry of adapters/log-entries.ts at its own level; its fields are already masked. */
export const logEntryTo =
  (logger: FunctionLogger) =>
  ({ level, message, ...fields }: LogEntry): void =>
    logger[level](message, fields);

/** Adds a run's counts, each as a Count metric; published when the invocation ends. */
export function countRun(metrics: FunctionMetrics, counts: RunCounts): void {
  for (const [name, value] of Object.entries(counts)) metrics.addMetric(name, 'Count', value);
}

/**
 * A Lambda handler around `run`: adds the invocation's context to the logs, logs and counts a malformed
 * event (`MalformedEvents`), and publishes the run's metrics however it ends, before Lambda freezes the
 * process. Errors are rethrown as they are, so the platform retries and then dead-letters the event.
 */
export function observed<E, R>(
  telemetry: { logger: FunctionLogger; metrics?: FunctionMetrics },
  run: (event: E) => Promise<R>,
): (event: E, context?: Context) => Promise<R> {
  const { logger, metrics } = telemetry;
  return async (event, context) => {
    if (context) logger.addContext(context);
    try {
      return await run(event);
    } catch (error) {
      if (error instanceof MalformedEventError) {
        logger.error('malformed event', {
          code: error.code,
          event: error.event,
          ...eventIdOf(event),
          issues: error.issues,
        });
        metrics?.addMetric('MalformedEvents', 'Count', 1);
      }
      throw error;
    } finally {
      if (metrics?.hasStoredMetrics()) metrics.publishStoredMetrics();
    }
  };
}

/** An EventBridge event's id, to find the event in the dead-letter queue. */
function eventIdOf(event: unknown): { eventId?: string } {
  const id = (event as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? { eventId: id } : {};
}
