import {
  log,
  ParentClosePolicy,
  startChild,
  setCurrentDetails,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { documentDetails } from '../../common/document-guidance.js';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { DocumentStatus } from '../../common/document-lifecycle.js';
import type { PacOutcome } from '../../common/pac-outcome.js';
import { Contingency, Cufe, DocStatus, NeedsPerson } from '../../common/search-attributes.js';
import { documentLinks } from '../../common/document-links.js';
import type { DocumentWebhookEvent } from '../../common/webhook-event.js';
import { webhookDeliveryWorkflow } from '../webhook-delivery-workflow.js';
import { cafeDeliveryWorkflow } from '../cafe-delivery-workflow.js';
import { contingencyWorkflow } from '../contingency-workflow.js';
import { automaticReason, contingencyWorkflowId } from '../../common/contingency-messages.js';
import type { DocumentContext } from './context.js';
import { actionApplied, ALLOWED_ACTIONS_FOR } from './operator-actions.js';

export type Transitions = ReturnType<typeof createTransitions>;

/**
 * State changes: the query's state, the search attributes, PostgreSQL and the company's webhook stay in
 * step. Every status change goes through `moveTo`.
 */
export function createTransitions(ctx: DocumentContext) {
  const { input, state } = ctx;

  /** The Temporal UI's live summary of the document (no command: it rides on the task's completion). */
  const showDetails = () =>
    setCurrentDetails(
      documentDetails(state, { docType: input.docType, number: input.number, emitterRuc: input.emitterRuc }),
    );

  const moveTo = async (
    status: DocumentStatus,
    actor = 'fepa',
    note?: string,
    detail: Record<string, unknown> = {},
  ) => {
    const from = state.history.at(-1)?.status ?? null;
    state.status = status;
    if (status !== 'needs_support' && status !== 'rejected') delete state.needsPerson;
    state.history.push({ at: new Date().toISOString(), status, actor, ...(note ? { note } : {}) });
    actionApplied(ctx);
    showDetails();
    upsertSearchAttributes([
      { key: DocStatus, value: status },
      { key: NeedsPerson, value: state.needsPerson !== undefined },
      ...(state.cufe ? [{ key: Cufe, value: state.cufe }] : []),
    ]);
    const recorded = await ctx.local.recordDocumentTransition({
      documentId: input.documentId,
      seq: state.history.length,
      from,
      to: status,
      actor,
      kind: 'status',
      detail: { ...detail, ...(note ? { note } : {}) },
    });
    if (state.needsPerson)
      log.warn('document needs a person', {
        status,
        reason: state.needsPerson.reason,
        code: state.needsPerson.code,
      });
    // Every change is announced to the company's webhook by a child workflow of its own (retried until
    // delivered); the document never waits for the receiver.
    if (recorded?.webhook) await notify(status);
  };

  const notify = async (status: DocumentStatus) => {
    const seq = state.history.length;
    const signed = state.history.some((e) => e.status === 'signed');
    const { self, xml, cafe } = documentLinks(input.companyId, input.documentId, { signed });
    const event: DocumentWebhookEvent = {
      eventId: `${workflowInfo().workflowId}:${seq}`,
      documentId: input.documentId,
      workflowId: workflowInfo().workflowId,
      seq,
      status,
      key: {
        environment: input.environment,
        docType: input.docType,
        branch: input.branch,
        pointOfSale: input.pointOfSale,
        number: input.number,
        emitterRuc: input.emitterRuc,
      },
      ...(state.cufe ? { cufe: state.cufe } : {}),
      ...(state.protocol ? { protocol: state.protocol } : {}),
      pac: { name: input.pac, ...(state.lastPac ?? {}) },
      dgiIssues: state.dgiIssues,
      ...(state.needsPerson
        ? { needsPerson: { ...state.needsPerson, actions: ALLOWED_ACTIONS_FOR[status] ?? [] } }
        : {}),
      at: new Date().toISOString(),
      links: { self, xml, ...(cafe ? { cafe } : {}) },
    };
    await startChild(webhookDeliveryWorkflow, {
      workflowId: `webhook:${event.eventId}`,
      args: [{ companyId: input.companyId, event }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
  };

  /**
   * E-mails the CAFE to the receiver in a child workflow of its own (retried until sent or given up);
   * the document never waits for it, and it outlives the document's run.
   */
  const startCafeDelivery = async () => {
    const workflowId = `cafe-delivery:${input.documentId}:auto`;
    await startChild(cafeDeliveryWorkflow, {
      workflowId,
      args: [
        {
          documentId: input.documentId,
          requestedBy: 'fepa (iEntCAFE 3)',
          retryInitialMs: ctx.t.deliveryRetryInitialMs,
          giveUpMs: ctx.t.deliveryGiveUpMs,
        },
      ],
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
    state.cafeDelivery = { workflowId };
  };

  /**
   * Opens the company's contingency (a workflow of its own, one per company and environment) with the
   * evidence a PAC call brought; when one is already running, nothing happens.
   */
  const openContingency = async (advice: NonNullable<PacOutcome['contingencyAdvised']>) => {
    try {
      await startChild(contingencyWorkflow, {
        workflowId: contingencyWorkflowId(input.companyId, input.environment),
        args: [
          {
            companyId: input.companyId,
            environment: input.environment,
            pacTaskQueue: input.pacTaskQueue,
            opening: {
              actor: 'fepa',
              reason: automaticReason(input.pac),
              since: advice.since,
              evidence: advice.evidence,
              autoEnd: true,
            },
            ...(input.timings ? { timings: input.timings } : {}),
          },
        ],
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
      log.warn('contingency opened: the PAC cannot be reached', { ...advice.evidence });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  };

  /** Moves to a state where a person must act, saying why. */
  const needPerson = async (status: 'needs_support' | 'rejected', reason: string, code?: string) => {
    state.needsPerson = { reason, ...(code ? { code } : {}) };
    await moveTo(status, 'fepa', reason);
  };

  /** Shows that a person is needed without leaving the current state (fepa keeps asking meanwhile). */
  const flagPerson = (reason: string, code: string) => {
    state.needsPerson = { reason, code };
    showDetails();
    upsertSearchAttributes([{ key: NeedsPerson, value: true }]);
    log.warn('document needs a person', { status: state.status, reason, code });
  };
  const clearPersonFlag = (code: string) => {
    if (state.needsPerson?.code !== code) return;
    delete state.needsPerson;
    showDetails();
    upsertSearchAttributes([{ key: NeedsPerson, value: false }]);
  };

  /** Keeps what the PAC said last (and the CUFE, protocol and DGI issues it gave). */
  const remember = (o: PacOutcome) => {
    state.lastPac = {
      status: o.status,
      ...(o.pacCode ? { code: o.pacCode } : {}),
      ...(o.pacMessage ? { message: o.pacMessage } : {}),
    };
    if (o.dgiIssues.length) state.dgiIssues = o.dgiIssues;
    if (o.cufe) state.cufe = o.cufe;
    if (o.protocol) state.protocol = o.protocol;
    if (o.authorizedAt) state.authorizedAt = o.authorizedAt;
    showDetails();
  };

  /** The contingency a document was issued under, findable in the Temporal UI. */
  const markContingency = (contingencyId: string) =>
    upsertSearchAttributes([{ key: Contingency, value: contingencyId }]);

  return {
    markContingency,
    showDetails,
    moveTo,
    needPerson,
    flagPerson,
    clearPersonFlag,
    remember,
    startCafeDelivery,
    openContingency,
  };
}
