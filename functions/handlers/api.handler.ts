/** The upload endpoints (API Gateway HTTP API). */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { loadConfig } from '../adapters/config.ts';
import { createApi } from '../adapters/http-api.ts';
import { apiComposition } from '../composition/api.ts';

const api = createApi(apiComposition(await loadConfig(process.env)));

export const handler = (event: APIGatewayProxyEventV2) => api(event);
