#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx bangfu` needs no build step.
import { register } from 'tsx/esm/api';

// The AWS SDK warns on every run that releases after January 2027 need Node 22; Lambdas already run
// Node 22 (infra/), and the local CLI keeps working on Node 20, so that one notice is noise here.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (!String(warning.message).includes('NodeVersionSupportWarning')) console.warn(warning);
});

register();
const { runCli } = await import('../functions/local/cli.ts');
process.exitCode = await runCli(process.argv.slice(2));
