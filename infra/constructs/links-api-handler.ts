/**
 * The function behind every route of the links API (functions/handlers/api.handler.ts): upload pages,
 * presigned POSTs, upload status, document downloads and the staff document list. It signs presigned
 * requests, so its role holds exactly what those requests may do, and an alarm watches its errors.
 *
 * Not a construct: the function is made directly in `scope` (the stack) under the id it has always had,
 * `Api`, so its logical ids and construct path stay the same.
 */
import type { Stack } from 'aws-cdk-lib';
import { INCOMING_PREFIX } from '../../functions/use-cases/ingest-upload.ts';
import { alarmOnErrors, BangfuFunction } from '../defaults.ts';
import { acknowledgeObjectPrefixes, queryTableAndIndexes, readLinkKey, tableItems } from '../grants.ts';
import { FUNCTION_FILES } from './function-files.ts';
import type { StatelessFunctionProps } from './function-props.ts';
import type { LinksApi } from './links-api.ts';
import { DOCUMENTS_PREFIX } from './scheduled-tick.ts';

export interface LinksApiHandlerProps extends StatelessFunctionProps {
  /** The HTTP API whose routes all go to this function. */
  readonly httpApi: LinksApi;
}

export class LinksApiHandler {
  readonly api: BangfuFunction;

  constructor(scope: Stack, props: LinksApiHandlerProps) {
    const { table, files } = props;
    this.api = new BangfuFunction(scope, 'Api', {
      entry: 'functions/handlers/api.handler.ts',
      description: 'bangfu upload pages, presigned POSTs, upload status, document downloads, staff list',
      assets: [...FUNCTION_FILES.email, ...FUNCTION_FILES.pages],
      environment: props.environment,
      tracing: props.tracing,
    });
    props.httpApi.routeTo(this.api.function);
    this.api.addToRolePolicy(queryTableAndIndexes(table));
    this.api.addToRolePolicy(
      tableItems('ReadAndRecordLinksAndSlots', table, [
        'dynamodb:GetItem',
        'dynamodb:BatchGetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
      ]),
    );
    // A presigned request can do what its signer's role may: POSTs for uploads under incoming/ only,
    // GETs of generated documents only.
    this.api.addToRolePolicy(files.objects('SignUploadPosts', ['s3:PutObject'], [INCOMING_PREFIX]));
    this.api.addToRolePolicy(files.objects('SignDocumentDownloads', ['s3:GetObject'], [DOCUMENTS_PREFIX]));
    this.api.addToRolePolicy(readLinkKey(props.linkKey));
    acknowledgeObjectPrefixes(this.api, [INCOMING_PREFIX], 'the API signs presigned upload POSTs');
    acknowledgeObjectPrefixes(this.api, [DOCUMENTS_PREFIX], 'the API signs presigned document GETs');

    alarmOnErrors(
      this.api,
      props.alarmAction,
      'The upload/download function crashed or timed out; people saw an API Gateway error. See its log group.',
    );
  }
}
