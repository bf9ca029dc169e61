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
  /** On AWS: the queue the daily tick leaves pages of due reminders in for the reminder workers. */
  reminderQueueUrl: 'BANGFU_REMINDER_QUEUE_URL',
  publicUrl: 'BANGFU_PUBLIC_URL',
  ticketSecret: 'BANGFU_TICKET_SECRET',
  /** On AWS: the Secrets Manager secret holding the link-signing key, read once at cold start. */
  ticketSecretArn: 'BANGFU_TICKET_SECRET_ARN',
  maxUploadBytes: 'BANGFU_MAX_UPLOAD_BYTES',
  linkGraceDays: 'BANGFU_LINK_GRACE_DAYS',
  /** Staff sign-in: the OpenID Connect issuer, `https://cognito-idp.<region>.amazonaws.com/<pool id>` on AWS. */
  staffIssuer: 'BANGFU_STAFF_ISSUER',
  /** Staff sign-in: the console's app client id. */
  staffClientId: 'BANGFU_STAFF_CLIENT_ID',
  /** Staff sign-in: Cognito's `/logout` endpoint on the managed login domain. */
  staffLogoutUrl: 'BANGFU_STAFF_LOGOUT_URL',
} as const;

/** The two stacks `infra/` deploys. */
export const STACK_NAMES = { stateful: 'BangfuStateful', stateless: 'BangfuStateless' } as const;

/**
 * Outputs of the stateless stack, each the variable of the functions' environment it carries: what a
 * machine outside AWS needs to act on the deployment as the functions do (`bangfu --aws …`).
 */
export const DEPLOYED_ENV_OUTPUTS = {
  TableName: ENV.tableName,
  FilesBucketName: ENV.bucketName,
  SenderAddress: ENV.sender,
  PublicUrl: ENV.publicUrl,
  LinkSigningKeyArn: ENV.ticketSecretArn,
  SesConfigurationSetName: ENV.sesConfigurationSet,
} as const;
