/**
 * `npx tsx test/bench/synthetic/cli.ts --pairings 1000 --out DIR [--seed 1]`: writes a synthetic
 * programme as a seed folder, for `bangfu seed --dir DIR` and `bangfu roster import DIR/roster/roster.csv`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SYNTHETIC_PROGRAMME_ID, syntheticPlan } from './synthetic-plan.ts';

const { values } = parseArgs({
  options: {
    pairings: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string' },
  },
});
if (!values.out) {
  console.error('usage: cli.ts --pairings 1000 --out DIR [--seed 1]');
  process.exit(2);
}
const out = resolve(values.out);
const plan = syntheticPlan({ pairings: Number(values.pairings), seed: Number(values.seed) });
await mkdir(join(out, 'programmes'), { recursive: true });
await mkdir(join(out, 'roster'), { recursive: true });
await writeFile(join(out, 'institutions.json'), `${JSON.stringify(plan.institutions, null, 2)}\n`);
await writeFile(
  join(out, 'programmes', `${SYNTHETIC_PROGRAMME_ID}.json`),
  `${JSON.stringify(plan.programme, null, 2)}\n`,
);
await writeFile(join(out, 'roster', 'roster.csv'), plan.roster);
const { pairings, institutions, contacts } = plan.counts;
console.log(`${pairings} pairings, ${institutions} institutions, ${contacts} contacts in ${out}
  bangfu seed --dir ${out}
  bangfu roster import ${join(out, 'roster', 'roster.csv')}`);
