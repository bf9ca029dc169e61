/**
 * A lease clock a test moves by hand, so a lease runs out without a test waiting for it.
 */
import type { LeaseClock } from '../../functions/use-cases/ports.ts';

export class TestLeaseClock implements LeaseClock {
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
}
