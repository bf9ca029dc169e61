#!/usr/bin/env node
/** The CDK app: `npx cdk synth` / `npx cdk deploy`. Configuration comes from context (cdk.json or -c). */
import { createBangfuApp } from './bangfu-app.ts';

createBangfuApp().app.synth();
