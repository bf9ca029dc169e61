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
  publicUrl: 'BANGFU_PUBLIC_URL',
  ticketSecret: 'BANGFU_TICKET_SECRET',
  /** On AWS: the Secrets Manager secret holding the link-signing key, read once at cold start. */
  ticketSecretArn: 'BANGFU_TICKET_SECRET_ARN',
  maxUploadBytes: 'BANGFU_MAX_UPLOAD_BYTES',
  linkGraceDays: 'BANGFU_LINK_GRACE_DAYS',
} as const;
