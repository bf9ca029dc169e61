/**
 * The daily tick, scheduled at 09:00 Asia/Shanghai by EventBridge Scheduler with the input
 * `{ "scheduledTime": "<aws.scheduler.scheduled-time>" }`: the scheduled time, not the invocation
 * time, decides the day, so a retry an hour later still works on the same day.
 */
import { loadConfig } from '../adapters/config.ts';
import { createWiring, runTick } from '../adapters/wiring.ts';
import { parseInstant } from '../domain/plain-date.ts';

const wiring = createWiring(await loadConfig(process.env));

export interface TickEvent {
  scheduledTime?: string;
}

export const handler = async (event: TickEvent) => {
  const at = event.scheduledTime ? parseInstant(event.scheduledTime) : new Date();
  const result = await runTick(wiring, at);
  const summary = {
    day: result.day,
    due: result.due,
    messages: result.messages.length,
    alreadySent: result.alreadySent,
    rejected: result.rejected.length,
    suppressed: result.suppressed.length,
    noContacts: result.noContacts.length,
    failed: result.failed.length + result.published.failed.length,
    documents: result.published.documents.map((d) => d.id),
    staffMessages: result.published.messages.length,
    unconfirmed: result.unconfirmed.length + result.published.unconfirmed.length,
  };
  console.log(
    JSON.stringify({
      level: 'info',
      message: 'tick done',
      ...summary,
      rejectedAddresses: result.rejected,
      unconfirmedAddresses: result.unconfirmed,
    }),
  );
  // Failed sends were released; failing the invocation makes the scheduler retry just those.
  if (summary.failed > 0) {
    throw new Error(
      `tick ${result.day}: ${result.failed.length} message(s) failed: ${result.failed[0]?.error}`,
    );
  }
  return summary;
};
