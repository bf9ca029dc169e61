import { describe, expect, it } from 'vitest';
import { bundleLayout } from '../../infra/defaults.ts';

describe('bundle layout of a function', () => {
  it('moves the bundle to the entry directory and copies assets to their repository paths', () => {
    const layout = bundleLayout('functions/handlers/tick.handler.ts', ['templates/email']);
    expect(layout.handlerDir).toBe('functions/handlers');
    expect(layout.commands('/repo', '/out')).toEqual([
      "mkdir -p '/out/functions/handlers'",
      "mv '/out/index.mjs' '/out/index.mjs.map' '/out/functions/handlers'/",
      "mkdir -p '/out/templates' && cp -R '/repo/templates/email' '/out/templates/email'",
    ]);
  });

  it('refuses an entry or an asset outside the repository', () => {
    expect(() => bundleLayout('tick.ts', [])).toThrow(/inside the repository/);
    expect(() => bundleLayout('functions/handlers/tick.handler.ts', ['../secrets'])).toThrow(
      /inside the repository/,
    );
  });
});
