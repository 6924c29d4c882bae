import { Router } from 'express';
import { z } from 'zod';
import { HttpProblem } from '../../api/problem.js';
import { EmitterSchema } from '../../domain/dgi-document/schema/parties.js';
import { parseBody } from '../../api/validation.js';
import type { PacSimulator } from './pac-simulator.js';
import { ScenarioError } from './scenario-script.js';
import { deliverSupplierMail } from './supplier-mail.js';

const AccountRequest = z.discriminatedUnion('pac', [
  z.strictObject({
    id: z.string().min(1),
    pac: z.literal('aludra'),
    environment: z.enum(['1', '2']),
    apiKey: z.string().min(8),
    companyCode: z.string().min(1),
  }),
  z.strictObject({
    id: z.string().min(1),
    pac: z.literal('edoc'),
    environment: z.enum(['1', '2']),
    user: z.string().min(1),
    password: z.string().min(1),
  }),
  z.strictObject({
    id: z.string().min(1),
    pac: z.literal('hka'),
    environment: z.enum(['1', '2']),
    tokenEmpresa: z.string().min(1),
    tokenPassword: z.string().min(1),
    /** The emitter as registered with HKA (HKA builds gEmis from it). */
    emitter: EmitterSchema,
    folios: z.strictObject({ total: z.number().int().min(0), used: z.number().int().min(0) }).optional(),
    annulmentWindowHours: z
      .number()
      .min(0)
      .max(24 * 365)
      .optional(),
  }),
]);

const RuleRequest = z.strictObject({
  pac: z.enum(['aludra', 'edoc', 'hka']).optional(),
  match: z.strictObject({
    ruc: z.string().optional(),
    number: z.string().optional(),
    receiverName: z.string().optional(),
  }),
  script: z.array(z.string()).min(1).max(50),
  sticky: z.boolean().optional(),
});

const OutageRequest = z.strictObject({
  durationMs: z.number().int().min(1).max(86_400_000),
  mode: z.enum(['reset', 'unavailable']).optional(),
});

const SupplierDocumentRequest = z.strictObject({
  receiver: z.strictObject({
    ruc: z.string().min(5).max(20),
    dv: z.string().regex(/^[0-9]{2}$/),
    rucType: z.enum(['1', '2']).optional(),
    name: z.string().min(2).max(100).optional(),
  }),
  environment: z.enum(['1', '2']).optional(),
  items: z.number().int().min(1).max(1000).optional(),
  registered: z.boolean().optional(),
});

const SupplierMailRequest = z.strictObject({
  mailbox: z.strictObject({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535),
    secure: z.boolean().optional(),
    user: z.string().min(1),
    password: z.string().min(1),
    folder: z.string().optional(),
  }),
  to: z.string().min(3),
  documents: z
    .array(z.strictObject({ name: z.string().min(1).max(100), xml: z.string().min(1) }))
    .min(1)
    .max(60),
  zip: z.boolean().optional(),
});

const CallFaultRequest = z.strictObject({
  operation: z.enum(['query', 'annul', 'manifest']),
  match: z.strictObject({ ruc: z.string().optional(), number: z.string().optional() }),
  steps: z.array(z.string()).min(1).max(500),
});

const DocumentStatusRequest = z.strictObject({
  ruc: z.string().optional(),
  number: z.string().min(1),
  status: z.enum(['authorized', 'annulled', 'rejected']),
});

const SettingsRequest = z.strictObject({
  latency: z
    .discriminatedUnion('mode', [
      z.strictObject({ mode: z.literal('none') }),
      z.strictObject({ mode: z.literal('fixed'), ms: z.number().int().min(0).max(120_000) }),
      z.strictObject({ mode: z.literal('realistic') }),
    ])
    .optional(),
  tokenLifetimeSeconds: z.number().int().min(1).max(86_400).optional(),
  random: z
    .strictObject({
      seed: z.number().int(),
      pendingRate: z.number().min(0).max(1),
      rejectRate: z.number().min(0).max(1),
      errorRate: z.number().min(0).max(1),
      faults: z
        .strictObject({
          loseReply: z.number().min(0).max(1),
          http500: z.number().min(0).max(1),
          hang: z.number().min(0).max(1),
          duplicate: z.number().min(0).max(1),
          hangMs: z.number().int().min(0).max(600_000),
        })
        .optional(),
    })
    .nullable()
    .optional(),
});

const definedOnly = <T extends Record<string, unknown>>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };

/** A bad script step is the caller's mistake: 400 with what is wrong. */
function asBadRequest<T>(title: string, add: () => T): T {
  try {
    return add();
  } catch (err) {
    if (err instanceof ScenarioError)
      throw new HttpProblem({ type: 'validation', title, status: 400, detail: err.message });
    throw err;
  }
}

/**
 * `/_sim`: the simulator's control panel. Register accounts, script outcomes per document (matched by
 * RUC, number or receiver name), switch latency or seeded random outcomes, inspect and reset.
 */
export function adminRoutes(sim: PacSimulator): Router {
  const router = Router();
  router.post('/_sim/accounts', (req, res) => {
    const { id, ...account } = parseBody(AccountRequest, req.body);
    sim.addAccount(id, definedOnly(account));
    res.status(201).json({ id });
  });
  router.post('/_sim/rules', (req, res) => {
    const body = parseBody(RuleRequest, req.body);
    const match = definedOnly(body.match);
    const rule = { ...body, match } as Parameters<PacSimulator['addRule']>[0];
    res.status(201).json(asBadRequest('Bad scenario', () => sim.addRule(rule)));
  });
  router.post('/_sim/call-faults', (req, res) => {
    const body = parseBody(CallFaultRequest, req.body);
    const match = definedOnly(body.match);
    res.status(201).json(asBadRequest('Bad call fault', () => sim.addCallFaults({ ...body, match })));
  });
  router.post('/_sim/documents/status', async (req, res) => {
    const body = parseBody(DocumentStatusRequest, req.body);
    const doc = await sim.setDocumentStatus(body, body.status);
    if (!doc) throw new HttpProblem({ type: 'not-found', title: 'No such document', status: 404 });
    const { signedXml: _xml, ...shown } = doc;
    res.json(shown);
  });
  router.get('/_sim/rules', (_req, res) => {
    res.json(sim.listRules());
  });
  router.delete('/_sim/rules', (_req, res) => {
    sim.clearRules();
    res.status(204).end();
  });
  router.post('/_sim/settings', (req, res) => {
    const body = parseBody(SettingsRequest, req.body);
    const { random, ...rest } = body;
    sim.updateSettings(Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)));
    if (random !== undefined) {
      if (random === null) {
        const { random: _drop, ...others } = sim.settings;
        sim.settings = others;
        sim.updateSettings({});
      } else sim.updateSettings({ random });
    }
    res.json(sim.settings);
  });
  router.post('/_sim/accounts/:id/expire-tokens', (req, res) => {
    sim.expireTokens(req.params.id);
    res.status(204).end();
  });
  router.get('/_sim/documents', async (req, res) => {
    const { ruc, number } = req.query as { ruc?: string; number?: string };
    const docs = (await sim.store.list()).filter(
      (d) => (!ruc || d.ruc === ruc) && (!number || Number(d.number) === Number(number)),
    );
    res.json(docs.map(({ signedXml: _xml, ...d }) => d));
  });
  router.post('/_sim/outage', (req, res) => {
    const body = parseBody(OutageRequest, req.body);
    res.status(201).json(sim.outage.start(body.durationMs, body.mode));
  });
  router.get('/_sim/outage', (_req, res) => {
    res.json(sim.outage.state());
  });
  router.delete('/_sim/outage', (_req, res) => {
    res.json(sim.outage.end());
  });
  router.post('/_sim/unregistered-rucs', (req, res) => {
    const { ruc } = parseBody(z.strictObject({ ruc: z.string().min(1) }), req.body);
    sim.unregisteredRucs.add(ruc);
    res.status(204).end();
  });
  // Receiving: documents other emitters issue to a company, their later annulment, mail delivery, events.
  router.post('/_sim/supplier-documents', async (req, res) => {
    res.status(201).json(await sim.suppliers.issue(parseBody(SupplierDocumentRequest, req.body)));
  });
  router.post('/_sim/supplier-documents/:cufe/annul', async (req, res) => {
    const done = await sim.suppliers.annul(req.params.cufe);
    res.status(done ? 200 : 404).json({ annulled: done });
  });
  router.post('/_sim/supplier-mail', async (req, res) => {
    const body = parseBody(SupplierMailRequest, req.body);
    res.status(201).json(
      await deliverSupplierMail(body.mailbox, {
        from: `facturacion@proveedor-simulado.test`,
        to: body.to,
        subject: `Factura electrónica de PROVEEDOR SIMULADO, S.A.`,
        documents: body.documents,
        ...(body.zip ? { zip: true } : {}),
      }),
    );
  });
  router.get('/_sim/manifestations', (_req, res) => {
    res.json(sim.suppliers.manifestations);
  });

  router.post('/_sim/reset', async (_req, res) => {
    await sim.reset();
    res.status(204).end();
  });
  return router;
}
