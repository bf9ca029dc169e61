/** Reads the seed files from disk into the loader's input. */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputRejectedError } from '../domain/validation.ts';
import type { SeedFile, SeedInput } from '../use-cases/load-seeds.ts';

/** The `seeds/` folder that ships with the code. */
export const SHIPPED_SEEDS = fileURLToPath(new URL('../../seeds/', import.meta.url));
export const DEMO_ROSTER = join(SHIPPED_SEEDS, 'roster', 'demo-roster.csv');

export async function readSeedFiles(dir: string = SHIPPED_SEEDS): Promise<SeedInput> {
  const programmeDir = join(dir, 'programmes');
  const names = (await readdir(programmeDir)).filter((n) => n.endsWith('.json')).sort();
  return {
    institutions: await readJson(join(dir, 'institutions.json')),
    programmes: await Promise.all(names.map((n) => readJson(join(programmeDir, n)))),
  };
}

async function readJson(path: string): Promise<SeedFile> {
  const name = relative(process.cwd(), path) || path;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InputRejectedError('seed files', [
      { file: name, field: '(file)', message: (error as Error).message },
    ]);
  }
  try {
    return { name, content: JSON.parse(text) };
  } catch (error) {
    throw new InputRejectedError('seed files', [
      { file: name, field: '(json)', message: (error as Error).message },
    ]);
  }
}
