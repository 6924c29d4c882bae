import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import {
  contingencyWorkflowId,
  endContingencySignal,
  explainContingencySignal,
  getContingencyState,
  type ContingencyState,
} from '../../common/contingency-messages.js';
import { CompanyId, DocStatus } from '../../common/search-attributes.js';
import { TASK_QUEUES } from '../../common/task-queues.js';
import { contingencyFields, LONG_CONTINGENCY_MS } from '../../domain/contingency/contingency-emission.js';
import type { ContingencySettings } from '../../domain/contingency/contingency-settings.js';
import { findCompany } from '../../platform/storage/company-store.js';
import {
  closeContingency,
  contingencyCounts,
  findOpenContingency,
  listContingencies,
  loadContingencySettings,
  loadReachability,
  saveContingencySettings,
  type ContingencyRecord,
} from '../../platform/storage/contingency-store.js';
import type { Sql } from '../../platform/storage/database.js';
import { findPacSettings } from '../../platform/storage/pac-settings-store.js';
import { companyContingencyCopy } from '../../pac/contingency-copy.js';
import type { contingencyWorkflow } from '../../workflows/contingency-workflow.js';
import type { DocumentService } from './document-service.js';

export type Environment = '1' | '2';

export interface ContingencyView {
  companyId: string;
  environment: Environment;
  open: boolean;
  contingency?: ContingencyRecord & {
    issued: number;
    toTransmit: number;
    waitingForPerson: number;
    /** Live from the contingency workflow (probes, alerts), when it answers. */
    workflow?: Pick<ContingencyState, 'phase' | 'alerts' | 'lastProbe' | 'healthySince' | 'autoEnd'>;
    /** Over 72 hours: documents need the reason to explain why normal operation was not resumed. */
    needsExplanation: boolean;
  };
  reachability: {
    consecutiveFailures: number;
    failingSince?: string;
    lastFailure?: string;
    lastSuccessAt?: string;
  };
  settings: ContingencySettings;
  recent: ContingencyRecord[];
  /** The last contingency that ended, with its documents counted now (they are transmitted after the end). */
  lastEnded?: ContingencyRecord & { issued: number; toTransmit: number; waitingForPerson: number };
}

export type ContingencyRefusal =
  | { refused: 'company-not-found' }
  | { refused: 'already-open'; view: ContingencyView }
  | { refused: 'not-open' }
  | { refused: 'no-valid-copy'; reason: string; remedy: string }
  | { refused: 'invalid'; field: string; rule: string; message: string };

/** Contingencies as the API and the CLI see them: start, end, explain, status, settings. */
export class ContingencyService {
  constructor(private readonly deps: { sql: Sql; client: Client; documents: DocumentService }) {}

  async view(companyId: string, environment: Environment): Promise<ContingencyView | undefined> {
    if (!(await findCompany(this.deps.sql, companyId))) return undefined;
    const [open, reach, settings, recent] = await Promise.all([
      findOpenContingency(this.deps.sql, companyId, environment),
      loadReachability(this.deps.sql, companyId, environment),
      loadContingencySettings(this.deps.sql, companyId),
      listContingencies(this.deps.sql, companyId, 10),
    ]);
    const ended = recent.find((c) => c.environment === environment && c.endedAt);
    const lastEnded = ended ? { ...ended, ...(await contingencyCounts(this.deps.sql, ended.id)) } : undefined;
    return {
      companyId,
      environment,
      open: open !== undefined,
      ...(lastEnded ? { lastEnded } : {}),
      ...(open ? { contingency: await this.details(open) } : {}),
      reachability: {
        consecutiveFailures: reach.consecutiveFailures,
        ...(reach.failingSince ? { failingSince: reach.failingSince.toISOString() } : {}),
        ...(reach.lastFailure ? { lastFailure: reach.lastFailure } : {}),
        ...(reach.lastSuccessAt ? { lastSuccessAt: reach.lastSuccessAt.toISOString() } : {}),
      },
      settings,
      recent: recent.filter((c) => c.environment === environment),
    };
  }

  private async details(record: ContingencyRecord): Promise<NonNullable<ContingencyView['contingency']>> {
    const counts = await contingencyCounts(this.deps.sql, record.id);
    let workflow: NonNullable<ContingencyView['contingency']>['workflow'];
    try {
      const s = await this.deps.client.workflow.getHandle(record.workflowId).query(getContingencyState);
      workflow = {
        phase: s.phase,
        alerts: s.alerts,
        autoEnd: s.autoEnd,
        ...(s.lastProbe ? { lastProbe: s.lastProbe } : {}),
        ...(s.healthySince ? { healthySince: s.healthySince } : {}),
      };
    } catch {
      workflow = undefined; // the view still answers from PostgreSQL while Temporal cannot
    }
    return {
      ...record,
      ...counts,
      ...(workflow ? { workflow } : {}),
      needsExplanation: Date.now() - Date.parse(record.since) > LONG_CONTINGENCY_MS && !record.explanation,
    };
  }

  /** Opens a contingency by hand; its workflow records it (documents built from then on are issued in it). */
  async start(
    companyId: string,
    request: {
      environment: Environment;
      reason: string;
      since?: string | undefined;
      actor: string;
      endWhenPacAnswers: boolean;
    },
  ): Promise<{ view: ContingencyView } | ContingencyRefusal> {
    const company = await findCompany(this.deps.sql, companyId);
    if (!company) return { refused: 'company-not-found' };
    const since = request.since ? new Date(request.since) : new Date();
    if (since.getTime() > Date.now() + 60_000)
      return {
        refused: 'invalid',
        field: 'since',
        rule: 'not-in-future',
        message: 'since cannot be in the future',
      };
    const reasonCheck = contingencyFields(
      { since: new Date(), reason: request.reason, modality: 'prior' },
      new Date(),
    );
    if (!reasonCheck.ok)
      return { refused: 'invalid', field: 'reason', rule: 'length', message: reasonCheck.waitsForPerson };
    const existing = await this.view(companyId, request.environment);
    if (existing?.open) return { refused: 'already-open', view: existing };
    // A contingency exists so the customer leaves with a valid document: refused where none can be made.
    const copy = await companyContingencyCopy(this.deps.sql, companyId, new Date());
    if (!copy.possible) return { refused: 'no-valid-copy', reason: copy.reason, remedy: copy.remedy };
    const pac = (await findPacSettings(this.deps.sql, companyId)).pac;
    const workflowId = contingencyWorkflowId(companyId, request.environment);
    try {
      await this.deps.client.workflow.start<typeof contingencyWorkflow>('contingencyWorkflow', {
        workflowId,
        taskQueue: this.deps.documents.taskQueue ?? TASK_QUEUES.documents,
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
        args: [
          {
            companyId,
            environment: request.environment,
            pacTaskQueue: this.deps.documents.pacTaskQueueOf(pac),
            opening: {
              actor: request.actor,
              reason: request.reason,
              since: since.toISOString(),
              autoEnd: request.endWhenPacAnswers,
            },
            ...(this.deps.documents.timings ? { timings: this.deps.documents.timings } : {}),
          },
        ],
        typedSearchAttributes: [
          { key: CompanyId, value: companyId },
          { key: DocStatus, value: 'contingency_opening' },
        ],
        staticSummary: `contingency · RUC ${company.ruc} · environment ${request.environment}`,
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    // Answers once the workflow has recorded it (its first step), so the caller sees it open.
    return { view: await this.viewOnce(companyId, request.environment, (v) => v.open) };
  }

  /** The view once `done` holds (the workflow acted on the request), or as it is after 15 s. */
  private async viewOnce(
    companyId: string,
    environment: Environment,
    done: (view: ContingencyView) => boolean,
  ): Promise<ContingencyView> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const view = (await this.view(companyId, environment))!;
      if (done(view) || Date.now() > deadline) return view;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Ends the open contingency by hand: its documents are then transmitted. */
  async end(
    companyId: string,
    environment: Environment,
    actor: string,
  ): Promise<{ view: ContingencyView } | ContingencyRefusal> {
    if (!(await findCompany(this.deps.sql, companyId))) return { refused: 'company-not-found' };
    const open = await findOpenContingency(this.deps.sql, companyId, environment);
    if (!open) return { refused: 'not-open' };
    try {
      await this.deps.client.workflow.getHandle(open.workflowId).signal(endContingencySignal, { actor });
    } catch (err) {
      // Its workflow is gone (terminated by hand): close the record, so documents stop waiting for it
      // (each one checks its contingency now and then and transmits when it has ended).
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      await closeContingency(this.deps.sql, open.id, actor);
    }
    return { view: await this.viewOnce(companyId, environment, (v) => !v.open) };
  }

  /** Adds the explanation a contingency needs after 72 hours (it goes into each document's dMotCont). */
  async explain(
    companyId: string,
    environment: Environment,
    actor: string,
    explanation: string,
  ): Promise<{ view: ContingencyView } | ContingencyRefusal> {
    if (!(await findCompany(this.deps.sql, companyId))) return { refused: 'company-not-found' };
    const open = await findOpenContingency(this.deps.sql, companyId, environment);
    if (!open) return { refused: 'not-open' };
    const check = contingencyFields(
      { since: new Date(0), reason: open.reason, explanation, modality: 'prior' },
      new Date(),
    );
    if (!check.ok)
      return { refused: 'invalid', field: 'explanation', rule: 'length', message: check.waitsForPerson };
    await this.deps.client.workflow
      .getHandle(open.workflowId)
      .signal(explainContingencySignal, { actor, explanation });
    return {
      view: await this.viewOnce(companyId, environment, (v) => v.contingency?.explanation === explanation),
    };
  }

  async saveSettings(
    companyId: string,
    settings: ContingencySettings,
  ): Promise<ContingencySettings | undefined> {
    if (!(await saveContingencySettings(this.deps.sql, companyId, settings))) return undefined;
    return loadContingencySettings(this.deps.sql, companyId);
  }
}
