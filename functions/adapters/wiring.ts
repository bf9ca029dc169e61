/** Builds every adapter from one config, once per process: the same wiring for Lambdas, CLI and tests. */
import { randomUUID } from 'node:crypto';
import { beijingDate } from '../domain/plain-date.ts';
import { prcCalendar } from '../domain/working-days.ts';
import type { Mailer, ReminderRenderer } from '../use-cases/ports.ts';
import { type ReminderPorts, sendDueReminders, type TickResult } from '../use-cases/send-due-reminders.ts';
import { type AwsClients, createAwsClients } from './aws-clients.ts';
import type { AppConfig } from './config.ts';
import { DynamoStore } from './dynamo-store.ts';
import { createReminderRenderer } from './email-renderer.ts';
import { sesMailer } from './ses-mailer.ts';

export interface Wiring {
  config: AppConfig;
  clients: AwsClients;
  store: DynamoStore;
  mailer: Mailer;
  renderer: ReminderRenderer;
  destroy(): void;
}

export function createWiring(config: AppConfig): Wiring {
  const clients = createAwsClients(config);
  return {
    config,
    clients,
    store: new DynamoStore(clients.documents, config.tableName),
    mailer: sesMailer(clients.ses, config.ses),
    renderer: createReminderRenderer(),
    destroy: () => clients.destroy(),
  };
}

/** The tick's ports from the wiring; `overrides` lets tests inject a fault (a mailer that dies). */
export function tickPorts(wiring: Wiring, overrides: Partial<ReminderPorts> = {}): ReminderPorts {
  return {
    store: wiring.store,
    mailer: wiring.mailer,
    renderer: wiring.renderer,
    calendar: prcCalendar,
    clock: () => new Date(),
    sender: wiring.config.sender,
    runId: randomUUID(),
    options: { claimLeaseMs: wiring.config.claimLeaseSeconds * 1000 },
    ...overrides,
  };
}

/** Runs the daily tick for the Beijing day of `at`. */
export function runTick(
  wiring: Wiring,
  at: Date,
  overrides: Partial<ReminderPorts> = {},
): Promise<TickResult> {
  return sendDueReminders(tickPorts(wiring, overrides), beijingDate(at));
}
