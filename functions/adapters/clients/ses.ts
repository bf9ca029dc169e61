/** The SES v2 client every kind of mail goes out through. */
import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { AppConfig } from '../config.ts';
import { clientBase } from './common.ts';

export function sesClient(config: AppConfig): SESv2Client {
  // SES throttles by rate: the SDK's standard retry backs off exponentially with jitter on
  // throttling and 5xx; five attempts ride out a burst without holding a tick for long.
  return new SESv2Client({ ...clientBase(config), endpoint: config.endpoints.ses, maxAttempts: 5 });
}
