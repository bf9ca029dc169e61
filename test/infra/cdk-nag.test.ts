/**
 * cdk-nag's AwsSolutions pack runs on every synth (infra/bangfu-app.ts): an unacknowledged error fails
 * it. These tests also hold warnings to zero and keep every acknowledgement honest: each must silence a
 * finding that exists, on the construct it names, with its own reason.
 */
import { Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, describe, expect, it } from 'vitest';
import { type SynthesisedApp, synthBangfuApp } from './support/bangfu-app.ts';

/**
 * The same pack, blind to acknowledgements: what cdk-nag would report with none. Relies on cdk-nag 3's
 * private `isAcknowledged`; if a release renames it, the stale-acknowledgement test fails loudly.
 */
class AwsSolutionsFindings extends AwsSolutionsChecks {}
Object.defineProperty(AwsSolutionsFindings.prototype, 'isAcknowledged', { value: () => false });

interface Finding {
  rule: string;
  path: string;
}

function findingsOf(report: ReturnType<AwsSolutionsChecks['validateScope']>): Finding[] {
  return report.violations.flatMap((v) =>
    v.violatingResources.map((r) => ({ rule: v.ruleName, path: r.constructPath ?? '' })),
  );
}

/** Every `Validations.of(c).acknowledge(...)` in the app: rule, where, and the reason given. */
function acknowledgementsOf(root: IConstruct) {
  return root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({
          rule: id.replace(/^annotation::/i, ''),
          path: c.node.path,
          reason,
        })),
      ),
  );
}

const variants: [string, Record<string, unknown>][] = [
  ['default settings (cdk.json)', {}],
  [
    'every option on',
    {
      'bangfu:sender': 'noreply@bangfu.example.org',
      'bangfu:domain': 'bangfu.example.org',
      'bangfu:alarmEmail': 'ops@example.org',
      'bangfu:sandboxRecipients': ['lead@example.org'],
      'bangfu:sesMaxSendRate': 14,
      'bangfu:tracing': true,
      'bangfu:apiDomain': 'links.bangfu.example.org',
      'bangfu:apiCertificateArn':
        'arn:aws:acm:ap-southeast-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9',
      'bangfu:staffAuthDomain': 'login.bangfu.example.org',
      'bangfu:staffAuthCertificateArn':
        'arn:aws:acm:us-east-1:123456789012:certificate/7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d',
    },
  ],
];

describe.each(variants)('cdk-nag AwsSolutions with %s', (_name, context) => {
  const apps: SynthesisedApp[] = [];
  const synth = () => {
    apps[0] ??= synthBangfuApp(context);
    return apps[0];
  };
  afterAll(() => {
    for (const app of apps) app.remove();
  });

  it('reports nothing unacknowledged, errors or warnings, in the synthesised validation report', () => {
    const app = synth();
    const reports = app.validationReport().pluginReports;
    expect(reports.flatMap((r) => r.violations)).toEqual([]);
    expect(findingsOf(new AwsSolutionsChecks().validateScope(app.app))).toEqual([]);
  });

  it('leaves no CDK warning or error annotation on either stack', () => {
    const app = synth();
    for (const stack of [app.stateful, app.stateless]) {
      expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
      expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
    }
  });

  it('acknowledges only findings that exist, each on its own construct with its own specific reason', () => {
    const app = synth();
    const findings = findingsOf(new AwsSolutionsFindings().validateScope(app.app));
    const acknowledgements = acknowledgementsOf(app.app);
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const ack of acknowledgements) {
      const silenced = findings.filter((f) => f.rule === ack.rule && f.path.startsWith(`${ack.path}/`));
      expect(silenced, `${ack.rule} at ${ack.path} silences nothing`).not.toEqual([]);
      expect(ack.reason.length, `${ack.rule} at ${ack.path}: reason too short`).toBeGreaterThanOrEqual(80);
    }
    // Never a whole stack or the app: each acknowledgement sits on a resource's own construct.
    for (const ack of acknowledgements) expect(ack.path.split('/').length).toBeGreaterThanOrEqual(2);
    expect(new Set(acknowledgements.map((a) => a.reason)).size).toBe(acknowledgements.length);
  });
});
