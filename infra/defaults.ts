/**
 * Secure defaults in one place (after aws-solutions-constructs' `*-defaults.ts`): every bucket, function,
 * dead-letter queue and alarm of bangfu is built here, so a stack says only what is particular to it.
 *
 * - Buckets: nothing public, SSE-S3, TLS 1.2+ only, bucket-owner objects, retained.
 * - Functions: esbuild bundle (ESM, minified, source maps), arm64, one pinned Node runtime, JSON logs
 *   in their own log group with a retention, a role that starts empty (no AWS managed policy) so each
 *   stack adds exactly the statements its code needs, environment only through the shared ENV names.
 * - Dead-letter queues: SQS-managed encryption, TLS only, 14 days to look at a failure.
 * - Alarms: any error, any dead letter, to one KMS-encrypted SNS topic.
 */
import { dirname, join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IAlarmAction,
  type IMetric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import {
  type IGrantable,
  type IPrincipal,
  PolicyStatement,
  Role,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, BucketEncryption, type BucketProps, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../functions/adapters/env-names.ts';

/** The repository root: esbuild's project root, and what `entry` and `assets` are relative to. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * One runtime for every function. nodejs22.x: AWS SDK v3 releases from early 2027 need Node 22 or later,
 * and the code is developed and tested on Node 20–22; nodejs24.x is the newer runtime (cdk-nag L1).
 */
export const LAMBDA_RUNTIME = Runtime.NODEJS_22_X;
const RUNTIME_ACKNOWLEDGEMENT =
  'Pinned to nodejs22.x, the Node line the code is developed and tested on (local stack on Node 20-22; ' +
  'the AWS SDK v3 needs Node 22+ from 2027); nodejs24.x is newer but untested here. Move LAMBDA_RUNTIME ' +
  'in infra/defaults.ts when the test suite runs on Node 24.';

// ---------------------------------------------------------------------------------------------- buckets

/** Private, encrypted, TLS-only, owner-enforced, retained: the base of every bucket. */
export function privateBucketProps(): BucketProps {
  return {
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    encryption: BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    removalPolicy: RemovalPolicy.RETAIN,
  };
}

// -------------------------------------------------------------------------------------------- functions

/** ENV keys a function can be given; the region is Lambda's own, the endpoints are for local only. */
export type FunctionEnvKey = Exclude<
  keyof typeof ENV,
  'region' | 'dynamodbEndpoint' | 's3Endpoint' | 'sesEndpoint'
>;
export type FunctionEnvironment = Partial<Record<FunctionEnvKey, string>>;

export interface BangfuFunctionProps {
  /** The handler file relative to the repository root, e.g. `functions/handlers/tick.handler.ts`. */
  readonly entry: string;
  /** The exported handler. @default 'handler' */
  readonly handler?: string;
  readonly description: string;
  /** Configuration, by the ENV names `functions/adapters/config.ts` reads. */
  readonly environment: FunctionEnvironment;
  /**
   * Files or directories the code reads at run time (email templates, the CJK font), relative to the
   * repository root; each is copied into the bundle at the same relative path (see `bundleLayout`).
   * @default - none
   */
  readonly assets?: readonly string[];
  /**
   * Node subpath imports (`#name`) that bundled code still resolves at run time, through a `require`
   * made with `createRequire` that esbuild cannot follow; written to a `package.json` at the package
   * root, the scope Node resolves them in. Each target is a package's export (`pkg/sub/*`; Node refuses
   * targets under node_modules/ by path) whose `node_modules/pkg/package.json` is among `assets`. See
   * `PDFKIT_RUNTIME_FILES`. @default - none
   */
  readonly runtimeImports?: Readonly<Record<string, string>>;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  /**
   * For functions invoked asynchronously (scheduler, S3, SNS): where an event lands after Lambda's own
   * retries have failed. Use `deadLetterQueue()`. @default - none (synchronous callers see the error)
   */
  readonly deadLetterQueue?: IQueue;
  /** With `deadLetterQueue`: Lambda's retries of a failed asynchronous invocation. @default 2 */
  readonly retryAttempts?: number;
  /** With `deadLetterQueue`: how long Lambda keeps retrying an event. @default Duration.hours(6) */
  readonly maxEventAge?: Duration;
  /** X-Ray active tracing. @default false */
  readonly tracing?: boolean;
  /** @default RetentionDays.ONE_YEAR (a whole plan year of runs) */
  readonly logRetention?: RetentionDays;
}

/**
 * A bangfu Lambda: NodejsFunction with the defaults above, its own log group, and a role that holds
 * only `logs:CreateLogStream`/`logs:PutLogEvents` on that log group until the stack adds statements
 * with `addToRolePolicy` (explicit actions and resources, no `grant*` shortcuts that add more).
 */
export class BangfuFunction extends Construct implements IGrantable {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  readonly grantPrincipal: IPrincipal;

  constructor(scope: Construct, id: string, props: BangfuFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Instead of AWSLambdaBasicExecutionRole (which may write to every log group of the account).
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `bangfu ${id}: exactly the grants its code uses`,
    });
    this.grantPrincipal = this.role;
    this.role.addToPolicy(
      new PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    const layout = bundleLayout(props.entry, props.assets ?? [], props.runtimeImports);
    this.function = new NodejsFunction(this, 'Function', {
      entry: join(REPO_ROOT, props.entry),
      handler: `${layout.handlerDir}/index.${props.handler ?? 'handler'}`,
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      description: props.description,
      runtime: LAMBDA_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      tracing: props.tracing ? Tracing.ACTIVE : Tracing.DISABLED,
      environment: {
        ...functionEnvironment(props.environment),
        // Minified stack traces are unreadable without the source map next to the bundle.
        NODE_OPTIONS: '--enable-source-maps',
      },
      ...(props.deadLetterQueue
        ? {
            deadLetterQueue: props.deadLetterQueue,
            retryAttempts: props.retryAttempts ?? 2,
            maxEventAge: props.maxEventAge ?? Duration.hours(6),
          }
        : {}),
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        minify: true,
        sourceMap: true,
        // File and line in stack traces are enough; the sources themselves would double the bundle.
        sourcesContent: false,
        // Prefer a package's ESM build; CommonJS dependencies still bundle through esbuild's wrapper.
        mainFields: ['module', 'main'],
        // Bundled CommonJS code may `require` Node built-ins, which an ES module has no `require` for.
        banner:
          "import { createRequire as bangfuCreateRequire } from 'node:module'; " +
          'const require = bangfuCreateRequire(import.meta.url);',
        // Bundle the AWS SDK too: the version the tests ran is the version that runs.
        externalModules: [],
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir, outputDir) => layout.commands(inputDir, outputDir),
        },
      },
    });

    // Each acknowledgement names its own function, so every reason in the app stays specific.
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason: `${id}: ${RUNTIME_ACKNOWLEDGEMENT}`,
    });
    if (props.tracing) {
      Validations.of(this.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions ' +
          `(Service Authorization Reference, AWS X-Ray); added to ${id} only when bangfu:tracing is true.`,
      });
    }
  }

  /** Adds one explicit statement to the function's role. */
  addToRolePolicy(statement: PolicyStatement): void {
    this.role.addToPolicy(statement);
  }
}

/**
 * Where the bundle and its files sit in the Lambda package. The bundle moves from `index.mjs` to the
 * entry's own directory (`functions/handlers/index.mjs`) and each asset is copied to its repository
 * path, so code that finds files relative to its module, like
 * `new URL('../../templates/email/', import.meta.url)` in `functions/adapters/`, resolves in the Lambda
 * exactly as in the repository. (Every module lands in the one bundle file: this holds for modules at
 * the entry's depth, which is every module directly under `functions/<folder>/`; the CLI synth test
 * checks every such URL of every bundle.) With `runtimeImports`, a `package.json` at the package root
 * maps those `#name` specifiers to the exports of a copied package.
 */
export function bundleLayout(
  entry: string,
  assets: readonly string[],
  runtimeImports: Readonly<Record<string, string>> = {},
) {
  const handlerDir = posix.dirname(entry.split('\\').join('/'));
  if (handlerDir === '.' || handlerDir.startsWith('..')) {
    throw new Error(
      `function entry ${entry} must be a path inside the repository, like functions/handlers/x.ts`,
    );
  }
  for (const asset of assets) {
    const inside = relative(REPO_ROOT, join(REPO_ROOT, asset));
    if (inside.startsWith('..') || inside === '')
      throw new Error(`asset ${asset} must be inside the repository`);
  }
  for (const [specifier, target] of Object.entries(runtimeImports)) {
    // Node refuses package-import targets inside node_modules/ by path; a package's own export is fine.
    const packageName = target.match(/^((?:@[\w.-]+\/)?[\w.-]+)\//)?.[1];
    const copied = packageName !== undefined && assets.includes(`node_modules/${packageName}/package.json`);
    if (!specifier.startsWith('#') || !copied) {
      throw new Error(
        `runtime import ${specifier} -> ${target}: must map a #name to a package whose package.json is copied by assets`,
      );
    }
  }
  const packageJson =
    Object.keys(runtimeImports).length > 0
      ? JSON.stringify({ private: true, imports: runtimeImports })
      : undefined;
  return {
    handlerDir,
    commands(inputDir: string, outputDir: string): string[] {
      const at = (root: string, path: string) => shellQuote(join(root, path));
      return [
        `mkdir -p ${at(outputDir, handlerDir)}`,
        `mv ${at(outputDir, 'index.mjs')} ${at(outputDir, 'index.mjs.map')} ${at(outputDir, handlerDir)}/`,
        ...assets.map(
          (asset) =>
            `mkdir -p ${shellQuote(dirname(join(outputDir, asset)))} && cp -R ${at(inputDir, asset)} ${at(outputDir, asset)}`,
        ),
        ...(packageJson ? [`echo ${shellQuote(packageJson)} > ${at(outputDir, 'package.json')}`] : []),
      ];
    },
  };
}

/**
 * What pdfkit reads at run time besides its bundled code: it loads the standard fonts (Helvetica, the
 * default font of every new document, even one that then uses only an embedded TTF) with
 * `createRequire(import.meta.url)('#standard-fonts/Helvetica')`, a package import esbuild leaves for
 * run time. Without these, `new PDFDocument()` throws "Cannot find module '#standard-fonts/Helvetica'"
 * in the Lambda (measured on the bundled tick, pdfkit 0.20). The import resolves through pdfkit's own
 * `exports` (`pdfkit/standard-fonts/*`), so its package.json travels with the font modules.
 */
export const PDFKIT_RUNTIME_FILES = {
  assets: ['node_modules/pdfkit/package.json', 'node_modules/pdfkit/js/standard-fonts'],
  runtimeImports: { '#standard-fonts/*': 'pdfkit/standard-fonts/*' },
} as const;

function functionEnvironment(environment: FunctionEnvironment): Record<string, string> {
  const entries = Object.entries(environment).filter(([, value]) => value !== undefined) as [
    FunctionEnvKey,
    string,
  ][];
  return Object.fromEntries(entries.map(([key, value]) => [ENV[key], value]));
}

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}

// ------------------------------------------------------------------------------------ dead-letter queues

/** A standard queue for failed events: encrypted, TLS only, kept 14 days (the SQS maximum). */
export function deadLetterQueue(scope: Construct, id: string): Queue {
  return new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
}

/**
 * For a dead-letter queue that cdk-nag cannot see as one (AwsSolutions-SQS3 recognises only queues named
 * in an SQS redrive policy or a Lambda DeadLetterConfig): say whose failures it holds.
 */
export function acknowledgeDeadLetterQueue(queue: Queue, holdsFailuresOf: string): void {
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason:
      `This queue is itself the dead-letter queue of ${holdsFailuresOf}, wired outside SQS and Lambda ` +
      'DeadLetterConfig where cdk-nag looks; a dead-letter queue of a dead-letter queue would only move ' +
      'the same messages, and its own alarm reports any message in it.',
  });
}

// ----------------------------------------------------------------------------------------------- alarms

export interface AlarmTopicProps {
  /** Subscribed by email (AWS sends a confirmation first). @default - no subscription */
  readonly email?: string;
}

/**
 * The SNS topic every alarm notifies. KMS-encrypted with a customer-managed key because CloudWatch
 * cannot publish to a topic encrypted with the AWS-managed `aws/sns` key.
 */
export class AlarmTopic extends Construct {
  readonly topic: Topic;
  readonly action: IAlarmAction;

  constructor(scope: Construct, id: string, props: AlarmTopicProps = {}) {
    super(scope, id);
    const key = new Key(this, 'Key', {
      description: 'bangfu alarm notifications',
      enableKeyRotation: true,
      // Only in-flight notifications are ever encrypted with it: nothing to keep when the stack goes.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.topic = new Topic(this, 'Topic', { displayName: 'bangfu alarms', masterKey: key });
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));
    this.action = new SnsAction(this.topic);
  }
}

/** Alarms on the first data point at or above `threshold` in a five-minute period; no data is fine. */
export function alarmOn(
  scope: Construct,
  id: string,
  props: { metric: IMetric; description: string; action: IAlarmAction; threshold?: number },
): Alarm {
  const alarm = new Alarm(scope, id, {
    metric: props.metric,
    threshold: props.threshold ?? 1,
    evaluationPeriods: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
    alarmDescription: props.description,
  });
  alarm.addAlarmAction(props.action);
  return alarm;
}

/** Any invocation error of the function. */
export function alarmOnErrors(fn: BangfuFunction, action: IAlarmAction, description: string): Alarm {
  return alarmOn(fn, 'ErrorsAlarm', {
    metric: fn.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
    description,
    action,
  });
}

/** Any message in a dead-letter queue. */
export function alarmOnDeadLetters(queue: Queue, action: IAlarmAction, description: string): Alarm {
  return alarmOn(queue, 'MessagesAlarm', {
    metric: queue.metricApproximateNumberOfMessagesVisible({
      period: Duration.minutes(5),
      statistic: 'Maximum',
    }),
    description,
    action,
  });
}
