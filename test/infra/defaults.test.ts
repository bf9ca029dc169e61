import { describe, expect, it } from 'vitest';
import { bundleLayout, PDFKIT_RUNTIME_FILES } from '../../infra/defaults.ts';

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

  it("writes a package.json that maps runtime #imports to a copied package's exports", () => {
    const layout = bundleLayout(
      'functions/handlers/tick.handler.ts',
      PDFKIT_RUNTIME_FILES.assets,
      PDFKIT_RUNTIME_FILES.runtimeImports,
    );
    const commands = layout.commands('/repo', '/out');
    expect(commands).toContain(
      "mkdir -p '/out/node_modules/pdfkit/js' && cp -R '/repo/node_modules/pdfkit/js/standard-fonts' '/out/node_modules/pdfkit/js/standard-fonts'",
    );
    expect(commands.at(-1)).toBe(
      `echo '{"private":true,"imports":{"#standard-fonts/*":"pdfkit/standard-fonts/*"}}' > '/out/package.json'`,
    );
  });

  it('refuses an entry or an asset outside the repository', () => {
    expect(() => bundleLayout('tick.ts', [])).toThrow(/inside the repository/);
    expect(() => bundleLayout('functions/handlers/tick.handler.ts', ['../secrets'])).toThrow(
      /inside the repository/,
    );
  });

  it('refuses a runtime import whose package does not travel with the bundle', () => {
    expect(() =>
      bundleLayout('functions/handlers/tick.handler.ts', ['node_modules/pdfkit/js/standard-fonts'], {
        '#standard-fonts/*': 'pdfkit/standard-fonts/*',
      }),
    ).toThrow(/package\.json is copied/);
    expect(() =>
      bundleLayout('functions/handlers/tick.handler.ts', PDFKIT_RUNTIME_FILES.assets, {
        'standard-fonts/*': 'pdfkit/standard-fonts/*',
      }),
    ).toThrow(/#name/);
  });
});
