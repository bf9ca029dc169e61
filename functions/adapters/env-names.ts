/** Environment variable names shared by `infra/` (which sets them) and `functions/` (which reads them). */
export const ENV = {
  region: 'AWS_REGION',
  tableName: 'BANGFU_TABLE',
  bucketName: 'BANGFU_BUCKET',
  sender: 'BANGFU_SENDER',
  dynamodbEndpoint: 'BANGFU_DYNAMODB_ENDPOINT',
  s3Endpoint: 'BANGFU_S3_ENDPOINT',
  sesEndpoint: 'BANGFU_SES_ENDPOINT',
  sesConfigurationSet: 'BANGFU_SES_CONFIGURATION_SET',
  sesMaxSendRate: 'BANGFU_SES_MAX_SEND_RATE',
  claimLeaseSeconds: 'BANGFU_CLAIM_LEASE_SECONDS',
} as const;
