/**
 * The two-plan replay: both seed plans and the demo roster on the replayed local app (replay.ts, what
 * `bangfu demo` drives), each day's 09:00 tick from `BANGFU_BENCH_REPLAY_FROM` to
 * `BANGFU_BENCH_REPLAY_TO` (default 1 January to 10 March 2022: the agreements open, their deadline of
 * 28 February, Fujian §三(一) and Jiangsu's, and the week after it), in a Node process of its own.
 * Ticks only: no uploads or staff actions, so every obligation stays outstanding and every stage goes out.
 * The replay runs the stand-ins in its own process, as `bangfu demo` does: its memory includes theirs.
 */
import { daysBetween } from '../../functions/domain/plain-date.ts';
import { runStep } from './children.ts';
import { figures, type JudgedFigures, judge, log, perSecond, seconds } from './figures.ts';

export const REPLAY_FROM_ENV = 'BANGFU_BENCH_REPLAY_FROM';
export const REPLAY_TO_ENV = 'BANGFU_BENCH_REPLAY_TO';
const DEFAULT_FROM = '2022-01-01';
const DEFAULT_TO = '2022-03-10';

export async function benchTick(): Promise<JudgedFigures> {
  const from = process.env[REPLAY_FROM_ENV] || DEFAULT_FROM;
  const to = process.env[REPLAY_TO_ENV] || DEFAULT_TO;
  if (daysBetween(from, to) < 0) throw new RangeError(`replay: ${from} is after ${to}`);
  log(`  replaying both plans, ${from} to ${to} …`);
  const replay = await runStep({ step: 'replay', from, to });
  if (replay.failed > 0) throw new Error(`replay: ${replay.failed} sends failed`);
  log(`  ${replay.days} days, ${replay.messages} messages in ${Math.round(replay.ms)} ms`);
  const scale = 'both seed plans';
  const row = judge('tick', scale);
  const { busiest } = replay;
  const rows = [
    row(
      `replay ${from}–${to}: time`,
      seconds(replay.ms),
      `${replay.days} days ticked, ${Math.round(replay.ms / replay.days)} ms a day; app started in ${seconds(replay.startMs)}`,
      '',
      undefined,
    ),
    row(
      'replay: messages',
      replay.messages,
      `busiest day ${busiest.day || '-'}: ${busiest.messages} in ${seconds(busiest.ms)} (${perSecond(busiest.messages, busiest.ms)}/s)`,
      '',
      undefined,
    ),
    row(
      'replay: peak RSS MB',
      replay.peakRssMb,
      'the stand-ins included (the local app runs them)',
      '',
      undefined,
    ),
  ];
  return { ...figures(rows), judged: rows };
}
