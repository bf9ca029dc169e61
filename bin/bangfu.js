#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx bangfu` needs no build step.
import { register } from 'tsx/esm/api';
import './quiet-sdk-warning.js';

register();
const { runCli } = await import('../functions/local/cli/index.ts');
process.exitCode = await runCli(process.argv.slice(2));
