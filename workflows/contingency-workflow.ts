import {
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  ParentClosePolicy,
  proxyActivities,
  setHandler,
  sleep,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { ContingencyActivities } from '../activities/contingency-activities.js';
import type { PacActivities } from '../activities/pac-activities.js';
import {
  CONTINGENCY_ALERT_HOURS,
  endContingencySignal,
  explainContingencySignal,
  getContingencyState,
  type ContingencyInbox,
  type ContingencyState,
  type ContingencyWorkflowInput,
} from '../common/contingency-messages.js';
import { contingencyEndedSignal, DEFAULT_TIMINGS } from '../common/document-messages.js';
import { CompanyId, Contingency, DocStatus } from '../common/search-attributes.js';
import type { ContingencyWebhookEvent } from '../common/webhook-event.js';
import { webhookDeliveryWorkflow } from './webhook-delivery-workflow.js';

/** Documents asked for at a time when the contingency transmits; and loop turns before continue-as-new. */
const TRANSMIT_PAGE = 100;

/**
 * One contingency of a company and environment (dgi-fe §14, docs/contingency.md): recorded in PostgreSQL
 * (where every document's build reads it), announced, probed while open, ended by itself once the PAC
 * answers again for long enough (automatic contingencies) or by an operator, and then its documents are
 * told to transmit, in emission order, spaced out.
 */
export async function contingencyWorkflow(input: ContingencyWorkflowInput): Promise<ContingencyState> {
  const t = { ...DEFAULT_TIMINGS, ...input.timings };
  const acts = proxyActivities<ContingencyActivities>({
    startToCloseTimeout: '30s',
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
  });
  const pac = proxyActivities<Pick<PacActivities, 'probePac'>>({
    taskQueue: input.pacTaskQueue,
    startToCloseTimeout: t.pacCallTimeoutMs,
    retry: { maximumAttempts: 1 },
  });
  const state: ContingencyState = input.carried ?? {
    companyId: input.companyId,
    environment: input.environment,
    phase: 'opening',
    since: input.opening.since,
    reason: input.opening.reason,
    openedBy: input.opening.actor,
    autoEnd: input.opening.autoEnd,
    ...(input.opening.evidence ? { evidence: input.opening.evidence } : {}),
    alerts: [],
    issued: 0,
    toTransmit: 0,
    waitingForPerson: 0,
    transmitted: 0,
    cursor: 0,
    endAfterHealthyMs: 0,
  };
  // Signals received and not yet acted on travel with continue-as-new (carryOn): none is lost between runs.
  const inbox: ContingencyInbox = { ...input.carriedInbox };
  setHandler(getContingencyState, () => state);
  setHandler(endContingencySignal, (end) => {
    inbox.end ??= end;
  });
  setHandler(explainContingencySignal, (e) => {
    inbox.explanation = e;
  });

  const announce = async (type: ContingencyWebhookEvent['type'], hours?: number) => {
    const id = state.contingencyId!;
    const event: ContingencyWebhookEvent = {
      eventId: `contingency:${id}:${type}${hours ? `-${hours}h` : ''}`,
      type,
      contingency: {
        id,
        environment: state.environment,
        since: state.since,
        reason: state.reason,
        openedBy: state.openedBy,
        ...(hours ? { hours } : {}),
        issued: state.issued,
        toTransmit: state.toTransmit,
        ...(state.phase === 'ended'
          ? { transmitted: state.transmitted, endedBy: state.endedBy!, endedAt: state.endedAt! }
          : {}),
      },
      at: new Date().toISOString(),
    };
    log.warn(`contingency ${type.replace('contingency.', '')}`, {
      companyId: state.companyId,
      ...event.contingency,
    });
    await startChild(webhookDeliveryWorkflow, {
      workflowId: `webhook:${event.eventId}`,
      args: [{ companyId: state.companyId, event }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
  };

  const refreshCounts = async () => {
    const counts = await acts.contingencyProgress({ contingencyId: state.contingencyId! });
    state.issued = counts.issued;
    state.toTransmit = counts.toTransmit;
    state.waitingForPerson = counts.waitingForPerson;
  };

  if (state.phase === 'opening') {
    const opened = await acts.recordContingencyOpened({
      companyId: input.companyId,
      environment: input.environment,
      opening: input.opening,
      workflowId: workflowInfo().workflowId,
    });
    Object.assign(state, {
      contingencyId: opened.contingencyId,
      since: opened.since,
      reason: opened.reason,
      openedBy: opened.openedBy,
      ...(opened.explanation ? { explanation: opened.explanation } : {}),
      phase: 'open',
    });
    state.endAfterHealthyMs = opened.endAfterHealthyMs;
    upsertSearchAttributes([
      { key: CompanyId, value: input.companyId },
      { key: Contingency, value: opened.contingencyId },
      { key: DocStatus, value: 'contingency_open' },
    ]);
    await announce('contingency.started');
  }

  const carryOn = async () => {
    await continueAsNew<typeof contingencyWorkflow>({ ...input, carried: state, carriedInbox: inbox });
  };

  /** While open: alerts at 24/48/72 hours, explanations, probes; until an operator or the PAC ends it. */
  for (let turn = 0; state.phase === 'open'; turn++) {
    const openMs = Date.now() - Date.parse(state.since);
    for (const hours of CONTINGENCY_ALERT_HOURS) {
      if (openMs >= hours * t.contingencyHourMs && !state.alerts.includes(hours)) {
        state.alerts.push(hours);
        await refreshCounts();
        await announce('contingency.ongoing', hours);
      }
    }
    if (inbox.explanation) {
      const { explanation } = inbox.explanation;
      await acts.recordContingencyExplanation({ contingencyId: state.contingencyId!, explanation });
      state.explanation = explanation;
      delete inbox.explanation;
    }
    if (inbox.end) {
      state.endedBy = inbox.end.actor;
      break;
    }
    if (state.autoEnd) {
      const probe = await pac
        .probePac({ companyId: input.companyId, environment: input.environment })
        .catch((err: Error) => ({ answered: false, detail: err.message }));
      const now = new Date().toISOString();
      state.lastProbe = { at: now, ...probe };
      if (!probe.answered) delete state.healthySince;
      else {
        state.healthySince ??= now;
        if (Date.now() - Date.parse(state.healthySince) >= state.endAfterHealthyMs) {
          state.endedBy = `fepa (the PAC has answered again since ${state.healthySince})`;
          break;
        }
      }
    }
    await refreshCounts();
    if (turn >= t.contingencyTurnsPerRun || workflowInfo().continueAsNewSuggested) await carryOn();
    const nextAlert = CONTINGENCY_ALERT_HOURS.filter((h) => !state.alerts.includes(h)).map(
      (h) => Date.parse(state.since) + h * t.contingencyHourMs - Date.now(),
    );
    const wait = Math.max(1, Math.min(t.contingencyProbeMs, ...nextAlert));
    await condition(() => inbox.end !== undefined || inbox.explanation !== undefined, wait);
  }

  if (state.phase === 'open') {
    const ended = await acts.recordContingencyEnded({
      contingencyId: state.contingencyId!,
      endedBy: state.endedBy ?? 'fepa',
    });
    state.endedAt = ended.endedAt;
    state.endedBy = ended.endedBy;
    state.phase = 'transmitting';
    upsertSearchAttributes([{ key: DocStatus, value: 'contingency_transmitting' }]);
  }

  // Transmission: every document of the contingency, in emission order, spaced out (the PAC's task queue
  // limits the calls too). A document that is not waiting (already sent, or waiting for a person) ignores it.
  for (let turn = 0; ; turn++) {
    const { page, total } = await acts.contingencyTransmissionPage({
      contingencyId: state.contingencyId!,
      from: state.cursor,
      limit: TRANSMIT_PAGE,
    });
    for (const doc of page) {
      if (doc.status === 'issued_in_contingency') {
        try {
          await getExternalWorkflowHandle(doc.workflowId).signal(contingencyEndedSignal, {
            contingencyId: state.contingencyId!,
          });
        } catch (err) {
          // A document whose run is between continue-as-new or gone finds out by itself (contingencyHasEnded).
          log.info('document not signalled; it checks by itself', { workflowId: doc.workflowId, err });
        }
        state.transmitted++;
        await sleep(t.contingencyTransmitSpacingMs);
      }
      state.cursor++;
    }
    if (state.cursor >= total) break;
    if (turn >= Math.max(1, t.contingencyTurnsPerRun / 10) || workflowInfo().continueAsNewSuggested)
      await carryOn();
  }
  await acts.recordContingencyTransmitted({
    contingencyId: state.contingencyId!,
    transmitted: state.transmitted,
  });
  await refreshCounts();
  state.phase = 'ended';
  upsertSearchAttributes([{ key: DocStatus, value: 'contingency_ended' }]);
  await announce('contingency.ended');
  return state;
}
