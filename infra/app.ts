#!/usr/bin/env node
/** The CDK app: `npx cdk synth` / `npx cdk deploy`. Configuration comes from context (cdk.json or -c). */
import { App } from 'aws-cdk-lib';
import { StatefulStack } from './stateful-stack.ts';

const app = new App();
new StatefulStack(app, 'BangfuStateful', {
  description: 'bangfu: table and buckets (data that must survive redeploys)',
});
app.synth();
