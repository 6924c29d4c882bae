import {
  ActivityFailure,
  ApplicationFailure,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { DocumentActivities } from '../activities/document-activities.js';
import type { DocumentState, DocumentStatus } from '../common/document-lifecycle.js';
import { getDocumentState, type DocumentWorkflowInput } from '../common/document-workflow-types.js';
import {
  CompanyId,
  Cufe,
  DocNumber,
  DocStatus,
  DocType,
  EmitterRuc,
  NeedsPerson,
  Pac,
} from '../common/search-attributes.js';

const { prepareDocument, signDocument } = proxyActivities<DocumentActivities>({
  startToCloseTimeout: '30s',
  retry: {
    initialInterval: '1s',
    backoffCoefficient: 2,
    maximumInterval: '1m',
    maximumAttempts: 10,
    nonRetryableErrorTypes: ['ValidationError', 'CertificateError', 'SchemaError'],
  },
});

/** The failure type an activity gave up with, e.g. `CertificateError`. */
function failureType(err: unknown): { type: string; message: string } | undefined {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) {
    return { type: err.cause.type ?? 'Error', message: err.cause.message };
  }
  return undefined;
}

/** One fiscal document, durable from request to its final state: build → sign → (submit, poll: PAC layer). */
export async function documentWorkflow(input: DocumentWorkflowInput): Promise<DocumentState> {
  const state: DocumentState = { documentId: input.documentId, status: 'received', history: [] };
  setHandler(getDocumentState, () => state);

  const moveTo = (status: DocumentStatus, actor = 'fepa', note?: string) => {
    state.status = status;
    state.history.push({ at: new Date().toISOString(), status, actor, ...(note ? { note } : {}) });
    upsertSearchAttributes([
      { key: DocStatus, value: status },
      { key: NeedsPerson, value: state.needsPerson !== undefined },
      ...(state.cufe ? [{ key: Cufe, value: state.cufe }] : []),
    ]);
  };
  upsertSearchAttributes([
    { key: CompanyId, value: input.companyId },
    { key: EmitterRuc, value: input.emitterRuc },
    { key: DocType, value: input.docType },
    { key: DocNumber, value: input.number },
    { key: Pac, value: input.pac },
  ]);
  moveTo('received', 'api');

  try {
    const prepared = await prepareDocument({ documentId: input.documentId });
    state.cufe = prepared.cufe;
    state.total = prepared.total;
    moveTo('prepared');
    const signed = await signDocument({ documentId: input.documentId, companyId: input.companyId });
    state.certificateFingerprint = signed.certificateFingerprint;
    moveTo('signed');
  } catch (err) {
    const failure = failureType(err);
    if (!failure) throw err;
    state.needsPerson = { reason: failure.message, code: failure.type };
    moveTo('needs_support', 'fepa', `${failure.type} in ${workflowInfo().workflowType}`);
  }
  return state;
}
