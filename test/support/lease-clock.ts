/**
 * A lease clock a test moves by hand: waiting on it advances it at once, so a lease runs out without
 * a test waiting for it, and every wait sendOnce asked for is kept to be looked at.
 */
import type { LeaseClock } from '../../functions/use-cases/ports.ts';

export class TestLeaseClock implements LeaseClock {
  /** Each wait asked for, in milliseconds. */
  readonly waits: number[] = [];
  /** Runs after each wait, the clock already advanced: what happens elsewhere meanwhile. */
  onWait: () => Promise<void> | void = () => undefined;
  private at: number;

  constructor(start: Date) {
    this.at = start.getTime();
  }

  now(): Date {
    return new Date(this.at);
  }

  advance(ms: number): void {
    this.at += ms;
  }

  async wait(ms: number): Promise<void> {
    this.waits.push(ms);
    this.advance(ms);
    await this.onWait();
  }
}
