/** A store twin holding both plans and the demo roster, loaded through the same use cases as `bangfu seed`. */
import { readFile } from 'node:fs/promises';
import { MemoryStore } from '../../functions/adapters/memory/memory-store.ts';
import { DEMO_ROSTER, readSeedFiles } from '../../functions/local/seed-files.ts';
import { importRoster } from '../../functions/use-cases/import-roster.ts';
import { loadSeeds } from '../../functions/use-cases/load-seeds.ts';

export async function seededMemoryStore(): Promise<MemoryStore> {
  const store = new MemoryStore();
  await loadSeeds(store, await readSeedFiles());
  await importRoster(store, { name: DEMO_ROSTER, text: await readFile(DEMO_ROSTER, 'utf8') });
  return store;
}
