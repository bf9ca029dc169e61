/** The SesEvents function's composition: DynamoDB and SES; no S3. */
import { dynamoDocumentClient } from '../adapters/clients/dynamodb.ts';
import { sesClient } from '../adapters/clients/ses.ts';
import type { AppConfig } from '../adapters/config.ts';
import { DynamoStore } from '../adapters/dynamo-store.ts';
import { createStaffMailRenderer } from '../adapters/email-renderer.ts';
import { sesMailer } from '../adapters/ses-mailer.ts';
import type { DeliveryProblemPorts } from '../use-cases/delivery-problems.ts';
import { type Clock, deliveryProblemPortsOf, wallClock } from './parts.ts';

export function sesEventsComposition(
  config: AppConfig,
  clock: Clock = wallClock,
): { ports: () => DeliveryProblemPorts } {
  const { documents } = dynamoDocumentClient(config);
  const parts = {
    config,
    store: new DynamoStore(documents, config.tableName),
    mailer: sesMailer(sesClient(config), config.ses),
    staffMail: createStaffMailRenderer(),
    clock,
  };
  return { ports: () => deliveryProblemPortsOf(parts) };
}
