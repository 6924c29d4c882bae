import {
  allHandlersFinished,
  condition,
  log,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { ReceivingActivities, ReceivingPacActivities } from '../activities/receiving-activities.js';
import type { ReceivedStatus, ManifestationState } from '../common/received-document.js';
import { MANIFESTATION_CODES } from '../common/received-document.js';
import type { ReceivedWebhookEvent } from '../common/webhook-event.js';
import {
  DEFAULT_RECEIVED_TIMINGS,
  getReceivedState,
  manifestUpdate,
  type ManifestRequest,
  type ReceivedState,
  type ReceivedWorkflowInput,
} from '../common/received-messages.js';
import { CompanyId, Cufe, DocStatus, SupplierRuc } from '../common/search-attributes.js';
import { decideConfirmation, manifestRefusal } from './received/decide-received.js';

const local = proxyActivities<ReceivingActivities>({
  startToCloseTimeout: '1m',
  retry: { initialInterval: '2s', maximumInterval: '1m' },
});

const EVENT_OF: Partial<Record<ReceivedStatus, ReceivedWebhookEvent['type']>> = {
  accepted: 'received.accepted',
  annulled: 'received.annulled',
  invalid: 'received.invalid',
  not_at_dgi: 'received.not_at_dgi',
  unconfirmed: 'received.unconfirmed',
};

/**
 * A supplier's document, from intake to a verdict (docs/receiving.md): verify it, confirm it with the DGI
 * through the company's PAC (asking until there is a verdict, never `accepted` without the DGI's word),
 * take the receiver's manifestation, and look again for a later annulment before the window closes.
 * One workflow per company and CUFE (`received:<company>:<CUFE>`), whichever door the document came through.
 */
export async function receivedDocumentWorkflow(input: ReceivedWorkflowInput): Promise<ReceivedState> {
  const timings = { ...DEFAULT_RECEIVED_TIMINGS, ...input.timings };
  const pac = proxyActivities<ReceivingPacActivities>({
    taskQueue: input.pacTaskQueue,
    startToCloseTimeout: '2m',
    retry: { initialInterval: '5s', maximumInterval: '2m' },
  });
  const state: ReceivedState = { status: 'verifying' };

  const show = () =>
    setCurrentDetails(
      [
        `**Received ${state.status}** — CUFE ${input.cufe}, supplier ${input.supplierRuc}`,
        state.reason ? `Why: ${state.reason}` : '',
        state.dgi
          ? `DGI: ${state.dgi.answer}${state.dgi.protocol ? ` (protocol ${state.dgi.protocol})` : ''}`
          : '',
        state.manifestation ? `Manifestation ${state.manifestation.code}: ${state.manifestation.status}` : '',
      ]
        .filter(Boolean)
        .join('\n\n'),
    );
  const moveTo = async (status: ReceivedStatus, reason?: string) => {
    state.status = status;
    if (reason) state.reason = reason;
    else delete state.reason;
    upsertSearchAttributes([{ key: DocStatus, value: `received_${status}` }]);
    show();
    await local.saveReceivedStatus({
      receivedId: input.receivedId,
      status,
      ...(state.dgi ? { dgi: state.dgi } : {}),
    });
    const type = EVENT_OF[status];
    if (type)
      await local.announceReceived({ companyId: input.companyId, receivedId: input.receivedId, type });
  };

  const manifest = async (request: ManifestRequest): Promise<ReceivedState> => {
    const sending: ManifestationState = {
      code: request.code,
      ...(request.reason ? { reason: request.reason } : {}),
      actor: request.actor,
      status: 'sending',
      at: new Date().toISOString(),
    };
    state.manifestation = sending;
    show();
    await local.saveReceivedStatus({
      receivedId: input.receivedId,
      status: state.status,
      manifestation: sending,
    });
    let outcome = await pac.sendReceivedManifestation({
      receivedId: input.receivedId,
      code: request.code,
      ...(request.reason ? { reason: request.reason } : {}),
    });
    for (
      let attempt = 1;
      outcome.outcome === 'transient' && attempt < timings.manifestationAttempts;
      attempt++
    ) {
      await sleep(Math.min(timings.maxRetryMs, timings.firstRetryMs * 2 ** attempt));
      outcome = await pac.sendReceivedManifestation({
        receivedId: input.receivedId,
        code: request.code,
        ...(request.reason ? { reason: request.reason } : {}),
      });
    }
    const done: ManifestationState = {
      ...sending,
      status: outcome.outcome === 'transient' ? 'failed' : outcome.outcome,
      ...(outcome.code ? { pacCode: outcome.code } : {}),
      message: outcome.message,
      at: new Date().toISOString(),
    };
    state.manifestation = done;
    show();
    log.info('manifestation answered', { code: done.code, status: done.status, pacCode: done.pacCode });
    await local.saveReceivedStatus({
      receivedId: input.receivedId,
      status: state.status,
      manifestation: done,
    });
    if (done.status === 'accepted')
      await local.announceReceived({
        companyId: input.companyId,
        receivedId: input.receivedId,
        type: 'received.manifested',
        suffix: done.code,
      });
    return state;
  };

  setHandler(getReceivedState, () => state);
  setHandler(manifestUpdate, manifest, {
    validator: (request: ManifestRequest) => {
      const refusal = manifestRefusal(state, request, Object.keys(MANIFESTATION_CODES));
      if (refusal) throw new Error(refusal);
    },
  });
  upsertSearchAttributes([
    { key: CompanyId, value: input.companyId },
    { key: Cufe, value: input.cufe },
    { key: SupplierRuc, value: input.supplierRuc },
    { key: DocStatus, value: 'received_verifying' },
  ]);
  show();

  const verdict = await local.verifyReceivedDocument({ receivedId: input.receivedId });
  if (verdict.verdict === 'invalid') {
    await moveTo('invalid', verdict.reasons.map((r) => `${r.path}: ${r.message}`).join('; '));
    return state;
  }
  await moveTo('confirming');

  const counts = { attempt: 0, notFound: 0 };
  for (;;) {
    const answer = await pac.confirmReceivedAtDgi({ receivedId: input.receivedId });
    state.dgi = answer;
    const step = decideConfirmation(answer, counts, timings);
    if (step.kind === 'settle') {
      await moveTo(step.status, step.reason);
      break;
    }
    if (answer.answer === 'not-found') counts.notFound++;
    else counts.attempt++;
    show();
    await sleep(step.afterMs);
  }
  if (state.status !== 'accepted') return finish();

  const { autoAcknowledge } = await local.receivingSettingsOf({ companyId: input.companyId });
  if (autoAcknowledge && !state.manifestation)
    await manifest({ code: autoAcknowledge, actor: 'fepa (automatic acknowledgment)' });

  // A later annulment by the supplier: looked for until the annulment window closes.
  const acceptedAt = Date.now();
  for (const afterMs of timings.annulmentChecksMs) {
    const wait = acceptedAt + afterMs - Date.now();
    if (wait > 0) await sleep(wait);
    const answer = await pac.confirmReceivedAtDgi({ receivedId: input.receivedId });
    if (answer.answer === 'annulled') {
      state.dgi = { ...state.dgi, ...answer };
      await moveTo('annulled', 'the supplier annulled it at the DGI after it was accepted');
      break;
    }
  }
  return finish();

  async function finish(): Promise<ReceivedState> {
    await condition(allHandlersFinished);
    log.info('received document settled', { workflowId: workflowInfo().workflowId, status: state.status });
    return state;
  }
}
