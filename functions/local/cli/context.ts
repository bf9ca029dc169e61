/**
 * What every command takes from the program it belongs to: where output goes, the home of the local
 * stack (--home, $BANGFU_HOME, ./.bangfu) and the target a data command acts on: the local stack of
 * that home, or the deployment with --aws (functions/local/deployed.ts).
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { createAwsClients } from '../../adapters/aws-clients.ts';
import type { AppConfig } from '../../adapters/config.ts';
import { DynamoStore } from '../../adapters/dynamo-store.ts';
import { type Clock, wallClock } from '../../composition/parts.ts';
import { userFacingError } from '../../domain/errors.ts';
import { deployedConfig } from '../deployed.ts';
import { readClockState, resolveNow } from '../simulated-clock.ts';
import { withStack } from '../stack-session.ts';
import type { CliIo } from './io.ts';

export interface CliContext {
  io: CliIo;
  /** The home of this run's local state. */
  home: () => string;
  /** Runs `work` on the deployment (--aws) or on the local stack of `home`. */
  onTarget: <T>(work: (config: AppConfig) => Promise<T>, local?: LocalTarget) => Promise<T>;
  /** Refuses `command` under --aws, saying what to do `instead`. */
  localOnly: (command: string, instead: string) => void;
  /**
   * The command's "now": `at` (its --at), else BANGFU_NOW, else the home's simulated now, else the
   * wall clock; with --aws, `at` or the wall clock (there is no simulated clock on AWS).
   */
  now: (at?: Date) => Promise<Date>;
  /**
   * The clock the command's wiring runs on: from `now(at)` onwards, moving with the wall clock (a
   * receipt a minute after an upload is a minute later); the wall clock itself with --aws.
   */
  clock: (at?: Date) => Promise<Clock>;
}

type LocalTarget = Parameters<typeof withStack>[2];

export function homeOf(option: string | undefined, env: NodeJS.ProcessEnv): string {
  return resolve(option ?? env.BANGFU_HOME ?? '.bangfu');
}

/** The context of `program`, read from its global options when a command runs. */
export function cliContext(program: Command, io: CliIo): CliContext {
  const home = () => homeOf(program.opts<{ home?: string }>().home, io.env);
  const onAws = () => program.opts<{ aws?: boolean }>().aws === true;
  const now = async (at?: Date) =>
    onAws()
      ? (at ?? new Date())
      : resolveNow({ at, envNow: io.env.BANGFU_NOW, state: await readClockState(home()) });
  return {
    io,
    home,
    now,
    clock: async (at?: Date) => {
      if (onAws()) return wallClock;
      const start = await now(at);
      const wallStart = Date.now();
      return () => new Date(start.getTime() + (Date.now() - wallStart));
    },
    onTarget: async <T>(work: (config: AppConfig) => Promise<T>, local: LocalTarget = {}): Promise<T> => {
      if (!onAws()) return withStack(home(), work, local);
      const config = await deployedConfig(io.env);
      io.err(`On AWS: table ${config.tableName}, bucket ${config.bucketName}, region ${config.region}`);
      return work(config);
    },
    localOnly: (command, instead) => {
      if (onAws()) throw new LocalOnlyError(`${command} is local only; on AWS ${instead}`);
    },
  };
}

export function withStore<T>(config: AppConfig, work: (store: DynamoStore) => Promise<T>): Promise<T> {
  const clients = createAwsClients(config);
  return work(new DynamoStore(clients.documents, config.tableName)).finally(() => clients.destroy());
}

class LocalOnlyError extends userFacingError('local-only') {
  override readonly name = 'LocalOnlyError';
}
