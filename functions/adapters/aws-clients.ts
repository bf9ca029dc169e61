/** Builds every AWS SDK client from one config, once per process. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AppConfig } from './config.ts';

export interface AwsClients {
  dynamodb: DynamoDBClient;
  documents: DynamoDBDocumentClient;
  s3: S3Client;
  ses: SESv2Client;
  destroy(): void;
}

export function createAwsClients(config: AppConfig): AwsClients {
  const common = {
    region: config.region,
    ...(config.credentials ? { credentials: config.credentials } : {}),
  };
  const dynamodb = new DynamoDBClient({ ...common, endpoint: config.endpoints.dynamodb });
  const documents = DynamoDBDocumentClient.from(dynamodb, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const s3 = new S3Client({
    ...common,
    endpoint: config.endpoints.s3,
    // Path-style addressing is what the local S3 stand-in speaks; real S3 needs virtual-hosted style.
    forcePathStyle: Boolean(config.endpoints.s3),
    // Checksums the SDK adds by default break presigned uploads (LOCAL-AWS-NOTES: S3).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  // SES throttles by rate: the SDK's standard retry backs off exponentially with jitter on
  // throttling and 5xx; five attempts ride out a burst without holding a tick for long.
  const ses = new SESv2Client({ ...common, endpoint: config.endpoints.ses, maxAttempts: 5 });
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
