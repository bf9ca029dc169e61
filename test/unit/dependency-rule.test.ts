/**
 * The dependency rule (domain ← use cases ← adapters ← composition) is enforced by Biome's restricted
 * imports (biome.json): a wrong-way import fails `npm test`. Each case writes a one-line module into
 * the layer, lints it with the project's own configuration, and removes it.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;
const BIOME = new URL('../../node_modules/.bin/biome', import.meta.url).pathname;

async function lint(folder: string, importLine: string): Promise<{ ok: boolean; output: string }> {
  const file = `functions/${folder}/zz-dependency-fixture-${randomBytes(4).toString('hex')}.ts`;
  await writeFile(`${ROOT}${file}`, `${importLine}\n\nexport const used = imported;\n`);
  try {
    await run(BIOME, ['lint', '--colors=off', file], { cwd: ROOT });
    return { ok: true, output: '' };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  } finally {
    await rm(`${ROOT}${file}`, { force: true });
  }
}

describe('the dependency rule', () => {
  it.each([
    [
      'use-cases',
      "import { DynamoStore as imported } from '../adapters/dynamo-store.ts';",
      'A use case imports',
    ],
    [
      'use-cases',
      "import { createWiring as imported } from '../composition/wiring.ts';",
      'A use case imports',
    ],
    ['use-cases', "import { S3Client as imported } from '@aws-sdk/client-s3';", 'through a port'],
    [
      'domain',
      "import { sendOnce as imported } from '../use-cases/send-once.ts';",
      'The domain depends on nothing',
    ],
    ['domain', "import { createHash as imported } from 'node:crypto';", 'knows nothing of AWS or I/O'],
    [
      'adapters',
      "import { createWiring as imported } from '../composition/wiring.ts';",
      'Adapters implement ports',
    ],
  ])('refuses an import outward from %s: %s', { timeout: 30_000 }, async (folder, importLine, message) => {
    const result = await lint(folder, importLine);
    expect(result.ok).toBe(false);
    expect(result.output).toContain('noRestrictedImports');
    expect(result.output).toContain(message);
  });

  it.each([
    ['composition', "import { DynamoStore as imported } from '../adapters/dynamo-store.ts';"],
    ['use-cases', "import { sendOnce as imported } from './send-once.ts';"],
    ['adapters', "import { sendOnce as imported } from '../use-cases/send-once.ts';"],
  ])('allows an import inward from %s: %s', { timeout: 30_000 }, async (folder, importLine) => {
    expect(await lint(folder, importLine)).toEqual({ ok: true, output: '' });
  });
});
