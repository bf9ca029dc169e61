/**
 * The deployed product as the command line's target (`bangfu --aws …`): the operator's machine acts on
 * the deployment with the config a Lambda gets. From the environment when it names the table (as in a
 * Lambda, or to point at another deployment), otherwise from the stateless stack's outputs, read with
 * the default AWS credential chain and region (profile, SSO, environment).
 */
import {
  CloudFormationClient,
  DescribeStacksCommand,
  type DescribeStacksCommandOutput,
} from '@aws-sdk/client-cloudformation';
import { type AppConfig, ConfigError, loadConfig } from '../adapters/config.ts';
import { DEPLOYED_ENV_OUTPUTS, ENV, STACK_NAMES } from '../adapters/env-names.ts';

/** The functions' environment from the stack's outputs; names every output the stack lacks. */
export function environmentFromOutputs(
  stackName: string,
  outputs: readonly { OutputKey?: string | undefined; OutputValue?: string | undefined }[],
): Record<string, string> {
  const byKey = new Map(outputs.map((o) => [o.OutputKey, o.OutputValue]));
  const environment: Record<string, string> = {};
  const missing: string[] = [];
  for (const [key, variable] of Object.entries(DEPLOYED_ENV_OUTPUTS)) {
    const value = byKey.get(key);
    if (value) environment[variable] = value;
    else missing.push(key);
  }
  if (missing.length > 0) {
    throw new ConfigError(
      `stack ${stackName} has no output ${missing.join(', ')}: it was deployed by an older bangfu; ` +
        'deploy this version (npx cdk deploy --all) first',
    );
  }
  return environment;
}

/** The config of the deployment `env` points at (see the module comment). */
export async function deployedConfig(env: NodeJS.ProcessEnv): Promise<AppConfig> {
  if (env[ENV.tableName]) return withLinkKey(env);
  const stackName = env.BANGFU_STACK ?? STACK_NAMES.stateless;
  const client = new CloudFormationClient({});
  try {
    let region: string;
    try {
      region = await client.config.region();
    } catch {
      throw new ConfigError('no AWS region: set AWS_REGION or a region in your AWS profile');
    }
    let described: DescribeStacksCommandOutput;
    try {
      described = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    } catch (error) {
      const e = error as Error;
      if (e.name === 'ValidationError') {
        throw new ConfigError(`no stack ${stackName} in ${region}: deploy first (npx cdk deploy --all)`);
      }
      throw new ConfigError(`could not read stack ${stackName} in ${region}: ${e.name}: ${e.message}`);
    }
    const outputs = environmentFromOutputs(stackName, described.Stacks?.[0]?.Outputs ?? []);
    return await withLinkKey({ ...env, [ENV.region]: region, ...outputs });
  } finally {
    client.destroy();
  }
}

/** loadConfig, with a failure to read the link-signing key said as such (no access, wrong region). */
async function withLinkKey(env: NodeJS.ProcessEnv): Promise<AppConfig> {
  try {
    return await loadConfig(env);
  } catch (error) {
    const e = error as Error;
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(
      `could not read the link-signing key ${env[ENV.ticketSecretArn]}: ${e.name}: ${e.message}`,
    );
  }
}
