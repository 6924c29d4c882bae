import type { DgiDocument } from '../../domain/dgi-document/index.js';

/** What the simulator remembers about one document it received. */
export interface SimDocument {
  key: string;
  pac: SimPac;
  account: string;
  environment: string;
  ruc: string;
  docType: string;
  branch: string;
  pointOfSale: string;
  number: string;
  cufe: string;
  contentHash: string;
  status: 'pending' | 'authorized' | 'rejected' | 'error' | 'annulled';
  /** What the next status queries answer (pending steps, then the outcome). */
  remaining: string[];
  submissions: number;
  queries: number;
  signedXml?: string;
  protocol?: string;
  receivedAt: string;
  authorizedAt?: string;
  rejection?: { code: string; message: string; more?: Array<{ code: string; message: string }> };
  edocState?: string;
  /** HKA: the code the submission was answered with when it was not 200 (pac-code step). */
  answerCode?: string;
  /** HKA: e-mails sent for the document (EnvioCorreo), for RastreoCorreo. */
  emails?: Array<{ correo: string; creadoEn: string; estado: string; messageId: string }>;
}

export type SimPac = 'aludra' | 'edoc' | 'hka';

export interface SimRule {
  id: string;
  pac?: SimPac;
  match: { ruc?: string; number?: string; receiverName?: string };
  /**
   * Steps, in order: `pending` (once per status query), `authorized`, `reject:<DGI code>`,
   * `edoc-state:<n>`, `duplicate`, `lose-reply`, `http-500`, `hang:<ms>`, `token-expires-now`,
   * `malformed:html|empty|json`.
   */
  script: string[];
  /** Applies to every submission of a matching document, not only the first. */
  sticky?: boolean;
}

export interface SimAccount {
  pac: SimPac;
  environment: '1' | '2';
  /** Aludra: api-key and company code. */
  apiKey?: string;
  companyCode?: string;
  /** eDoc: user and password. */
  user?: string;
  password?: string;
  /** HKA: the tokens, the emitter registered with HKA, the prepaid folios and the annulment window. */
  tokenEmpresa?: string;
  tokenPassword?: string;
  emitter?: DgiDocument['gDGen']['gEmis'];
  folios?: { total: number; used: number };
  annulmentWindowHours?: number;
}

export interface SimSettings {
  latency: { mode: 'none' } | { mode: 'fixed'; ms: number } | { mode: 'realistic'; seed?: number };
  tokenLifetimeSeconds: number;
  /** Seeded random outcomes (and transport faults) for load and chaos tests (rules still win). */
  random?: {
    seed: number;
    pendingRate: number;
    rejectRate: number;
    errorRate: number;
    /** Share of first submissions that meet each fault (drawn from the same seeded stream). */
    faults?: RandomFaults | undefined;
  };
  /** Sandbox: unknown Aludra api-keys starting with `sandbox-` are registered on first use. */
  autoRegisterSandbox: boolean;
}

/** Transport faults of seeded random mode; `hangMs` is how late a hanging answer comes. */
export interface RandomFaults {
  loseReply: number;
  http500: number;
  hang: number;
  duplicate: number;
  hangMs: number;
}
