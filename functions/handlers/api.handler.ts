/** The upload endpoints (API Gateway HTTP API); its request log goes through the function's logger. */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { loadConfig } from '../adapters/config.ts';
import { createApi } from '../adapters/http-api.ts';
import { apiComposition } from '../composition/api.ts';
import { functionLogger, logEntryTo, observed } from './telemetry.ts';

const logger = functionLogger('api');
const api = createApi(apiComposition(await loadConfig(process.env)), logEntryTo(logger));

export const handler = observed({ logger }, (event: APIGatewayProxyEventV2) => api(event));
