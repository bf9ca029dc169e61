/**
 * The function behind every route of the links API (functions/handlers/api.handler.ts): upload pages,
 * presigned POSTs, upload status, document downloads and the staff console. It signs presigned
 * requests, so its role holds exactly what those requests may do, and an alarm watches its errors.
 *
 * Not a construct: the function is made directly in `scope` (the stack) under the id it has always had,
 * `Api`, so its logical ids and construct path stay the same.
 */
import type { Stack } from 'aws-cdk-lib';
import { INCOMING_PREFIX } from '../../functions/use-cases/ingest-upload.ts';
import { alarmOnErrors, BangfuFunction, PDFKIT_RUNTIME_FILES } from '../defaults.ts';
import {
  acknowledgeObjectPrefixes,
  CLAIMING_ITEM_ACTIONS,
  queryTableAndIndexes,
  readLinkKey,
  tableItems,
} from '../grants.ts';
import { FUNCTION_FILES } from './function-files.ts';
import type { SendingFunctionProps } from './function-props.ts';
import type { LinksApi } from './links-api.ts';
import { DOCUMENTS_PREFIX } from './scheduled-tick.ts';
import { SUBMISSIONS_PREFIX } from './upload-ingest.ts';

export interface LinksApiHandlerProps extends SendingFunctionProps {
  /** The HTTP API whose routes all go to this function. */
  readonly httpApi: LinksApi;
}

export class LinksApiHandler {
  readonly api: BangfuFunction;

  constructor(scope: Stack, props: LinksApiHandlerProps) {
    const { table, files } = props;
    this.api = new BangfuFunction(scope, 'Api', {
      entry: 'functions/handlers/api.handler.ts',
      description: 'bangfu upload pages, presigned POSTs, upload status, document downloads, staff console',
      // The console generates documents on demand (pdfkit and the CJK font) and sends return notices.
      assets: [
        ...FUNCTION_FILES.email,
        ...FUNCTION_FILES.pages,
        ...FUNCTION_FILES.cjkFont,
        ...PDFKIT_RUNTIME_FILES.assets,
      ],
      runtimeImports: PDFKIT_RUNTIME_FILES.runtimeImports,
      memorySize: 1024,
      environment: props.environment,
      tracing: props.tracing,
    });
    props.httpApi.routeTo(this.api.function);
    this.api.addToRolePolicy(queryTableAndIndexes(table));
    // Links and slots; staff actions' conditional writes; the claims of the return notices it sends.
    this.api.addToRolePolicy(tableItems('ReadAndRecordLinksSlotsAndActions', table, CLAIMING_ITEM_ACTIONS));
    // A presigned request can do what its signer's role may: POSTs for uploads under incoming/ only,
    // GETs of generated documents and of submitted files only. Documents made from the console are
    // stored under documents/.
    this.api.addToRolePolicy(files.objects('SignUploadPosts', ['s3:PutObject'], [INCOMING_PREFIX]));
    this.api.addToRolePolicy(
      files.objects('StoreAndSignDocuments', ['s3:GetObject', 's3:PutObject'], [DOCUMENTS_PREFIX]),
    );
    this.api.addToRolePolicy(
      files.objects('SignSubmissionDownloads', ['s3:GetObject', 's3:GetObjectVersion'], [SUBMISSIONS_PREFIX]),
    );
    this.api.addToRolePolicy(props.mail.sendingStatement(props.sandboxRecipients));
    this.api.addToRolePolicy(readLinkKey(props.linkKey));
    acknowledgeObjectPrefixes(this.api, [INCOMING_PREFIX], 'the API signs presigned upload POSTs');
    acknowledgeObjectPrefixes(
      this.api,
      [DOCUMENTS_PREFIX],
      'the API stores documents generated from the console and signs presigned document GETs',
    );
    acknowledgeObjectPrefixes(
      this.api,
      [SUBMISSIONS_PREFIX],
      'the API signs presigned GETs of submitted files',
    );

    alarmOnErrors(
      this.api,
      props.alarmAction,
      'The upload/download function crashed or timed out; people saw an API Gateway error. See its log group.',
    );
  }
}
