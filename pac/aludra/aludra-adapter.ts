import type { DocumentRef, PacAdapter, PacReception, Submission } from '../pac-adapter.js';
import { eventAnswerOf } from '../event-answer.js';
import type { OutboundFetch } from '../../platform/outbound/outbound-guard.js';
import {
  dgiIssue,
  pacResult,
  DGI_NOTIFICATION_CODES,
  type PacResult,
  type RawExchange,
} from '../pac-result.js';
import { exchange, type HttpOutcome } from '../http-exchange.js';
import { aludraStatusForCode } from './aludra-codes.js';
import {
  ALUDRA_PATHS,
  aludraCufeBody,
  aludraEventBody,
  aludraHeaders,
  aludraSubmitBody,
  type AludraCredentials,
  type AludraEnvelope,
} from './aludra-wire.js';
import { PacRequestError } from '../../common/fepa-error.js';

export interface AludraOptions {
  baseUrl: string;
  credentials: AludraCredentials;
  timeoutMs?: number;
  /** How calls go out (platform/outbound/outbound-guard.ts: the company's address checked at every call). */
  fetch?: OutboundFetch;
}

/** Aludra: clients sign with their own P12; a static `api-key` per company; no token exchange. */
export class AludraAdapter implements PacAdapter {
  readonly name = 'aludra';
  static readonly CAPABILITIES = { signs: 'fepa', annul: true, downloadXml: true } as const;
  readonly capabilities = AludraAdapter.CAPABILITIES;

  constructor(private readonly options: AludraOptions) {}

  /** Aludra passes the DGI's feConsFE (any CUFE) and feRecepEvento (any signed event) through. */
  readonly reception: PacReception = {
    statusByCufe: async (cufe, environment) =>
      this.interpret(
        await this.post(ALUDRA_PATHS.query, aludraCufeBody(this.options.credentials, environment, cufe)),
        'query',
      ),
    sendManifestation: async (event) => {
      const body = aludraEventBody(this.options.credentials, event.environment, event.signedXml);
      const outcome = await this.post(ALUDRA_PATHS.event, body, {
        ...body,
        dEvReg: `[signed rEvManifRecep, ${event.signedXml.length} chars]`,
      });
      return eventAnswerOf(this.interpret(outcome, 'annul'));
    },
  };

  async authenticate(): Promise<void> {
    // Static API key: nothing to obtain.
  }

  async submit(submission: Submission): Promise<PacResult> {
    if (!submission.signedXml) throw PacRequestError.unsupported('Aludra expects a document signed by fepa');
    const body = aludraSubmitBody(
      this.options.credentials,
      submission.ref.key.environment,
      submission.signedXml,
    );
    const outcome = await this.post(ALUDRA_PATHS.submit, body, {
      ...body,
      xFe: `[signed rFE, ${submission.signedXml.length} chars]`,
    });
    return this.interpret(outcome, 'submit');
  }

  async queryStatus(ref: DocumentRef): Promise<PacResult> {
    return this.interpret(await this.post(ALUDRA_PATHS.query, this.cufeBody(ref)), 'query');
  }

  async annul(ref: DocumentRef, reason: string): Promise<PacResult> {
    return this.interpret(
      await this.post(ALUDRA_PATHS.annul, this.cufeBody(ref, { dMotivoAn: reason })),
      'annul',
    );
  }

  async downloadXml(ref: DocumentRef): Promise<PacResult> {
    return this.interpret(await this.post(ALUDRA_PATHS.download, this.cufeBody(ref)), 'download');
  }

  private cufeBody(ref: DocumentRef, extra: Record<string, string> = {}) {
    if (!ref.cufe)
      throw PacRequestError.unsupported('Aludra finds documents by CUFE, which fepa computes before sending');
    return aludraCufeBody(this.options.credentials, ref.key.environment, ref.cufe, extra);
  }

  private post(path: string, body: unknown, auditBody?: unknown): Promise<HttpOutcome> {
    return exchange({
      method: 'POST',
      url: `${this.options.baseUrl}${path}`,
      headers: aludraHeaders(this.options.credentials),
      body,
      auditBody,
      timeoutMs: this.options.timeoutMs ?? 30_000,
      ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
    });
  }

  /** The one place Aludra's answers become unified results. */
  private interpret(outcome: HttpOutcome, operation: 'submit' | 'query' | 'annul' | 'download'): PacResult {
    const raw: RawExchange = outcome.raw;
    if (outcome.kind === 'timeout')
      return pacResult(operation === 'submit' ? 'unknown' : 'transient', {
        raw,
        pacMessage: 'no answer in time',
      });
    if (outcome.kind === 'network-error') {
      return pacResult(operation === 'submit' && !outcome.beforeSend ? 'unknown' : 'transient', {
        raw,
        pacMessage: raw.error ?? 'network error',
        ...(outcome.beforeSend ? { notSent: true } : {}),
      });
    }
    const { status: http, json } = outcome;
    if (http === 401 || http === 403)
      return pacResult('auth-failed', {
        raw,
        pacCode: String(http),
        pacMessage: 'the api-key or company code was refused',
      });
    if (http === 404 && operation !== 'submit')
      return pacResult('not-found', {
        raw,
        pacCode: '404',
        pacMessage: 'the PAC does not know this document',
      });
    const envelope = json as AludraEnvelope | undefined;
    if (http >= 500 || !envelope || typeof envelope !== 'object' || !envelope.Status) {
      // A 5xx, an HTML error page or an empty body: after a submission the outcome is uncertain.
      return pacResult(operation === 'submit' ? 'unknown' : 'transient', {
        raw,
        pacCode: String(http),
        pacMessage: `unexpected answer (HTTP ${http})`,
      });
    }
    if (envelope.Status.Code === 'A400') {
      const message = envelope.Status.Message;
      const detail =
        typeof message === 'object' && message
          ? message
          : { dCodRes: 'A400', dMsgRes: String(message ?? '') };
      return pacResult('rejected-correctable', {
        raw,
        pacCode: 'A400',
        pacMessage: detail.dMsgRes,
        dgiIssues: [dgiIssue(detail.dCodRes, detail.dMsgRes)],
      });
    }
    const data = envelope.Data?.[0];
    const protocol = data?.xProtFe?.[0]?.rProtFe;
    const info = protocol?.gInfProt;
    const issues = [...(data?.gResProcList ?? []), ...(info?.gResProc ?? []), ...(envelope.Errors ?? [])]
      .filter((r) => r.dCodRes && !['0920', '0260', '0600', '0622'].includes(r.dCodRes))
      .map((r) => dgiIssue(r.dCodRes, r.dMsgRes));
    const code = data?.gResProc?.dCodRes ?? '';
    const common = {
      raw,
      pacCode: code,
      pacMessage: data?.gResProc?.dMsgRes ?? '',
      dgiIssues: issues,
      ...(protocol?.dCufe || info?.dCUFE ? { cufe: (protocol?.dCufe ?? info?.dCUFE)! } : {}),
      ...(info?.dProtAut || info?.dProAut ? { protocol: (info.dProtAut ?? info.dProAut)! } : {}),
      ...(info?.dFecProc ? { authorizedAt: info.dFecProc } : {}),
      ...(data?.urlCufe ? { qrUrl: data.urlCufe } : {}),
      ...(data?.LoteFE?.[0]?.Xml ? { signedXml: data.LoteFE[0].Xml } : {}),
    };
    if (data?.sendFail) return pacResult('pending', common);
    // A hard rejection among the issues wins over any other answer (spec §6.4 rule 3).
    const rejection = issues.find((i) => i.effect === 'E' && !DGI_NOTIFICATION_CODES.has(i.code));
    const mapped = aludraStatusForCode(code) ?? (rejection ? aludraStatusForCode(rejection.code) : undefined);
    if (!mapped)
      return pacResult(operation === 'submit' ? 'unknown' : 'transient', {
        ...common,
        pacMessage: `unrecognised answer code "${code}"`,
      });
    if (mapped.status === 'authorized' && rejection) return pacResult('rejected-correctable', common);
    return pacResult(mapped.status, {
      ...common,
      ...(mapped.needsConfirmation ? { needsConfirmation: true } : {}),
    });
  }
}
