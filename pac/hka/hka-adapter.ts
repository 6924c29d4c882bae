import { parseCufe, readRfe, validateDocument } from '../../domain/dgi-document/index.js';
import type { PrepaidFolios, RucRegistryInfo } from '../../common/pac-account.js';
import type { OutboundFetch } from '../../platform/outbound/outbound-guard.js';
import { PacRequestError } from '../../common/fepa-error.js';
import { exchange } from '../http-exchange.js';
import type { DocumentRef, PacAccount, PacAdapter, PacCapabilities, Submission } from '../pac-adapter.js';
import { pacResult, type PacResult, type RawExchange } from '../pac-result.js';
import {
  dgiIssuesInMessage,
  HKA_CODES,
  HKA_NO_FOLIOS,
  hkaDocumentState,
  hkaSubmitStatus,
} from './hka-codes.js';
import { toHkaDocumento } from './hka-mapping.js';
import { readSoapMessage } from './hka-soap.js';
import {
  answerOf,
  HKA_LIST_ELEMENTS,
  HKA_SERVICE_PATH,
  hkaEnvelope,
  hkaSoapAction,
  type HkaAnswer,
  type HkaCredentials,
  type HkaRequest,
} from './hka-wire.js';

export interface HkaOptions {
  /** e.g. `https://demoemision.thefactoryhka.com.pa` (the service path is added). */
  baseUrl: string;
  credentials: HkaCredentials;
  timeoutMs?: number;
  /** How calls go out (platform/outbound/outbound-guard.ts: the company's address checked at every call). */
  fetch?: OutboundFetch;
}

type Operation = 'submit' | 'query' | 'annul' | 'download' | 'other';
/** An answer HKA gave, with its audit record. */
interface Answered {
  answer: HkaAnswer;
  raw: RawExchange;
}

/** A call that did not give a usable answer: the unified result says what it means. */
/** HKA's names for the account shapes every PAC account shares (common/pac-account.ts). */
export type HkaFolios = PrepaidFolios;
export type HkaRucInfo = RucRegistryInfo;

export type HkaCallFailure = { ok: false; result: PacResult };

const withSecurityCode = (document: unknown, dSeg: string) => {
  const doc = document as { gDGen?: Record<string, unknown> };
  return { ...doc, gDGen: { ...doc.gDGen, dSeg } };
};

const number = (text: string | undefined) =>
  text === undefined || text === '' || Number.isNaN(Number(text)) ? undefined : Number(text);

/**
 * The Factory HKA over SOAP. HKA builds and signs the rFE from its own field names (hka-mapping.ts);
 * fepa then downloads the signed XML, checks its CUFE against HKA's answer and keeps it.
 */
export class HkaAdapter implements PacAdapter {
  readonly name = 'hka';
  static readonly CAPABILITIES: PacCapabilities = {
    signs: 'pac',
    signedCopy: {
      via: "Enviar with usoPosterior{cufe}: HKA builds the document with the CUFE the emitter's copy carries",
      source:
        'hka.md §2 Enviar catalogue (usoPosterior{cufe}) [C]; that HKA keeps the given CUFE is inferred [U]; fepa checks the CUFE HKA answers',
    },
    annul: true,
    downloadXml: true,
  };
  readonly capabilities = HkaAdapter.CAPABILITIES;
  /** HKA's account services, behind the capability every caller asks for (pac-adapter.ts). */
  readonly account: PacAccount = {
    remainingFolios: () => this.remainingFolios(),
    rucLookup: (type, ruc) => this.rucLookup(type, ruc),
    alertOf: (result) => (result.pacCode === HKA_NO_FOLIOS ? 'no-folios' : undefined),
  };

  constructor(private readonly options: HkaOptions) {}

  /** HKA authenticates every call with the tokens: nothing to obtain first. */
  async authenticate(): Promise<void> {}

  async submit(submission: Submission): Promise<PacResult> {
    if (!submission.document)
      throw PacRequestError.unsupported('HKA takes the document in its own fields: it signs it itself');
    const copy = submission.signedCopy ? this.copyCufe(submission) : undefined;
    const valid = validateDocument(
      copy ? withSecurityCode(submission.document, copy.dSeg) : submission.document,
    );
    if (!valid.ok)
      throw PacRequestError.unsupported(`the document is not valid: ${valid.issues[0]?.message}`);
    if (copy && valid.document.dId !== copy.cufe)
      throw PacRequestError.unsupported(
        `the contingency copy's CUFE ${copy.cufe} does not follow from the document (${valid.document.dId})`,
      );
    const mapped = toHkaDocumento(valid.document);
    if (!mapped.ok)
      return pacResult('rejected-correctable', {
        raw: { request: { method: 'POST', url: this.url }, elapsedMs: 0 },
        notSent: true,
        pacCode: 'FEPA-HKA-FIELDS',
        pacMessage: `not sent: HKA cannot carry ${mapped.issues.map((i) => i.path).join(', ')}`,
      });
    // A contingency copy the customer holds: HKA is given its CUFE to keep (usoPosterior, after the totals).
    const documento = copy ? { ...mapped.documento, usoPosterior: { cufe: copy.cufe } } : mapped.documento;
    const outcome = await this.call({ operation: 'Enviar', documento }, 'submit');
    if (!('answer' in outcome)) return outcome.result;
    const { answer, raw } = outcome;
    const codigo = answer.codigo ?? '';
    const issues = dgiIssuesInMessage(answer.mensaje);
    const status = hkaSubmitStatus(codigo, issues);
    const result = pacResult(status, { ...this.facts(answer, raw), dgiIssues: issues });
    return status === 'authorized' ? this.withSignedXml(submission.ref, result) : result;
  }

  /** The CUFE of a copy fepa signed, and its security code (HKA must build the same CUFE from it). */
  private copyCufe(submission: Submission): { cufe: string; dSeg: string } {
    const parsed = submission.ref.cufe ? parseCufe(submission.ref.cufe) : undefined;
    if (!parsed?.ok) throw PacRequestError.unsupported('a signed contingency copy needs its CUFE');
    return { cufe: submission.ref.cufe!, dSeg: parsed.fields.dSeg };
  }

  async queryStatus(ref: DocumentRef): Promise<PacResult> {
    const outcome = await this.call({ operation: 'EstadoDocumento', key: ref.key }, 'query');
    if (!('answer' in outcome)) return outcome.result;
    const { answer, raw } = outcome;
    const codigo = answer.codigo ?? '';
    const facts = { ...this.facts(answer, raw), dgiIssues: dgiIssuesInMessage(answer.mensajeDocumento) };
    if (codigo !== '200') return pacResult(HKA_CODES[codigo]?.status ?? 'transient', facts);
    const status = hkaDocumentState(answer.estatusDocumento);
    if (!status)
      return pacResult('transient', {
        ...facts,
        pacMessage: `unrecognised estatusDocumento "${answer.estatusDocumento ?? ''}"`,
      });
    const result = pacResult(status, { ...facts, pacCode: `200/${answer.estatusDocumento}` });
    return status === 'authorized' ? this.withSignedXml(ref, result) : result;
  }

  async annul(ref: DocumentRef, reason: string): Promise<PacResult> {
    const outcome = await this.call(
      { operation: 'AnulacionDocumento', key: ref.key, motivoAnulacion: reason },
      'annul',
    );
    if (!('answer' in outcome)) return outcome.result;
    const { answer, raw } = outcome;
    const codigo = answer.codigo ?? '';
    const facts = { ...this.facts(answer, raw), dgiIssues: dgiIssuesInMessage(answer.mensaje) };
    if (codigo === '200') return pacResult('annulled', facts);
    return pacResult(HKA_CODES[codigo]?.status ?? 'transient', {
      ...facts,
      ...(codigo === '112'
        ? { pacMessage: `${answer.mensaje ?? ''} (the annulment window is over: issue a credit note)` }
        : {}),
    });
  }

  async downloadXml(ref: DocumentRef): Promise<PacResult> {
    const outcome = await this.call({ operation: 'DescargaXML', key: ref.key }, 'download');
    if (!('answer' in outcome)) return outcome.result;
    const { answer, raw } = outcome;
    const facts = this.facts(answer, raw);
    if (answer.codigo !== '200' || !answer.documento)
      return pacResult(HKA_CODES[answer.codigo ?? '']?.status ?? 'transient', facts);
    return pacResult('authorized', {
      ...facts,
      signedXml: Buffer.from(answer.documento, 'base64').toString('utf8'),
    });
  }

  /** The CAFE as HKA renders it (DescargaPDF). */
  async downloadPdf(ref: DocumentRef): Promise<{ ok: true; pdf: Buffer } | HkaCallFailure> {
    const outcome = await this.call({ operation: 'DescargaPDF', key: ref.key }, 'other');
    if (!('answer' in outcome)) return { ok: false, result: outcome.result };
    const { answer, raw } = outcome;
    if (answer.codigo !== '200' || !answer.documento) return this.failure(answer, raw);
    return { ok: true, pdf: Buffer.from(answer.documento, 'base64') };
  }

  /** What is left of the company's prepaid documents. */
  async remainingFolios(): Promise<{ ok: true; folios: HkaFolios } | HkaCallFailure> {
    const outcome = await this.call({ operation: 'FoliosRestantes' }, 'other');
    if (!('answer' in outcome)) return { ok: false, result: outcome.result };
    const { answer: a, raw } = outcome;
    if (a.codigo !== '200') return this.failure(a, raw);
    const folios: HkaFolios = {
      ...(a.licencia ? { licence: a.licencia } : {}),
      ...(a.ciclo ? { cycle: a.ciclo } : {}),
      ...(a.fechaCiclo ? { cycleEndsAt: a.fechaCiclo } : {}),
    };
    const figures: Array<[keyof HkaFolios, string | undefined]> = [
      ['cycleTotal', a.foliosTotalesCiclo],
      ['cycleUsed', a.foliosUtilizadosCiclo],
      ['cycleAvailable', a.foliosDisponibleCiclo],
      ['total', a.foliosTotales],
      ['available', a.foliosTotalesDisponibles],
    ];
    for (const [name, text] of figures) {
      const value = number(text);
      if (value !== undefined) (folios as Record<string, unknown>)[name] = value;
    }
    return { ok: true, folios };
  }

  /** The DGI registry's answer for a RUC: check digit, name, enrolment in electronic invoicing. */
  async rucLookup(type: '1' | '2', ruc: string): Promise<{ ok: true; info: HkaRucInfo } | HkaCallFailure> {
    const outcome = await this.call({ operation: 'ConsultarRucDV', tipoRuc: type, ruc }, 'other');
    if (!('answer' in outcome)) return { ok: false, result: outcome.result };
    const { answer, raw } = outcome;
    const info = answer.infoRuc;
    if (answer.codigo !== '200' || !info?.dv) return this.failure(answer, raw);
    return {
      ok: true,
      info: {
        ruc: info.ruc ?? ruc,
        type,
        dv: info.dv,
        name: info.razonSocial ?? '',
        enrolled: /^(si|sí|true|1)$/i.test(info.afiliadoFE ?? ''),
      },
    };
  }

  /** Asks HKA to e-mail the document to one address. */
  async sendEmail(ref: DocumentRef, address: string): Promise<{ ok: true } | HkaCallFailure> {
    const outcome = await this.call({ operation: 'EnvioCorreo', key: ref.key, correo: address }, 'other');
    if (!('answer' in outcome)) return { ok: false, result: outcome.result };
    return outcome.answer.codigo === '200' ? { ok: true } : this.failure(outcome.answer, outcome.raw);
  }

  /** What became of the e-mails HKA sent for a CUFE. */
  async trackEmail(
    cufe: string,
  ): Promise<{ ok: true; messages: NonNullable<HkaAnswer['RastreoCorreo']> } | HkaCallFailure> {
    const outcome = await this.call({ operation: 'RastreoCorreo', cufe }, 'other');
    if (!('answer' in outcome)) return { ok: false, result: outcome.result };
    const { answer, raw } = outcome;
    if (answer.codigo !== '200') return this.failure(answer, raw);
    return { ok: true, messages: answer.RastreoCorreo ?? [] };
  }

  private get url(): string {
    return `${this.options.baseUrl}${HKA_SERVICE_PATH}`;
  }

  private facts(answer: HkaAnswer, raw: RawExchange) {
    const received = answer.fechaRecepcionDGI ?? answer.fechaRecepcionDocumento;
    return {
      raw,
      pacCode: answer.codigo ?? '',
      pacMessage: answer.mensaje ?? answer.mensajeDocumento ?? '',
      ...(answer.cufe ? { cufe: answer.cufe } : {}),
      ...(answer.qr ? { qrUrl: answer.qr } : {}),
      ...(answer.nroProtocoloAutorizacion ? { protocol: answer.nroProtocoloAutorizacion } : {}),
      ...(received ? { receivedAt: received } : {}),
    };
  }

  private failure(answer: HkaAnswer, raw: RawExchange): HkaCallFailure {
    const codigo = answer.codigo ?? '';
    return {
      ok: false,
      result: pacResult(HKA_CODES[codigo]?.status ?? 'transient', this.facts(answer, raw)),
    };
  }

  /**
   * An authorization is kept with the XML HKA signed: downloaded, its CUFE the one HKA answered, its
   * emitter the company's. Until the download succeeds the document is reported pending (asked again).
   */
  private async withSignedXml(ref: DocumentRef, result: PacResult): Promise<PacResult> {
    const downloaded = await this.downloadXml({ ...ref, ...(result.cufe ? { cufe: result.cufe } : {}) });
    if (!downloaded.signedXml)
      return pacResult('pending', {
        ...result,
        pacMessage: `authorized by HKA; its signed XML could not be downloaded yet (${downloaded.pacCode ?? ''} ${downloaded.pacMessage ?? ''})`,
      });
    const read = readRfe(downloaded.signedXml);
    const problem = !read.ok
      ? `HKA's XML does not read: ${read.issues[0]?.path} ${read.issues[0]?.message}`
      : result.cufe && read.document.dId !== result.cufe
        ? `HKA's XML carries CUFE ${read.document.dId}, its answer ${result.cufe}`
        : read.document.gDGen.gEmis.gRucEmi.dRuc !== ref.key.emitterRuc
          ? `HKA signed for RUC ${read.document.gDGen.gEmis.gRucEmi.dRuc}: the tokens belong to another company`
          : undefined;
    if (problem) return pacResult('error-needs-support', { ...result, pacMessage: problem });
    const cufe = result.cufe ?? (read.ok ? read.document.dId : undefined);
    // HKA answers synchronously with the DGI: its reception date is the authorization's [ASSUMED].
    const authorizedAt = result.authorizedAt ?? result.receivedAt;
    return {
      ...result,
      ...(cufe ? { cufe } : {}),
      ...(authorizedAt ? { authorizedAt } : {}),
      signedXml: downloaded.signedXml,
    };
  }

  /** One SOAP call: its answer, or the unified result of a transport failure or an unreadable answer. */
  private async call(request: HkaRequest, operation: Operation): Promise<Answered | { result: PacResult }> {
    const o = await exchange({
      method: 'POST',
      url: this.url,
      headers: { soapaction: `"${hkaSoapAction(request.operation)}"` },
      text: {
        contentType: 'text/xml; charset=utf-8',
        content: hkaEnvelope(request, this.options.credentials),
      },
      auditBody: hkaEnvelope(request, this.options.credentials, true),
      timeoutMs: this.options.timeoutMs ?? 30_000,
      ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
    });
    // A submission whose answer is lost may have been taken: reconcile. Anything else is asked again.
    const lost = operation === 'submit' ? 'unknown' : 'transient';
    if (o.kind === 'timeout')
      return { result: pacResult(lost, { raw: o.raw, pacMessage: 'no answer in time' }) };
    if (o.kind === 'network-error')
      return {
        result: pacResult(o.beforeSend ? 'transient' : lost, {
          raw: o.raw,
          pacMessage: o.raw.error ?? 'network error',
          ...(o.beforeSend ? { notSent: true } : {}),
        }),
      };
    const message = readSoapMessage(o.text, HKA_LIST_ELEMENTS);
    if (message.kind !== 'body')
      return {
        result: pacResult(lost, {
          raw: o.raw,
          pacCode: String(o.status),
          pacMessage:
            message.kind === 'fault'
              ? `SOAP fault ${message.code}: ${message.message}`
              : `unexpected answer (HTTP ${o.status}): ${message.reason}`,
        }),
      };
    return { answer: answerOf(message.content), raw: o.raw };
  }
}
