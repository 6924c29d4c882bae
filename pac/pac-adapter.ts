import type { PrepaidFolios, RucRegistryInfo } from '../common/pac-account.js';
import type { PacResult, RawExchange } from './pac-result.js';

/** The document's business key (spec pac-apis §6.1). */
export interface DocumentKey {
  environment: '1' | '2';
  emitterRuc: string;
  branch: string;
  pointOfSale: string;
  number: string;
  docType: string;
  emissionType: string;
}

/** What the PAC needs to find a document again. */
export interface DocumentRef {
  key: DocumentKey;
  cufe?: string;
}

/**
 * A document to submit. Adapters whose PAC expects a client-signed document (Aludra) send `signedXml`;
 * adapters whose PAC signs (eDoc) send the document JSON with the DGI's names. A PAC that signs is given
 * both, and `ref.cufe`, for a contingency copy fepa signed itself (`signedCopy` in its capabilities): it
 * must transmit that document and keep that CUFE.
 */
export interface Submission {
  ref: DocumentRef;
  signedXml?: string;
  document?: unknown;
  /** The document was signed by fepa although this PAC signs (a contingency copy the customer holds). */
  signedCopy?: boolean;
  /** Idempotency key: the workflow id, stable across retries. */
  idempotencyKey: string;
  /** eDoc extras (responsible e-mail, ERP codes, Campo1..10…), passed through when the PAC has them. */
  extras?: Record<string, unknown>;
}

export interface PacCapabilities {
  /** Who signs: fepa (the document is sent signed) or the PAC (it signs and returns the XML). */
  signs: 'fepa' | 'pac';
  /**
   * Where the PAC signs: how it takes a document the emitter already signed and keeps its CUFE (what a
   * contingency copy handed to the customer needs, docs/contingency.md). Absent: it cannot, and fepa
   * refuses a contingency for its companies. Where fepa signs every document, not needed.
   */
  signedCopy?: { via: string; source: string };
  annul: boolean;
  downloadXml: boolean;
}

/** A call of an account service that gave no usable answer: the unified result says what it means. */
export type AccountCallFailure = { ok: false; result: PacResult };

/**
 * What a PAC's account offers besides documents, where it does (HKA today): its prepaid folios, the DGI's RUC
 * registry, and which answers are alerts about the account. Callers ask the capability, never the PAC's name.
 */
export interface PacAccount {
  remainingFolios(): Promise<{ ok: true; folios: PrepaidFolios } | AccountCallFailure>;
  rucLookup(type: '1' | '2', ruc: string): Promise<{ ok: true; info: RucRegistryInfo } | AccountCallFailure>;
  /** `no-folios` when an answer says the account has run out of folios (the document was not taken). */
  alertOf(result: PacResult): 'no-folios' | undefined;
}

/** What a PAC said about an event it was given (the receiver's manifestation). */
export interface EventAnswer {
  outcome: 'accepted' | 'refused' | 'transient';
  code?: string;
  message: string;
  raw: RawExchange;
}

export interface ManifestationEvent {
  /** The signed `rEvManifRecep`. */
  signedXml: string;
  cufe: string;
  environment: '1' | '2';
  code: string;
  reason?: string | undefined;
}

/**
 * What the PAC offers for documents other emitters issued to the company (receiving, docs/receiving.md).
 * Absent: the PAC cannot tell fepa whether a supplier's document is registered (it stays `unconfirmed`).
 */
export interface PacReception {
  /** The DGI's status of any emitter's document, by CUFE. */
  statusByCufe(cufe: string, environment: '1' | '2'): Promise<PacResult>;
  /** Sends the receiver's manifestation; absent when the PAC has no event service for it. */
  sendManifestation?(event: ManifestationEvent): Promise<EventAnswer>;
  /** The documents the PAC holds for the company as receiver (eDoc service 2); absent where it has none. */
  inbox?(
    receiverRuc: string,
    environment: '1' | '2',
  ): Promise<{ ok: true; documents: Array<{ cufe: string; xml: string }> } | AccountCallFailure>;
}

/** One PAC. Adapters never retry: retrying is the workflow's job. */
export interface PacAdapter {
  readonly name: string;
  readonly capabilities: PacCapabilities;
  /** The account services, when the PAC has them. */
  readonly account?: PacAccount;
  /** The receiving services, when the PAC has them. */
  readonly reception?: PacReception;
  /** Obtains (or reuses) what the PAC needs to authenticate; a no-op for static keys. */
  authenticate(): Promise<void>;
  submit(submission: Submission): Promise<PacResult>;
  queryStatus(ref: DocumentRef): Promise<PacResult>;
  annul(ref: DocumentRef, reason: string): Promise<PacResult>;
  downloadXml(ref: DocumentRef): Promise<PacResult>;
}
