/**
 * Every AWS SDK client from one config, for the command line and the local stack, which use them all.
 * A deployed function builds only the clients it uses (functions/composition/).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from './clients/dynamodb.ts';
import { s3Client } from './clients/s3.ts';
import { sesClient } from './clients/ses.ts';
import type { AppConfig } from './config.ts';

export interface AwsClients {
  dynamodb: DynamoDBClient;
  documents: DynamoDBDocumentClient;
  s3: S3Client;
  ses: SESv2Client;
  destroy(): void;
}

export function createAwsClients(config: AppConfig): AwsClients {
  const { dynamodb, documents } = dynamoDocumentClient(config);
  const s3 = s3Client(config);
  const ses = sesClient(config);
  return {
    dynamodb,
    documents,
    s3,
    ses,
    destroy() {
      documents.destroy();
      dynamodb.destroy();
      s3.destroy();
      ses.destroy();
    },
  };
}
