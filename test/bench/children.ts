/**
 * The bench's child processes, so that each memory figure is one step's own: the embedded stand-ins
 * (dynalite, s3rver, the SES stand-in) in one long-lived child (stand-ins.ts), and each measured step
 * in a fresh Node process of its own (step.ts) that reaches them through the config the stand-ins
 * handed out, as a Lambda reaches DynamoDB, S3 and SES. Children talk over Node's IPC channel; their
 * stdout and stderr go to the bench's stderr, with the progress.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { AppConfig } from '../../functions/adapters/config.ts';
import { REPO_ROOT } from '../../infra/defaults.ts';
import type { StepRequest, StepResult } from './step.ts';

const HERE = join(REPO_ROOT, 'test', 'bench');

function forkTs(file: string, args: string[] = []): ChildProcess {
  return fork(join(HERE, file), args, {
    cwd: REPO_ROOT,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 2, 2, 'ipc'],
  });
}

/** The next message of a child, or its exit (with its code) if it ends first. */
function nextMessage<T>(child: ChildProcess, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      child.off('exit', onExit);
      resolve(message as T);
    };
    const onExit = (code: number | null, signal: string | null) => {
      child.off('message', onMessage);
      reject(new Error(`${what} ended (${signal ?? `exit ${code}`}) before reporting`));
    };
    child.once('message', onMessage);
    child.once('exit', onExit);
  });
}

export interface StandIns {
  config: AppConfig;
  /** Stops the stand-ins and returns their process's peak RSS in MB. */
  stop(): Promise<number>;
}

/** Starts the stand-ins in a child of their own; it stops when told to, or when the bench goes away. */
export async function startStandIns(): Promise<StandIns> {
  const child = forkTs('stand-ins.ts');
  const { config } = await nextMessage<{ config: AppConfig }>(child, 'the stand-ins');
  return {
    config,
    async stop() {
      const stopped = nextMessage<{ peakRssMb: number }>(child, 'the stand-ins');
      child.send('stop');
      const { peakRssMb } = await stopped;
      return peakRssMb;
    },
  };
}

/** Runs one step in a fresh Node process and returns what it measured, its own peak RSS included. */
export async function runStep<S extends StepRequest>(request: S): Promise<StepResult<S>> {
  const child = forkTs('step.ts', [JSON.stringify(request)]);
  const reply = await nextMessage<{ result?: StepResult<S>; error?: string }>(child, `step ${request.step}`);
  await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)));
  if (reply.error !== undefined || !reply.result) throw new Error(`step ${request.step}: ${reply.error}`);
  return reply.result;
}
