/**
 * SES configuration-set events (through EventBridge): permanent bounces and complaints mark the
 * address and tell the provincial commission. A failure is rethrown so the event is retried.
 */
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../adapters/config.ts';
import { deliveryProblemLogEntry, redactText } from '../adapters/log-entries.ts';
import { createWiring } from '../adapters/wiring.ts';
import { deliveryProblemOf, recordDeliveryProblem } from '../use-cases/delivery-problems.ts';

const wiring = createWiring(await loadConfig(process.env));

export const handler = async (event: unknown) => {
  const problem = deliveryProblemOf(event);
  if (!problem) return { ignored: true };
  const result = await recordDeliveryProblem(
    {
      store: wiring.store,
      mailer: wiring.mailer,
      staffMail: wiring.staffMail,
      sender: wiring.config.sender,
      clock: wiring.clock,
      runId: randomUUID(),
      claimLeaseMs: wiring.config.claimLeaseSeconds * 1000,
    },
    problem,
  );
  const entry = deliveryProblemLogEntry(problem, result);
  console.log(JSON.stringify(entry));
  if (result.failed.length > 0) throw new Error(`notice failed: ${redactText(result.failed[0] ?? '')}`);
  // The return value may reach an invocation record or destination: the same masked view as the log.
  return entry;
};
