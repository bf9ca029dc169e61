/**
 * Debian's chromium as the browser tests launch it (`BANGFU_CHROMIUM` to point elsewhere): headless,
 * and with everything off that would reach for the network this machine does not have (background
 * networking, component updates, sync, QUIC), so it starts quietly and fast.
 */
import { type Browser, chromium } from 'playwright-core';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.BANGFU_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}
