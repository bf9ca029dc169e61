/**
 * Builds and synthesises the real CDK app (infra/bangfu-app.ts) with cdk.json's context, as `cdk synth`
 * would, but without running esbuild (context `aws:cdk:bundling-stacks: []`), into a temporary directory.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { createBangfuApp } from '../../../infra/bangfu-app.ts';

export const CDK_JSON_CONTEXT: Record<string, unknown> = JSON.parse(
  readFileSync(new URL('../../../cdk.json', import.meta.url), 'utf8'),
).context;

export type SynthesisedApp = ReturnType<typeof synthBangfuApp>;

/** `context` overrides cdk.json's keys (`bangfu:domain`, …) for one variant of the app. */
export function synthBangfuApp(context: Record<string, unknown> = {}) {
  const outdir = mkdtempSync(join(tmpdir(), 'bangfu-cdk-'));
  const built = createBangfuApp({
    outdir,
    context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [], ...context },
  });
  const assembly = built.app.synth();
  return {
    ...built,
    assembly,
    statefulTemplate: Template.fromStack(built.stateful),
    statelessTemplate: Template.fromStack(built.stateless),
    /** The policy-validation report CDK writes next to the templates. */
    validationReport(): { pluginReports: { pluginName: string; violations: unknown[] }[] } {
      return JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8'));
    },
    remove: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

/** The logical id of a construct's CloudFormation resource, for `Ref` / `Fn::GetAtt` expectations. */
export function logicalId(construct: IConstruct): string {
  const resource = (construct.node.defaultChild ?? construct) as CfnElement;
  return Stack.of(construct).getLogicalId(resource);
}

export const ref = (construct: IConstruct) => ({ Ref: logicalId(construct) });
export const arnOf = (construct: IConstruct) => ({ 'Fn::GetAtt': [logicalId(construct), 'Arn'] });
