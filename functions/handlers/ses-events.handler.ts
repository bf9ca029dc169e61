/**
 * SES configuration-set events (through EventBridge): permanent bounces and complaints mark the
 * address and tell the provincial commission. A failure is rethrown so the event is retried.
 */
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../adapters/config.ts';
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
  console.log(
    JSON.stringify({
      level: 'info',
      message: `ses ${problem.kind}`,
      ...result,
      unconfirmed: result.unconfirmed.length,
    }),
  );
  if (result.failed.length > 0) throw new Error(`notice failed: ${result.failed[0]}`);
  return result;
};
