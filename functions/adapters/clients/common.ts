/** What every SDK client of a function shares: the region, and static credentials locally. */
import type { AppConfig } from '../config.ts';

export function clientBase(config: AppConfig) {
  return {
    region: config.region,
    ...(config.credentials ? { credentials: config.credentials } : {}),
  };
}
