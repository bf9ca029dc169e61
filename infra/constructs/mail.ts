/**
 * The SES side of bangfu: the sending identity (the sender address, or its whole domain with Easy DKIM)
 * and the configuration set every message goes through. Its bounces and complaints reach the
 * ses-events function through EventBridge (delivery-events.ts).
 */
import { CfnOutput, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { ConfigurationSet, EmailIdentity, Identity, SuppressionReasons } from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

export interface MailProps {
  /** The From address of every email. */
  readonly sender: string;
  /** Verify this domain (DKIM records as stack outputs) instead of the single address. @default - none */
  readonly domain?: string;
}

export class Mail extends Construct {
  readonly identity: EmailIdentity;
  readonly configurationSet: ConfigurationSet;
  /** IAM resource ARN of the configuration set (the L2 exposes only its name). */
  readonly configurationSetArn: string;

  constructor(scope: Construct, id: string, props: MailProps) {
    super(scope, id);
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      sendingEnabled: true,
      reputationMetrics: true,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.configurationSetArn = Stack.of(this).formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSet.configurationSetName,
    });
    this.identity = new EmailIdentity(this, 'Identity', {
      identity: props.domain ? Identity.domain(props.domain) : Identity.email(props.sender),
      // The identity's default: a message sent without ConfigurationSetName is still tracked.
      configurationSet: this.configurationSet,
    });
    if (props.domain) {
      this.identity.dkimRecords.forEach((record, i) => {
        new CfnOutput(this, `DkimRecord${i + 1}`, {
          description: `CNAME record ${i + 1} of 3 to publish in the DNS of ${props.domain}`,
          value: `${record.name} CNAME ${record.value}`,
        });
      });
    }
  }

  /**
   * Sending from this identity through this configuration set, nothing else. SES v2 SendEmail with raw
   * content is authorised as `ses:SendRawEmail`, with simple content as `ses:SendEmail`: both, on the
   * same two resources. While the account is in the SES sandbox, SES also checks the (verified)
   * recipients' identities: pass them as `sandboxRecipients`.
   */
  sendingStatement(sandboxRecipients: readonly string[] = []): PolicyStatement {
    const stack = Stack.of(this);
    return new PolicyStatement({
      sid: 'SendFromBangfuIdentity',
      actions: ['ses:SendEmail', 'ses:SendRawEmail'],
      resources: [
        this.identity.emailIdentityArn,
        this.configurationSetArn,
        ...sandboxRecipients.map((email) =>
          stack.formatArn({ service: 'ses', resource: 'identity', resourceName: email }),
        ),
      ],
    });
  }
}
