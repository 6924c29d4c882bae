import type { DocumentRef, PacAdapter, PacCapabilities, PacReception, Submission } from '../pac-adapter.js';
import { eventAnswerOf } from '../event-answer.js';
import type { OutboundFetch } from '../../platform/outbound/outbound-guard.js';
import { dgiIssue, pacResult, type PacResult } from '../pac-result.js';
import { exchange, type HttpOutcome } from '../http-exchange.js';
import { edocStatus } from './edoc-states.js';
import { EdocTokenCache } from './edoc-token-cache.js';
import {
  basicAuth,
  EDOC_PATHS,
  EDOC_SERVICE,
  edocEmissionPath,
  edocSignedBody,
  type EdocCredentials,
  type EdocService,
  type EdocToken,
  type RecepcionDocumentos,
  type RespuestaAnulacion,
  type RespuestaEdoc,
} from './edoc-wire.js';
import { PacRequestError } from '../../common/fepa-error.js';

export interface EdocOptions {
  /** e.g. `https://labpa.guru-soft.com/EdocPanama/4.0` */
  baseUrl: string;
  companyId: string;
  credentials: EdocCredentials;
  tokens: EdocTokenCache;
  timeoutMs?: number;
  /** How calls go out (platform/outbound/outbound-guard.ts: the company's address checked at every call). */
  fetch?: OutboundFetch;
}

type Operation = 'submit' | 'query' | 'annul' | 'download';

const isPacResult = (value: HttpOutcome | PacResult): value is PacResult => !('kind' in value);

/** Gurusoft eDoc: JSON with the DGI's names; eDoc signs, computes the CUFE and returns the XML. */
export class EdocAdapter implements PacAdapter {
  readonly name = 'edoc';
  static readonly CAPABILITIES: PacCapabilities = {
    signs: 'pac',
    signedCopy: {
      via: 'the …FirmadaEnte emission services (eDoc transmits the signed document as it is)',
      source: 'pac-apis.md §1.3 "Ente" variants [S]; their meaning and body are inferred [U]',
    },
    annul: true,
    downloadXml: true,
  };
  readonly capabilities = EdocAdapter.CAPABILITIES;

  constructor(private readonly options: EdocOptions) {}

  /** eDoc's reception services: 4 (reception query, by CUFE) and 15 (receiver manifest) [U shapes, edoc-wire.ts]. */
  readonly reception: PacReception = {
    statusByCufe: async (cufe, environment) =>
      this.interpret(
        await this.call(
          'receptionQuery',
          'GET',
          `${EDOC_PATHS.receptionStatus}?${new URLSearchParams({ Cufe: cufe, Ambiente: environment }).toString()}`,
        ),
        'query',
      ),
    sendManifestation: async (event) => {
      const outcome = await this.call('manifest', 'POST', EDOC_PATHS.manifest, {
        Cufe: event.cufe,
        CodigoManifestacion: event.code,
        ...(event.reason ? { MotivoManifestacion: event.reason } : {}),
        EventoFirmado: event.signedXml,
      });
      return eventAnswerOf(this.annulmentLike(outcome, event.cufe));
    },
    inbox: async (receiverRuc, environment) => {
      const query = new URLSearchParams({ RucReceptor: receiverRuc, Ambiente: environment });
      const outcome = await this.call('reception', 'GET', `${EDOC_PATHS.receptionInbox}?${query.toString()}`);
      if (isPacResult(outcome)) return { ok: false, result: outcome };
      const answer =
        outcome.kind === 'response' ? (outcome.json as RecepcionDocumentos | undefined) : undefined;
      if (outcome.kind !== 'response' || outcome.status !== 200 || !Array.isArray(answer?.Documentos))
        return { ok: false, result: this.interpret(outcome, 'query') };
      const documents = answer.Documentos.filter(
        (d): d is { Cufe: string; XML: string } => typeof d.Cufe === 'string' && typeof d.XML === 'string',
      ).map((d) => ({ cufe: d.Cufe, xml: d.XML }));
      return { ok: true, documents };
    },
  };

  async authenticate(): Promise<void> {
    await this.token('emission');
  }

  async submit(submission: Submission): Promise<PacResult> {
    if (submission.signedCopy && submission.signedXml) {
      const path = edocEmissionPath(submission.ref.key.docType, true);
      const body = edocSignedBody(submission.signedXml, submission.extras);
      return this.interpret(await this.call('emission', 'POST', path, body), 'submit');
    }
    if (!submission.document)
      throw PacRequestError.unsupported('eDoc takes the document as JSON: it signs it itself');
    const body = { ...submission.document, ...submission.extras };
    const iDoc = submission.ref.key.docType;
    return this.interpret(await this.call('emission', 'POST', edocEmissionPath(iDoc), body), 'submit');
  }

  async queryStatus(ref: DocumentRef): Promise<PacResult> {
    const k = ref.key;
    const query = new URLSearchParams({
      RucEmisor: k.emitterRuc,
      TipoDocumento: k.docType,
      Sucursal: k.branch,
      PuntoFacturacion: k.pointOfSale,
      NumDocumento: k.number,
      Ambiente: k.environment,
    });
    return this.interpret(
      await this.call('query', 'GET', `${EDOC_PATHS.status}?${query.toString()}`),
      'query',
    );
  }

  async annul(ref: DocumentRef, reason: string): Promise<PacResult> {
    if (!ref.cufe) throw PacRequestError.unsupported('eDoc annuls by CUFE');
    const outcome = await this.call('annulment', 'POST', EDOC_PATHS.annul, {
      Cufe: ref.cufe,
      MotivoAnulacion: reason,
    });
    return this.annulmentLike(outcome, ref.cufe);
  }

  /** Answers of eDoc's event services (annulment, manifest): `{estado, codigoRespuestaDGI, mensajeRespuesta}`. */
  private annulmentLike(outcome: HttpOutcome | PacResult, cufe: string): PacResult {
    if (isPacResult(outcome) || outcome.kind !== 'response' || outcome.status !== 200)
      return this.interpret(outcome, 'annul');
    const answer = (outcome.json ?? {}) as RespuestaAnulacion;
    const estado = String(answer.estado ?? '');
    const status = edocStatus(estado, undefined);
    const dgiCode = answer.codigoRespuestaDGI ?? '';
    return pacResult(status ?? 'unknown', {
      raw: outcome.raw,
      pacCode: estado,
      pacMessage: answer.mensajeRespuesta ?? '',
      cufe,
      ...(answer.fechaAutorizacion ? { authorizedAt: answer.fechaAutorizacion } : {}),
      dgiIssues:
        dgiCode && !['0600', '0622'].includes(dgiCode)
          ? [dgiIssue(dgiCode, answer.mensajeRespuesta ?? '')]
          : [],
    });
  }

  async downloadXml(ref: DocumentRef): Promise<PacResult> {
    if (!ref.cufe) throw PacRequestError.unsupported('eDoc downloads by CUFE');
    return this.interpret(
      await this.call('query', 'GET', `${EDOC_PATHS.xml}?Cufe=${encodeURIComponent(ref.cufe)}`),
      'download',
    );
  }

  /** A token for the service: cached, renewed before `expira`. */
  private async token(service: EdocService): Promise<string | PacResult> {
    const key = EdocTokenCache.key(this.options.companyId, service, this.options.credentials);
    const cached = this.options.tokens.get(key);
    if (cached) return cached;
    const outcome = await exchange({
      method: 'GET',
      url: `${this.options.baseUrl}${EDOC_PATHS.token(EDOC_SERVICE[service])}`,
      headers: { authorization: basicAuth(this.options.credentials) },
      timeoutMs: this.options.timeoutMs ?? 30_000,
      ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
    });
    if (outcome.kind !== 'response')
      return pacResult('transient', {
        raw: outcome.raw,
        pacMessage: 'token service unreachable',
        notSent: true,
      });
    if (outcome.status === 401)
      return pacResult('auth-failed', {
        raw: outcome.raw,
        pacCode: '401',
        pacMessage: 'eDoc refused the user or password',
      });
    const body = outcome.json as EdocToken | undefined;
    if (outcome.status !== 200 || !body?.token)
      return pacResult('transient', {
        raw: outcome.raw,
        pacCode: String(outcome.status),
        pacMessage: 'no token in the answer',
      });
    this.options.tokens.set(key, body.token, Date.parse(body.expira));
    return body.token;
  }

  /** A business call with the service's token; after a 401 the token is renewed and the call made once more. */
  private async call(
    service: EdocService,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<HttpOutcome | PacResult> {
    const key = EdocTokenCache.key(this.options.companyId, service, this.options.credentials);
    for (let attempt = 0; attempt < 2; attempt++) {
      const token = await this.token(service);
      if (typeof token !== 'string') return token;
      const outcome = await exchange({
        method,
        url: `${this.options.baseUrl}${path}`,
        headers: { authorization: `Bearer ${token}` },
        ...(body === undefined ? {} : { body }),
        timeoutMs: this.options.timeoutMs ?? 30_000,
        ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
      });
      if (outcome.kind === 'response' && outcome.status === 401 && attempt === 0) {
        this.options.tokens.drop(key);
        continue;
      }
      return outcome;
    }
    throw new Error('unreachable');
  }

  /** The one place eDoc's answers become unified results. */
  private interpret(outcome: HttpOutcome | PacResult, operation: Operation): PacResult {
    if (isPacResult(outcome)) return outcome;
    const o = outcome;
    if (o.kind === 'timeout')
      return pacResult(operation === 'submit' ? 'unknown' : 'transient', {
        raw: o.raw,
        pacMessage: 'no answer in time',
      });
    if (o.kind === 'network-error') {
      return pacResult(operation === 'submit' && !o.beforeSend ? 'unknown' : 'transient', {
        raw: o.raw,
        pacMessage: o.raw.error ?? 'network error',
        ...(o.beforeSend ? { notSent: true } : {}),
      });
    }
    if (o.status === 401)
      return pacResult('auth-failed', {
        raw: o.raw,
        pacCode: '401',
        pacMessage: 'eDoc refused the token twice',
      });
    const answer = o.json as RespuestaEdoc | undefined;
    if (o.status >= 500 || !answer || typeof answer !== 'object' || answer.Estado === undefined) {
      return pacResult(operation === 'submit' ? 'unknown' : 'transient', {
        raw: o.raw,
        pacCode: String(o.status),
        pacMessage: `unexpected answer (HTTP ${o.status})`,
      });
    }
    const estado = String(answer.Estado);
    const status = edocStatus(estado, answer.CodigoRespuesta);
    const common = {
      raw: o.raw,
      pacCode: estado,
      pacMessage: answer.MensajeRespuesta ?? '',
      dgiIssues: (answer.ErroresDGI ?? []).map((e) => dgiIssue(e.Codigo, e.Mensaje)),
      ...(answer.Cufe ? { cufe: answer.Cufe } : {}),
      ...(answer.UrlCodeQR ? { qrUrl: answer.UrlCodeQR } : {}),
      ...(answer.Protocolo ? { protocol: answer.Protocolo } : {}),
      ...(answer.FechaAutorizacion ? { authorizedAt: answer.FechaAutorizacion } : {}),
      ...(answer.XML ? { signedXml: answer.XML } : {}),
    };
    if (!status)
      return pacResult(operation === 'submit' ? 'unknown' : 'transient', {
        ...common,
        pacMessage: `unrecognised Estado ${estado}`,
      });
    return pacResult(status, common);
  }
}
