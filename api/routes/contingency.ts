import { z } from 'zod';
import { ContingencySettingsSchema } from '../../domain/contingency/contingency-settings.js';
import type {
  ContingencyRefusal,
  ContingencyService,
  ContingencyView,
} from '../../app/services/contingency-service.js';
import { companyNotFound, HttpProblem } from '../problem.js';
import { defineRoute, type AnyRoute } from '../route-definition.js';

const Environment = z.enum(['1', '2']).default('1');
const EnvironmentQuery = z.strictObject({ environment: Environment });
const Actor = z.string().min(1).max(100);

const StartRequest = z.strictObject({
  environment: Environment,
  actor: Actor,
  /** dMotCont of every document issued in it (15–250 characters). */
  reason: z.string().trim().min(15).max(250),
  /** When the outage started (default: now). */
  since: z.iso.datetime({ offset: true }).optional(),
  /** End by itself once the PAC answers again (as automatic contingencies do). */
  endWhenPacAnswers: z.boolean().default(false),
});
const EndRequest = z.strictObject({ environment: Environment, actor: Actor });
const ExplainRequest = z.strictObject({
  environment: Environment,
  actor: Actor,
  explanation: z.string().trim().min(5).max(230),
});

const ContingencyViewSchema = z
  .object({
    companyId: z.string(),
    environment: z.enum(['1', '2']),
    open: z.boolean(),
    contingency: z.object({}).passthrough().optional(),
    reachability: z.object({}).passthrough(),
    settings: ContingencySettingsSchema,
    recent: z.array(z.object({}).passthrough()),
  })
  .meta({ id: 'Contingency' });

function refusalProblem(companyId: string, r: ContingencyRefusal): HttpProblem {
  switch (r.refused) {
    case 'company-not-found':
      return companyNotFound(companyId);
    case 'already-open':
      return new HttpProblem({
        type: 'contingency-open',
        title: 'A contingency is already open',
        status: 409,
        detail: `Contingency ${r.view.contingency?.id} has been open since ${r.view.contingency?.since}.`,
      });
    case 'not-open':
      return new HttpProblem({
        type: 'no-contingency',
        title: 'No contingency is open',
        status: 409,
        detail: 'The company has no open contingency in this environment.',
      });
    case 'no-valid-copy':
      return new HttpProblem({
        type: 'contingency-impossible',
        title: 'This company cannot issue valid documents in contingency',
        status: 409,
        detail: `${r.reason}. ${r.remedy[0]!.toUpperCase()}${r.remedy.slice(1)}.`,
      });
    case 'invalid':
      return new HttpProblem({
        type: 'validation',
        title: 'Invalid request',
        status: 400,
        detail: r.message,
        issues: [{ path: r.field, rule: r.rule, message: r.message }],
      });
  }
}

const answer = (companyId: string, done: { view: ContingencyView } | ContingencyRefusal): ContingencyView => {
  if ('refused' in done) throw refusalProblem(companyId, done);
  return done.view;
};

/**
 * Contingency operation (docs/contingency.md): whether one is open, opening and ending it by hand, the
 * explanation needed after 72 hours, and the company's contingency settings.
 */
export function contingencyRoutes(deps: { contingencies: ContingencyService }): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/companies/:companyId/contingency',
      access: 'integrator',
      tag: 'Contingency',
      summary: 'Whether the company is in contingency: since when, why, its documents, the PAC probes',
      query: EnvironmentQuery,
      responses: { 200: { description: 'The contingency view', schema: ContingencyViewSchema } },
      async handle({ res, params, query }) {
        const view = await deps.contingencies.view(params.companyId!, query.environment);
        if (!view) throw companyNotFound(params.companyId!);
        res.json(view);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/companies/:companyId/contingency',
      access: 'operator',
      tag: 'Contingency',
      summary: 'Open a contingency: documents built from now on are issued with iTpEmis 02/04',
      description:
        'Every document built while it is open carries `iTpEmis` 02 (04 for the posterior modality), `dFechaCont` = `since` and `dMotCont` = `reason`, is signed at once and held as `issued_in_contingency` until the contingency ends.',
      body: StartRequest,
      example: {
        actor: 'ana.soporte',
        reason: 'Corte del enlace de internet de la sucursal principal',
        environment: '2',
      },
      responses: {
        201: { description: 'Open', schema: ContingencyViewSchema },
        409: { description: 'One is already open' },
      },
      async handle({ res, params, body, caller }) {
        const done = await deps.contingencies.start(params.companyId!, {
          ...body,
          actor: `${body.actor} (key ${caller.keyPrefix})`,
        });
        res.status(201).json(answer(params.companyId!, done));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/companies/:companyId/contingency/end',
      access: 'operator',
      tag: 'Contingency',
      summary: 'End the contingency: its documents are transmitted in emission order',
      body: EndRequest,
      example: { actor: 'ana.soporte', environment: '2' },
      responses: {
        200: { description: 'Ended (transmission follows)', schema: ContingencyViewSchema },
        409: { description: 'None is open' },
      },
      async handle({ res, params, body, caller }) {
        const done = await deps.contingencies.end(
          params.companyId!,
          body.environment,
          `${body.actor} (key ${caller.keyPrefix})`,
        );
        res.json(answer(params.companyId!, done));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/companies/:companyId/contingency/explanation',
      access: 'operator',
      tag: 'Contingency',
      summary: 'Explain why normal operation was not resumed (required after 72 hours)',
      description:
        "Documents built after 72 hours carry `dMotCont` = reason + '. ' + explanation (at most 250 characters). Documents that waited for it (needs_support, CONTINGENCY_REASON) are retried with `retry`.",
      body: ExplainRequest,
      responses: {
        200: { description: 'Recorded', schema: ContingencyViewSchema },
        409: { description: 'None is open' },
      },
      async handle({ res, params, body, caller }) {
        const done = await deps.contingencies.explain(
          params.companyId!,
          body.environment,
          `${body.actor} (key ${caller.keyPrefix})`,
          body.explanation,
        );
        res.json(answer(params.companyId!, done));
      },
    }),
    defineRoute({
      method: 'put',
      path: '/v1/companies/:companyId/contingency-settings',
      access: 'admin',
      tag: 'Contingency',
      summary:
        'Automatic contingency, its thresholds, the modality (02/04) and what happens to queued documents',
      body: ContingencySettingsSchema,
      example: { autoOpen: true, afterFailures: 5, afterMinutes: 10, endAfterHealthyMinutes: 5 },
      responses: { 200: { description: 'Saved', schema: ContingencySettingsSchema } },
      async handle({ res, params, body }) {
        const saved = await deps.contingencies.saveSettings(params.companyId!, body);
        if (!saved) throw companyNotFound(params.companyId!);
        res.json(saved);
      },
    }),
  ];
}
