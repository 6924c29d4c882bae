import { defineQuery } from '@temporalio/workflow';
import type { DocumentState } from './document-lifecycle.js';

/** What starts a document workflow: ids and the business key, never the document itself or secrets. */
export interface DocumentWorkflowInput {
  documentId: string;
  companyId: string;
  emitterRuc: string;
  environment: '1' | '2';
  docType: string;
  branch: string;
  pointOfSale: string;
  number: string;
  pac: string;
}

/** Workflow id from the business key: the same document always maps to the same workflow. */
export function documentWorkflowId(
  k: Pick<
    DocumentWorkflowInput,
    'companyId' | 'environment' | 'docType' | 'branch' | 'pointOfSale' | 'number'
  >,
): string {
  return `document:${k.companyId}:${k.environment}:${k.docType}:${k.branch}-${k.pointOfSale}-${k.number}`;
}

export const getDocumentState = defineQuery<DocumentState>('getDocumentState');
