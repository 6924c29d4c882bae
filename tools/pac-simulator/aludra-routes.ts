import { Router, type Request, type Response } from 'express';
import { readRfe, validateDocument } from '../../domain/dgi-document/index.js';
import { verifySignedRfe } from '../../domain/signing/verify-rfe.js';
import type { PacSimulator } from './pac-simulator.js';
import { underFault } from './call-faults.js';
import { deliver, serverError } from './delivery.js';
import type { SimDocument } from './sim-types.js';

type GResProc = { dCodRes: string; dMsgRes: string };

const envelope = (
  data: unknown[] | null,
  status: { Code: string; Message: string | GResProc } = { Code: '200', Message: 'OK' },
) => ({
  Status: status,
  Info: { Datetime: new Date().toISOString(), AcceptedUser: 'fepa-simulator' },
  Errors: null,
  Data: data,
});

const a400 = (res: Response, code: string, message: string) =>
  res.status(400).json(envelope(null, { Code: 'A400', Message: { dCodRes: code, dMsgRes: message } }));

/** Aludra's view of a stored document. */
function render(sim: PacSimulator, doc: SimDocument, duplicate = false) {
  let gResProc: GResProc;
  if (duplicate) gResProc = { dCodRes: '1513', dMsgRes: 'Número de documento fiscal duplicado' };
  else if (doc.status === 'authorized') gResProc = { dCodRes: '0920', dMsgRes: 'Recibido exitosamente' };
  else if (doc.status === 'pending') gResProc = { dCodRes: '0260', dMsgRes: 'Autorizado el uso de la FE' };
  else if (doc.status === 'annulled') gResProc = { dCodRes: '0600', dMsgRes: 'Evento registrado con éxito' };
  else if (doc.status === 'error')
    gResProc = { dCodRes: '1508', dMsgRes: 'Tiempo excesivo en operación de contingencia' };
  else gResProc = { dCodRes: doc.rejection?.code ?? '0100', dMsgRes: doc.rejection?.message ?? 'Rechazado' };
  const authorized = doc.status === 'authorized' || doc.status === 'pending' || doc.status === 'annulled';
  return envelope([
    {
      gResProc,
      gResProcList: [gResProc],
      sendFail: false,
      ...(authorized
        ? {
            urlCufe: sim.qrUrlFor(doc),
            xProtFe: [
              {
                rProtFe: {
                  dVerForm: '1.00',
                  dCufe: doc.cufe,
                  gInfProt: {
                    dId: `ID${doc.protocol ?? ''}`,
                    iAmb: doc.environment,
                    dVerApl: '1.00',
                    dCUFE: doc.cufe,
                    dFecProc: doc.authorizedAt ?? doc.receivedAt,
                    dProtAut: doc.protocol,
                    dDigVal: '',
                    gResProc: [gResProc],
                  },
                },
              },
            ],
          }
        : {}),
    },
  ]);
}

const accessDenied = (res: Response) =>
  res.status(401).json({
    statusCode: 401,
    message:
      'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.',
  });

/** Aludra's gateway (spec pac-apis §3), behind `api-key`, for documents signed by the client. */
export function aludraRoutes(sim: PacSimulator): Router {
  const router = Router();
  const accountOf = (req: Request, res: Response): string | undefined => {
    const accountId = sim.findAludraAccount(req.get('api-key'));
    const account = accountId ? sim.accounts.get(accountId) : undefined;
    const body = req.body as { iAmb?: unknown; gExtra?: { gCompanyCode?: unknown } } | undefined;
    if (!accountId || !account) {
      accessDenied(res);
      return undefined;
    }
    if (account.companyCode !== '*' && body?.gExtra?.gCompanyCode !== account.companyCode) {
      res
        .status(403)
        .json(envelope(null, { Code: '403', Message: 'gCompanyCode does not belong to this api-key' }));
      return undefined;
    }
    if (String(body?.iAmb) !== account.environment) {
      res
        .status(403)
        .json(envelope(null, { Code: '403', Message: `this api-key is for iAmb ${account.environment}` }));
      return undefined;
    }
    return accountId;
  };

  router.post('/mdl18/feRecepFEDGI', async (req, res) => {
    const accountId = accountOf(req, res);
    if (!accountId) return;
    const xFe = (req.body as { xFe?: unknown }).xFe;
    if (typeof xFe !== 'string') return a400(res, '0100', 'xFe (the signed rFE) is required');
    const read = readRfe(xFe);
    if (!read.ok) return a400(res, '0100', `${read.issues[0]?.path}: ${read.issues[0]?.message}`);
    const valid = validateDocument(read.document);
    if (!valid.ok) return a400(res, '0100', `${valid.issues[0]?.path}: ${valid.issues[0]?.message}`);
    const signature = verifySignedRfe(xFe);
    if (!signature.ok) return a400(res, '0100', `Firma inválida: ${signature.failure}: ${signature.reason}`);
    const now = new Date();
    if (now < new Date(signature.certificate.validFrom) || now > new Date(signature.certificate.validTo)) {
      return a400(res, '0100', 'El certificado de firma no está vigente');
    }
    const { answer, plan } = await sim.submit({
      pac: 'aludra',
      accountId,
      document: valid.document,
      signedXml: xFe,
      receiverName: valid.document.gDGen.gDatRec.dNombRec,
    });
    if (answer.kind === 'abort') return serverError(res);
    await deliver(res, plan, sim.latencyMs(), () => res.json(render(sim, answer.doc, answer.duplicate)));
  });

  const byCufe =
    (handler: (req: Request, res: Response, cufe: string) => Promise<void>) =>
    async (req: Request, res: Response) => {
      if (!accountOf(req, res)) return;
      const cufe = (req.body as { dCufe?: unknown }).dCufe;
      if (typeof cufe !== 'string') return void a400(res, '0100', 'dCufe is required');
      await new Promise((r) => setTimeout(r, sim.latencyMs()));
      await handler(req, res, cufe);
    };
  const notFound = (res: Response) =>
    res.status(404).json(envelope(null, { Code: '404', Message: 'Documento no encontrado' }));

  router.post(
    '/mdl18/feConsFE',
    byCufe(async (_req, res, cufe) => {
      const fault = sim.takeCallFault('query', await sim.store.byCufe(cufe));
      await underFault(
        res,
        fault,
        () => accessDenied(res),
        async (missing) => {
          const doc = missing ? undefined : await sim.query({ cufe });
          return doc ? () => res.json(render(sim, doc)) : () => notFound(res);
        },
      );
    }),
  );
  // A signed event in dEvReg (the receiver's manifestation) rather than an annulment by CUFE.
  router.post('/mdl18/feRecepEventoDGI', async (req, res, next) => {
    const event = (req.body as { dEvReg?: unknown }).dEvReg;
    if (typeof event !== 'string') return next();
    if (!accountOf(req, res)) return;
    const cufe = /<dCufe>([^<]*)<\/dCufe>/.exec(event)?.[1];
    const protocol = /<dProtAut>([^<]*)<\/dProtAut>/.exec(event)?.[1];
    const target = cufe
      ? await sim.store.byCufe(cufe)
      : (await sim.store.list()).find((d) => protocol !== undefined && d.protocol === protocol);
    await underFault(
      res,
      sim.takeCallFault('manifest', target),
      () => accessDenied(res),
      async (missing) => {
        if (missing) return () => notFound(res);
        const answer = await sim.suppliers.manifest(event, 'aludra');
        const gResProc = { dCodRes: answer.code, dMsgRes: answer.message };
        return () => res.json(envelope([{ gResProc, gResProcList: [gResProc] }]));
      },
    );
  });
  router.post(
    '/mdl18/feRecepEventoDGI',
    byCufe(async (_req, res, cufe) => {
      const fault = sim.takeCallFault('annul', await sim.store.byCufe(cufe));
      await underFault(
        res,
        fault,
        () => accessDenied(res),
        async (missing) => {
          const { result } = missing ? { result: 'not-found' as const } : await sim.annul(cufe);
          if (result === 'not-found') return () => notFound(res);
          if (result === 'not-authorized')
            return () => a400(res, 'A400', 'Solo se anulan documentos autorizados');
          const gResProc =
            result === 'annulled'
              ? { dCodRes: '0600', dMsgRes: 'Evento registrado con éxito' }
              : { dCodRes: '0622', dMsgRes: 'Ya existe un evento de anulación para esta FE' };
          return () => res.json(envelope([{ gResProc, gResProcList: [gResProc] }]));
        },
      );
    }),
  );
  router.post(
    '/mdl18/feDescFE',
    byCufe(async (_req, res, cufe) => {
      const doc = await sim.store.byCufe(cufe);
      if (!doc) return void notFound(res);
      const rendered = render(sim, doc);
      if (doc.status === 'authorized' || doc.status === 'annulled')
        (rendered.Data![0] as Record<string, unknown>).LoteFE = [{ Xml: doc.signedXml }];
      res.json(rendered);
    }),
  );
  return router;
}
