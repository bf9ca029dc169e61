/** The DynamoDB document client a function's store talks through. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AppConfig } from '../config.ts';
import { clientBase } from './common.ts';

export function dynamoDocumentClient(config: AppConfig): {
  dynamodb: DynamoDBClient;
  documents: DynamoDBDocumentClient;
} {
  const dynamodb = new DynamoDBClient({ ...clientBase(config), endpoint: config.endpoints.dynamodb });
  const documents = DynamoDBDocumentClient.from(dynamodb, {
    marshallOptions: { removeUndefinedValues: true },
  });
  return { dynamodb, documents };
}
