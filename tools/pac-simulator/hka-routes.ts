import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { cafeModel } from '../../domain/cafe/cafe-model.js';
import { formatOfSignedXml, renderCafe } from '../../domain/cafe/render-cafe.js';
import {
  computeRucDv,
  parseCufe,
  validateDocument,
  type DgiDocument,
} from '../../domain/dgi-document/index.js';
import { fromHkaDocumento, type HkaTree } from '../../pac/hka/hka-mapping.js';
import { readSoapMessage, soapFault, soapResponse } from '../../pac/hka/hka-soap.js';
import { HKA_LIST_ELEMENTS, HKA_OPERATIONS, type HkaOperation } from '../../pac/hka/hka-wire.js';
import { underFault } from './call-faults.js';
import { deliver } from './delivery.js';
import { hkaWsdl } from './hka-wsdl.js';
import type { PacSimulator } from './pac-simulator.js';
import type { SimAccount, SimDocument } from './sim-types.js';

const DAY_MS = 86_400_000;

/** HKA's answer fields, as text (nil fields are simply left out). */
type Answer = Record<string, string | HkaTree | HkaTree[]>;

const answer = (codigo: string, resultado: 'procesado' | 'error', mensaje: string, rest: Answer = {}) => ({
  codigo,
  resultado,
  mensaje,
  ...rest,
});

/** What the DGI relayed for a rejected document: every code, `code-text` separated by ` | `. */
function rejectionText(doc: SimDocument): string {
  const all = doc.rejection ? [doc.rejection, ...(doc.rejection.more ?? [])] : [];
  return all.map((r) => `${r.code}-${r.message}`).join(' | ');
}

const STATUS_TEXT: Record<SimDocument['status'], string> = {
  authorized: 'Autorizada',
  annulled: 'Anulada',
  pending: 'Pendiente',
  rejected: 'Rechazada',
  error: 'Rechazada',
};

const text = (tree: HkaTree, name: string) => (typeof tree[name] === 'string' ? tree[name] : '');

/**
 * The Factory HKA's SOAP service (spec hka.md): one endpoint, the operation in `SOAPAction`, tokens on
 * every call, HKA builds and signs the rFE from its own field names. Every scenario of hka.md §5 comes
 * from the simulator's shared scripts (rules) plus each account's folios and annulment window.
 */
export function hkaRoutes(sim: PacSimulator): Router {
  const router = Router();
  const path = '/ws/obj/v1.0/Service.svc';

  router.get(path, (req, res) => {
    if (!('wsdl' in req.query) && !('singleWsdl' in req.query))
      return void res.type('text/plain').send('The Factory HKA service (simulator): ?wsdl');
    res
      .type('text/xml')
      .send(hkaWsdl(`${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}${path}`));
  });

  router.post(path, async (req: Request, res: Response) => {
    const action = (req.get('soapaction') ?? '').replace(/"/g, '');
    const operation = action.split('/').pop() as HkaOperation;
    const message = readSoapMessage(typeof req.body === 'string' ? req.body : '', HKA_LIST_ELEMENTS);
    if (message.kind !== 'body' || !HKA_OPERATIONS.includes(operation) || message.operation !== operation) {
      const reason = message.kind === 'unreadable' ? message.reason : `unknown action "${action}"`;
      return void res.status(500).type('text/xml').send(soapFault('s:Client', reason));
    }
    const params = message.content;
    const credentials =
      (operation === 'ConsultarRucDV' ? (params.consultarRucDVRequest as HkaTree | undefined) : params) ?? {};
    const accountId = sim.findHkaAccount(
      text(credentials, 'tokenEmpresa'),
      text(credentials, 'tokenPassword'),
    );
    const account = accountId ? sim.accounts.get(accountId) : undefined;
    const reply = (result: Answer) => void res.type('text/xml').send(soapResponse(operation, result));
    if (!accountId || !account?.emitter)
      return void reply(answer('100', 'error', 'El token del emisor es inválido'));
    const handlers: Record<HkaOperation, () => Promise<void> | void> = {
      Enviar: () => enviar(sim, accountId, account, params, res, reply),
      EstadoDocumento: () =>
        located(sim, account, params, 'query', res, reply, async (doc) => {
          const current = await sim.query({ key: doc.key });
          return answer('200', 'procesado', 'Consulta realizada', {
            cufe: doc.cufe,
            fechaEmisionDocumento: doc.receivedAt,
            fechaRecepcionDocumento: doc.receivedAt,
            estatusDocumento: STATUS_TEXT[current!.status],
            mensajeDocumento: current!.status === 'rejected' ? rejectionText(current!) : '',
          });
        }),
      AnulacionDocumento: () =>
        located(sim, account, params, 'annul', res, reply, async (doc) => {
          const windowMs = (account.annulmentWindowHours ?? 7 * 24) * 3_600_000;
          if (doc.status === 'authorized' && Date.now() - authorizedAtMs(doc) >= windowMs)
            return answer('112', 'error', 'El plazo para anular el documento ha vencido');
          const { result } = await sim.annul(doc.cufe);
          if (result === 'not-authorized')
            return answer('109', 'error', 'Solo se anulan documentos autorizados');
          return answer('200', 'procesado', 'Documento anulado', { estatusDocumento: 'Anulada' });
        }),
      DescargaXML: () =>
        located(sim, account, params, undefined, res, reply, (doc) =>
          doc.status === 'authorized' || doc.status === 'annulled'
            ? answer('200', 'procesado', 'Descarga realizada', {
                documento: Buffer.from(doc.signedXml ?? '', 'utf8').toString('base64'),
              })
            : answer('109', 'error', 'El documento no está autorizado'),
        ),
      DescargaPDF: () =>
        located(sim, account, params, undefined, res, reply, async (doc) => {
          const xml = doc.signedXml ?? '';
          const pdf = await renderCafe(
            cafeModel(xml, { protocol: doc.protocol, authorizedAt: doc.authorizedAt }),
            formatOfSignedXml(xml),
          );
          return answer('200', 'procesado', 'Descarga realizada', { documento: pdf.toString('base64') });
        }),
      EnvioCorreo: () =>
        located(sim, account, params, undefined, res, reply, async (doc) => {
          const correo = text(params, 'correo');
          if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(correo))
            return answer('109', 'error', `Correo inválido: ${correo}`);
          doc.emails = [
            ...(doc.emails ?? []),
            { correo, creadoEn: new Date().toISOString(), estado: 'Enviado', messageId: randomUUID() },
          ];
          await sim.store.put(doc);
          return answer('200', 'procesado', 'Correo enviado');
        }),
      RastreoCorreo: async () => {
        const doc = await sim.store.byCufe(text(params, 'cufe'));
        if (!doc || doc.account !== accountId)
          return void reply(answer('404', 'error', 'Documento no encontrado'));
        reply(answer('200', 'procesado', 'Consulta realizada', { RastreoCorreo: doc.emails ?? [] }));
      },
      FoliosRestantes: () => {
        const { total, used } = account.folios ?? { total: 1000, used: 0 };
        reply(
          answer('200', 'procesado', 'Consulta realizada', {
            licencia: 'SIMULADOR',
            fechaLicencia: '2030-12-31',
            ciclo: '1',
            fechaCiclo: '2030-12-31',
            foliosTotalesCiclo: String(total),
            foliosUtilizadosCiclo: String(used),
            foliosDisponibleCiclo: String(Math.max(0, total - used)),
            foliosTotales: String(total),
            foliosTotalesDisponibles: String(Math.max(0, total - used)),
          }),
        );
      },
      ConsultarRucDV: () => reply(rucAnswer(sim, credentials)),
    };
    await handlers[operation]();
  });
  return router;
}

const authorizedAtMs = (doc: SimDocument) => Date.parse(doc.authorizedAt ?? doc.receivedAt);

/** Enviar: HKA's fields back in the DGI's names, then the shared scenario engine decides. */
async function enviar(
  sim: PacSimulator,
  accountId: string,
  account: SimAccount,
  params: HkaTree,
  res: Response,
  reply: (a: Answer) => void,
): Promise<void> {
  // usoPosterior{cufe}: the emitter already issued the document with this CUFE (a contingency copy its
  // customer holds); HKA builds it with that CUFE's security code, and refuses it when it does not follow.
  const { usoPosterior, ...documento } = (params.documento ?? {}) as HkaTree & { usoPosterior?: unknown };
  const given = (usoPosterior as { cufe?: unknown } | undefined)?.cufe;
  const { document, unknown } = fromHkaDocumento(documento, {
    environment: account.environment,
    emitter: account.emitter!,
  });
  if (unknown.length)
    return reply(answer('109', 'error', `Campos desconocidos: ${unknown.slice(0, 5).join(', ')}`));
  if (given !== undefined) {
    const parsed = typeof given === 'string' ? parseCufe(given) : undefined;
    if (!parsed?.ok) return reply(answer('109', 'error', `0101-usoPosterior.cufe: CUFE inválido`));
    (document.gDGen as Record<string, unknown>).dSeg = parsed.fields.dSeg;
  }
  const valid = validateDocument(document);
  if (!valid.ok)
    return reply(
      answer(
        '109',
        'error',
        valid.issues
          .slice(0, 5)
          .map((i) => `0100-${i.path}: ${i.message}`)
          .join(' | '),
      ),
    );
  const doc = valid.document;
  if (given !== undefined && doc.dId !== given)
    return reply(
      answer('109', 'error', `0101-usoPosterior.cufe: el CUFE no corresponde al documento (${doc.dId})`),
    );
  const tooOld = referenceTooOld(doc);
  if (tooOld) return reply(answer('180', 'error', tooOld));
  const folios = account.folios;
  if (folios && folios.used >= folios.total)
    return reply(answer('119', 'error', 'No tiene folios disponibles'));
  const { answer: outcome, plan } = await sim.submit({
    pac: 'hka',
    accountId,
    document: doc,
    receiverName: doc.gDGen.gDatRec.dNombRec,
  });
  if (outcome.kind === 'abort') {
    if (outcome.reason === 'refuse') return reply(refusal(outcome.code));
    return void res.status(500).type('text/xml').send(soapFault('s:Server', 'Error interno del servicio'));
  }
  const taken = outcome.doc;
  if (folios && !outcome.duplicate && taken.submissions === 1) folios.used++;
  await deliver(res, plan, sim.latencyMs(), () => reply(enviarAnswer(sim, taken, outcome.duplicate)));
}

/** What HKA answers to Enviar for a document it holds. */
function enviarAnswer(sim: PacSimulator, doc: SimDocument, duplicate = false): Answer {
  if (duplicate) return answer('102', 'error', '1513-Número de documento fiscal duplicado');
  const authorized = {
    cufe: doc.cufe,
    qr: sim.qrUrlFor(doc),
    fechaRecepcionDGI: doc.receivedAt,
    nroProtocoloAutorizacion: doc.protocol ?? '',
  };
  if (doc.answerCode === '201') return answer('201', 'procesado', 'Error al procesar solicitud.', authorized);
  if (doc.answerCode) return answer(doc.answerCode, 'error', 'Error al recibir la respuesta de la DGI');
  if (doc.status === 'authorized')
    return answer('200', 'procesado', 'El documento se envió correctamente.', authorized);
  if (doc.status === 'pending') return answer('202', 'error', 'Error al recibir la respuesta de la DGI');
  return answer('109', 'error', rejectionText(doc));
}

const REFUSALS: Record<string, string> = {
  '101': 'Error al validar el certificado de transmisión',
  '119': 'No tiene folios disponibles',
  '201': 'Error al procesar solicitud.',
  '300': 'Reenviar el documento',
};
const refusal = (code: string) => answer(code, 'error', REFUSALS[code] ?? `Error ${code}`);

/** HKA's 180: a note 04/05 may reference an FE of at most 180 days. */
function referenceTooOld(doc: DgiDocument): string | undefined {
  if (doc.gDGen.iDoc !== '04' && doc.gDGen.iDoc !== '05') return undefined;
  const issued = Date.parse(doc.gDGen.dFechaEm);
  const old = (doc.gDGen.gDFRef ?? []).find((r) => issued - Date.parse(r.dFechaDFRef) > 180 * DAY_MS);
  return old ? `El documento referenciado tiene más de 180 días (${old.dFechaDFRef})` : undefined;
}

/** Calls that name a document by `datosDocumento`: found in the account, under the scripted call faults. */
async function located(
  sim: PacSimulator,
  account: SimAccount,
  params: HkaTree,
  faultOperation: 'query' | 'annul' | undefined,
  res: Response,
  reply: (a: Answer) => void,
  operate: (doc: SimDocument) => Promise<Answer> | Answer,
): Promise<void> {
  const d = (params.datosDocumento ?? {}) as HkaTree;
  const ruc = account.emitter!.gRucEmi.dRuc;
  const key = [
    'hka',
    account.environment,
    ruc,
    text(d, 'codigoSucursalEmisor'),
    text(d, 'puntoFacturacionFiscal'),
    text(d, 'tipoDocumento'),
    text(d, 'numeroDocumentoFiscal'),
  ].join('|');
  await new Promise((r) => setTimeout(r, sim.latencyMs()));
  const stored = await sim.store.get(key);
  const fault = faultOperation ? sim.takeCallFault(faultOperation, stored) : undefined;
  await underFault(
    res,
    fault,
    () => reply(answer('100', 'error', 'El token del emisor es inválido')),
    async (missing) => {
      const result =
        missing || !stored ? answer('404', 'error', 'Documento no encontrado') : await operate(stored);
      return () => reply(result);
    },
  );
}

/** ConsultarRucDV: the DV by the DGI's algorithm; the name and enrolment from the simulator's accounts. */
function rucAnswer(sim: PacSimulator, request: HkaTree): Answer {
  const ruc = text(request, 'ruc');
  const tipoRuc = text(request, 'tipoRuc');
  if (tipoRuc !== '1' && tipoRuc !== '2') return answer('109', 'error', 'tipoRuc debe ser 1 o 2');
  if (sim.unregisteredRucs.has(ruc)) return answer('102', 'error', 'Contribuyente no inscrito');
  let dv: string;
  try {
    dv = computeRucDv(ruc, tipoRuc);
  } catch {
    return answer('102', 'error', 'Contribuyente no inscrito');
  }
  const enrolled = [...sim.accounts.values()].find((a) => a.emitter?.gRucEmi.dRuc === ruc);
  return answer('200', 'procesado', 'Consulta realizada', {
    infoRuc: {
      tipoRuc,
      ruc,
      dv,
      razonSocial: enrolled?.emitter?.dNombEm ?? `CONTRIBUYENTE ${ruc}`,
      afiliadoFE: enrolled ? 'SI' : 'NO',
    },
  });
}
