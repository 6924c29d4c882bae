import { Router, type Request, type Response } from 'express';
import { readRfe, validateDocument, type DgiDocument } from '../../domain/dgi-document/index.js';
import { verifySignedRfe } from '../../domain/signing/verify-rfe.js';
import { EDOC_EXTRA_FIELDS, EDOC_PATHS, edocEmissionPath } from '../../pac/edoc/edoc-wire.js';
import type { PacSimulator } from './pac-simulator.js';
import { underFault } from './call-faults.js';
import { deliver, serverError } from './delivery.js';
import type { SimDocument } from './sim-types.js';

const STATUS_STATE: Record<SimDocument['status'], string> = {
  authorized: '2',
  pending: '5',
  rejected: '6',
  error: '4',
  annulled: '11',
};
const MESSAGES: Record<string, string> = {
  '2': 'Autorizado',
  '4': 'Error de procesamiento en eDoc',
  '5': 'Recibido, sin respuesta de la DGI',
  '6': 'Devuelto por la DGI por errores en el XML',
  '7': 'No recibido por la DGI',
  '10': 'Transitorio',
  '11': 'Anulado',
  '20': 'eDoc no puede comunicarse con la DGI; reenviará',
};

function respuesta(sim: PacSimulator, doc: SimDocument, duplicate = false) {
  if (duplicate) {
    return {
      Estado: '15',
      CodigoRespuesta: 'DUPLICADO',
      MensajeRespuesta: 'Documento duplicado',
      Cufe: doc.cufe,
      XML: null,
      UrlCodeQR: null,
    };
  }
  const estado = doc.edocState ?? STATUS_STATE[doc.status];
  const authorized = estado === '2' || estado === '11';
  return {
    Estado: estado,
    Cufe: doc.cufe,
    MensajeRespuesta: doc.rejection?.message ?? MESSAGES[estado] ?? `Estado ${estado}`,
    CodigoRespuesta: null,
    XML: authorized ? doc.signedXml : null,
    UrlCodeQR: authorized ? sim.qrUrlFor(doc) : null,
    Protocolo: authorized ? doc.protocol : null,
    FechaAutorizacion: authorized ? doc.authorizedAt : null,
    ErroresDGI: doc.rejection ? [{ Codigo: doc.rejection.code, Mensaje: doc.rejection.message }] : [],
  };
}

type TakenDocument =
  | { ok: true; document: DgiDocument; signedXml?: string }
  | { ok: false; errors: Array<{ Codigo: string; Mensaje: string }> };

const schemaErrors = (issues: Array<{ path: string; message: string }>) =>
  issues.map((i) => ({ Codigo: '0100', Mensaje: `${i.path}: ${i.message}` }));

/** eDoc's JSON with the DGI's names (eDoc signs it and draws its CUFE). */
function documentOf(input: unknown): TakenDocument {
  const body = { ...(input as Record<string, unknown>) };
  for (const field of EDOC_EXTRA_FIELDS) delete body[field];
  const valid = validateDocument(body);
  return valid.ok
    ? { ok: true, document: valid.document }
    : { ok: false, errors: schemaErrors(valid.issues) };
}

/** A "…FirmadaEnte" call: the emitter's signed rFE, which must verify and whose CUFE must follow from it. */
function signedDocumentOf(input: unknown): TakenDocument {
  const xml = (input as { XmlFirmado?: unknown } | undefined)?.XmlFirmado;
  if (typeof xml !== 'string')
    return { ok: false, errors: [{ Codigo: '0100', Mensaje: 'XmlFirmado: falta' }] };
  const verified = verifySignedRfe(xml);
  if (!verified.ok) return { ok: false, errors: [{ Codigo: '0100', Mensaje: `Firma: ${verified.reason}` }] };
  const read = readRfe(xml);
  if (!read.ok) return { ok: false, errors: schemaErrors(read.issues) };
  const valid = validateDocument(read.document);
  if (!valid.ok) return { ok: false, errors: schemaErrors(valid.issues) };
  if (valid.document.dId !== read.document.dId)
    return { ok: false, errors: [{ Codigo: '0101', Mensaje: `dId: el CUFE no corresponde al documento` }] };
  return { ok: true, document: valid.document, signedXml: xml };
}

/** Gurusoft eDoc 4.0 (spec pac-apis §1): Basic → JWT per service, Bearer on every call; eDoc signs. */
const denied = (res: Response) =>
  res.status(401).json({ Message: 'Authorization has been denied for this request.' });

export function edocRoutes(sim: PacSimulator): Router {
  const router = Router();

  router.get('/Autenticacion/Api/ServicioEDOC', (req, res) => {
    const [scheme, encoded] = (req.get('authorization') ?? '').split(' ');
    const [user = '', password = ''] =
      scheme === 'Basic' && encoded ? Buffer.from(encoded, 'base64').toString('utf8').split(':') : [];
    const service = Number(req.query.Id);
    const token = sim.issueEdocToken(user, password, service);
    if (!token)
      return void res.status(401).json({ codigoError: '401', mensajeRespuesta: 'Credenciales inválidas' });
    res.json({ ...token, codigoError: null, mensajeRespuesta: 'OK' });
  });

  const accountOf = (req: Request, res: Response): string | undefined => {
    const token = (req.get('authorization') ?? '').replace(/^Bearer /, '');
    const accountId = sim.edocAccountForToken(token);
    if (!accountId) denied(res);
    return accountId;
  };

  const emission = (path: string, signed = false) =>
    router.post(path, async (req, res) => {
      const accountId = accountOf(req, res);
      if (!accountId) return;
      const taken = signed ? signedDocumentOf(req.body) : documentOf(req.body);
      if (!taken.ok) {
        return void res.json({
          Estado: '6',
          Cufe: null,
          MensajeRespuesta: 'Documento con errores',
          ErroresDGI: taken.errors.slice(0, 20),
        });
      }
      const doc = taken.document;
      if (edocEmissionPath(doc.gDGen.iDoc, signed) !== path) {
        return void res.json({
          Estado: '15',
          CodigoRespuesta: 'TIPO_DOCUMENTO',
          MensajeRespuesta: `iDoc ${doc.gDGen.iDoc} no corresponde a ${path}`,
          Cufe: null,
        });
      }
      if (sim.accounts.get(accountId)?.environment !== doc.gDGen.iAmb) {
        return void res.json({
          Estado: '15',
          CodigoRespuesta: 'CREDENCIALES',
          MensajeRespuesta: `credenciales de otro ambiente que iAmb ${doc.gDGen.iAmb}`,
          Cufe: null,
        });
      }
      const { answer, plan } = await sim.submit({
        pac: 'edoc',
        accountId,
        document: doc,
        receiverName: doc.gDGen.gDatRec.dNombRec,
        // The emitter signed it: eDoc transmits it as it is (its CUFE stays).
        ...(taken.signedXml ? { signedXml: taken.signedXml } : {}),
      });
      if (answer.kind === 'abort') {
        if (answer.reason === 'token-expires-now') return void denied(res);
        return serverError(res);
      }
      await deliver(res, plan, sim.latencyMs(), () => res.json(respuesta(sim, answer.doc, answer.duplicate)));
    });
  emission(EDOC_PATHS.invoice);
  emission(EDOC_PATHS.creditNote);
  emission(EDOC_PATHS.debitNote);
  emission(EDOC_PATHS.signedInvoice, true);
  emission(EDOC_PATHS.signedCreditNote, true);
  emission(EDOC_PATHS.signedDebitNote, true);

  router.get('/Emision/Consulta/Estado/Api/Documento', async (req, res) => {
    const accountId = accountOf(req, res);
    if (!accountId) return;
    const q = req.query as Record<string, string | undefined>;
    const key = [
      'edoc',
      q.Ambiente,
      q.RucEmisor,
      q.Sucursal,
      q.PuntoFacturacion,
      q.TipoDocumento,
      q.NumDocumento,
    ].join('|');
    await new Promise((r) => setTimeout(r, sim.latencyMs()));
    const fault = sim.takeCallFault('query', await sim.store.get(key));
    await underFault(
      res,
      fault,
      () => denied(res),
      async (missing) => {
        const doc = missing ? undefined : await sim.query({ key });
        if (!doc)
          return () => res.json({ Estado: '18', MensajeRespuesta: 'Documento no encontrado.', Cufe: null });
        return () => res.json(respuesta(sim, doc));
      },
    );
  });

  router.post('/Emision/Eventos/API/Anulacion', async (req, res) => {
    if (!accountOf(req, res)) return;
    const { Cufe } = req.body as { Cufe?: string };
    const fault = sim.takeCallFault('annul', await sim.store.byCufe(String(Cufe)));
    await underFault(
      res,
      fault,
      () => denied(res),
      async (missing) => {
        const { result, doc } = missing
          ? { result: 'not-found' as const, doc: undefined }
          : await sim.annul(String(Cufe));
        const fecha = doc?.authorizedAt ?? null;
        if (result === 'not-found')
          return () =>
            res.json({
              estado: '18',
              mensajeRespuesta: 'Documento no encontrado.',
              codigoRespuestaDGI: null,
              fechaAutorizacion: null,
            });
        if (result === 'not-authorized')
          return () =>
            res.json({
              estado: '3',
              mensajeRespuesta: 'Solo se anulan documentos autorizados',
              codigoRespuestaDGI: null,
              fechaAutorizacion: fecha,
            });
        return () =>
          res.json({
            estado: '11',
            fechaAutorizacion: fecha,
            codigoRespuestaDGI: result === 'annulled' ? '0600' : '0622',
            mensajeRespuesta:
              result === 'annulled'
                ? 'Evento registrado con éxito'
                : 'Ya existe un evento de anulación para esta FE',
          });
      },
    );
  });

  // Service 4: the DGI's status of any emitter's document, by CUFE (the receiving side).
  router.get('/Recepcion/Consulta/Api/Documento', async (req, res) => {
    if (!accountOf(req, res)) return;
    const cufe = typeof req.query.Cufe === 'string' ? req.query.Cufe : '';
    await new Promise((r) => setTimeout(r, sim.latencyMs()));
    await underFault(
      res,
      sim.takeCallFault('query', await sim.store.byCufe(cufe)),
      () => denied(res),
      async (missing) => {
        const doc = missing ? undefined : await sim.query({ cufe });
        if (!doc)
          return () => res.json({ Estado: '18', MensajeRespuesta: 'Documento no encontrado.', Cufe: null });
        return () => res.json({ ...respuesta(sim, doc), XML: null });
      },
    );
  });

  // Service 2: the documents other emitters issued to a receiver (the simulator's suppliers').
  router.get('/Recepcion/Api/Documentos', async (req, res) => {
    if (!accountOf(req, res)) return;
    const ruc = typeof req.query.RucReceptor === 'string' ? req.query.RucReceptor : '';
    const environment = typeof req.query.Ambiente === 'string' ? req.query.Ambiente : '2';
    const documents = await sim.suppliers.issuedTo(ruc, environment);
    res.json({
      Estado: '2',
      MensajeRespuesta: `${documents.length} documento(s)`,
      Documentos: documents.map((d) => ({ Cufe: d.cufe, XML: d.xml })),
    });
  });

  // Service 15: the receiver's manifestation, signed by the receiver.
  router.post('/Recepcion/Eventos/Api/ManifiestoReceptor', async (req, res) => {
    if (!accountOf(req, res)) return;
    const { Cufe, EventoFirmado } = req.body as { Cufe?: string; EventoFirmado?: string };
    if (typeof EventoFirmado !== 'string' || typeof Cufe !== 'string')
      return void res.json({ estado: '3', mensajeRespuesta: 'Cufe y EventoFirmado son requeridos' });
    await underFault(
      res,
      sim.takeCallFault('manifest', await sim.store.byCufe(Cufe)),
      () => denied(res),
      async (missing) => {
        if (missing) return () => res.json({ estado: '18', mensajeRespuesta: 'Documento no encontrado.' });
        const answer = await sim.suppliers.manifest(EventoFirmado, 'edoc');
        const accepted = answer.code === '0600' || answer.code === '0622';
        return () =>
          res.json({
            estado: accepted ? '11' : '3',
            codigoRespuestaDGI: answer.code,
            mensajeRespuesta: answer.message,
            fechaAutorizacion: null,
          });
      },
    );
  });

  router.get('/Emision/Consulta/Api/DocumentoXml', async (req, res) => {
    if (!accountOf(req, res)) return;
    const doc = await sim.store.byCufe(typeof req.query.Cufe === 'string' ? req.query.Cufe : '');
    if (!doc)
      return void res.json({ Estado: '18', MensajeRespuesta: 'Documento no encontrado.', Cufe: null });
    res.json(respuesta(sim, doc));
  });
  return router;
}
