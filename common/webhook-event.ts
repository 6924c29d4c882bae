import type { ErpReference } from './erp-reference.js';
import type { DgiIssue } from './dgi-issue.js';
/** What fepa POSTs to a company's webhook on every state change of one of its documents. */
export interface DocumentWebhookEvent {
  /** Unique per document and change: receivers deduplicate on it (deliveries are retried until acknowledged). */
  eventId: string;
  documentId: string;
  workflowId: string;
  seq: number;
  status: string;
  key: {
    environment: string;
    docType: string;
    branch: string;
    pointOfSale: string;
    number: string;
    emitterRuc: string;
  };
  cufe?: string;
  protocol?: string;
  pac: { name: string; status?: string; code?: string; message?: string };
  dgiIssues: DgiIssue[];
  /** Present when a person must act: what a support ticket needs. */
  needsPerson?: { reason: string; code?: string; actions: string[] };
  at: string;
  /** `cafe` once the document is signed. */
  links: { self: string; xml: string; cafe?: string };
  /** The ERP's own references, added at delivery when the integrator sent them. */
  erp?: ErpReference;
}

/** What fepa POSTs to a company's webhook when a contingency starts, lasts 24/48/72 hours, and ends. */
export interface ContingencyWebhookEvent {
  /** Unique per contingency and moment: receivers deduplicate on it. */
  eventId: string;
  type: 'contingency.started' | 'contingency.ongoing' | 'contingency.ended';
  contingency: {
    id: string;
    environment: string;
    since: string;
    reason: string;
    openedBy: string;
    /** How long it has lasted (ongoing alerts: 24, 48, 72). */
    hours?: number;
    issued: number;
    toTransmit: number;
    /** At the end: documents told to transmit. */
    transmitted?: number;
    endedBy?: string;
    endedAt?: string;
  };
  at: string;
}

/** What fepa POSTs when a company's prepaid HKA folios fall under its alert threshold (or run out). */
export interface FolioWebhookEvent {
  /** Unique per reading: receivers deduplicate on it. */
  eventId: string;
  type: 'folios.low';
  folios: { available: number | null; threshold: number; readAt: string; reason: string };
  at: string;
}

/** What fepa POSTs when a supplier's document is accepted, found invalid, annulled later, or manifested. */
export interface ReceivedWebhookEvent {
  /** Unique per received document and change: receivers deduplicate on it. */
  eventId: string;
  type:
    | 'received.accepted'
    | 'received.invalid'
    | 'received.annulled'
    | 'received.manifested'
    | 'received.unconfirmed'
    | 'received.not_at_dgi';
  received: {
    id: string;
    cufe: string;
    status: string;
    supplierRuc: string;
    supplierName: string;
    docType: string;
    number: string;
    total: string;
    issuedAt: string | null;
    /** Why it is invalid, unconfirmed or not at the DGI: each with the path and the rule. */
    reasons?: Array<{ path: string; rule: string; message: string }>;
    manifestation?: { code: string; status: string; message?: string };
  };
  links: { self: string; xml: string };
  at: string;
}

export type WebhookEvent =
  DocumentWebhookEvent | ContingencyWebhookEvent | FolioWebhookEvent | ReceivedWebhookEvent;
