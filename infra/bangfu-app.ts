/**
 * The whole CDK app as a function, so `infra/app.ts` (the CLI's entry) and the tests build the same
 * thing: settings from context, both stacks, cdk-nag's AwsSolutions checks on every synth.
 */
import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { STACK_NAMES } from '../functions/adapters/env-names.ts';
import { settingsFromContext } from './settings.ts';
import { StatefulStack } from './stateful-stack.ts';
import { StatelessStack } from './stateless-stack.ts';

export function createBangfuApp(props: AppProps = {}) {
  const app = new App(props);
  const settings = settingsFromContext((key) => app.node.tryGetContext(key));
  const stateful = new StatefulStack(app, STACK_NAMES.stateful, {
    description: 'bangfu: table and buckets (data that must survive redeploys)',
  });
  const stateless = new StatelessStack(app, STACK_NAMES.stateless, {
    description: 'bangfu: functions, schedule, mail sending, alarms',
    table: stateful.table,
    files: stateful.files,
    settings,
  });
  // Any unacknowledged AwsSolutions error fails the synth; warnings are listed in the report.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, settings, stateful, stateless };
}
