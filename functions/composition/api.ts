/**
 * The Api function's composition: DynamoDB and S3 (presigning), and staff sign-in when configured; no
 * mail, no PDF rendering.
 */
import { dynamoDocumentClient } from '../adapters/clients/dynamodb.ts';
import { s3Client } from '../adapters/clients/s3.ts';
import type { AppConfig } from '../adapters/config.ts';
import { DynamoStore } from '../adapters/dynamo-store.ts';
import type { ApiParts } from '../adapters/http-api.ts';
import { type Clock, documentPortsOf, staffAccessOf, uploadPortsOf, wallClock } from './parts.ts';

export function apiComposition(config: AppConfig, clock: Clock = wallClock): ApiParts {
  const { documents } = dynamoDocumentClient(config);
  const s3 = s3Client(config);
  const store = new DynamoStore(documents, config.tableName);
  return {
    uploads: uploadPortsOf(config, { store, s3, clock }),
    documents: documentPortsOf(config, { store, s3, clock }),
    staff: staffAccessOf(config, { clock }),
  };
}
