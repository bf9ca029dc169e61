/**
 * The metrics of the functions that count their runs (the tick, ingest, ses-events), apart from
 * telemetry.ts so the API's bundle, which counts nothing, holds no metrics code.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/** The CloudWatch namespace of every bangfu metric. */
export const METRICS_NAMESPACE = 'bangfu';

/** The metrics of the function `service`: its `service` dimension; Powertools' warnings go to `logger`. */
export function functionMetrics(service: string, logger: Logger): Metrics {
  return new Metrics({ namespace: METRICS_NAMESPACE, serviceName: service, logger });
}
