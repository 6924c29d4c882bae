import type { DocumentState, DocumentStatus } from './document-lifecycle.js';

/**
 * What a person should do now with a document, in one sentence, by state (and the code of what stopped it):
 * shown by `fepa doc show`, the API's detail and the Temporal UI's current details. Pure (the workflow uses it).
 */
const NEXT_STEP: Record<DocumentStatus, string> = {
  received: 'nothing: fepa is building the document',
  prepared: 'nothing: fepa is signing the document',
  signed: 'nothing: fepa is sending it to the PAC',
  awaiting_submission: 'submit it when it should go to the PAC (`fepa doc submit <id>`), or cancel it',
  queued_offline: 'nothing: the PAC cannot be reached; fepa sends it as soon as it answers',
  issued_in_contingency: 'nothing: valid for the customer now; fepa transmits it when the contingency ends',
  submitted: 'nothing: fepa is asking the PAC for its verdict',
  authorized: 'nothing: authorized (it can be annulled within the annulment window)',
  rejected:
    'correct the document and send it again with the same number (`fepa doc correct <id> --file fixed.json`), or cancel it',
  needs_support:
    'fix the cause below, then resubmit (`fepa doc resubmit <id>`); or cancel it if it must not be issued',
  annulled: 'nothing: annulled',
  cancelled: 'nothing: cancelled (its number stays used)',
};

/** Codes whose fix is known: a more precise step than the state's own. */
const BY_CODE: Record<string, string> = {
  PAC_ADDRESS_NOT_ALLOWED:
    "the company's PAC address is not allowed: set a published PAC host (`PUT …/pac`) or ask the operator to allow it (FEPA_PAC_ALLOWED_HOSTS), then resubmit",
  OUTBOUND_INTERNAL_ADDRESS:
    "the company's PAC host resolves inside the network: check its DNS or the address, then resubmit",
  PAC_CREDENTIALS_MISSING: "set the PAC's credentials (`PUT …/pac`), then resubmit",
  AUTH_FAILED: 'the PAC refuses the credentials: fix them (`PUT …/pac`), then resubmit',
  EMISSION_DATE_OUT_OF_WINDOW:
    'the emission date is outside what the DGI accepts: correct dFechaEm (`fepa doc correct`), or cancel',
};

export function nextStep(state: {
  status: DocumentStatus;
  needsPerson?: { reason: string; code?: string } | undefined;
}): string {
  const code = state.needsPerson?.code;
  return (code && BY_CODE[code]) ?? NEXT_STEP[state.status];
}

/** A few Markdown lines for the Temporal UI's "current details" of a document workflow. */
export function documentDetails(
  state: DocumentState,
  key: { docType: string; number: string; emitterRuc: string; erpCode?: string | undefined },
): string {
  const last = state.lastPac;
  return [
    `**${state.status}** · document ${key.docType} ${key.number} · RUC ${key.emitterRuc}${key.erpCode ? ` · ERP ${key.erpCode}` : ''}`,
    ...(state.cufe ? [`CUFE \`${state.cufe}\`${state.protocol ? ` · protocol ${state.protocol}` : ''}`] : []),
    ...(last
      ? [
          `PAC: ${last.status}${last.code ? ` (${last.code})` : ''}${last.message ? ` — ${last.message.slice(0, 200)}` : ''}`,
        ]
      : []),
    ...(state.needsPerson
      ? [
          `Needs a person: ${state.needsPerson.reason}${state.needsPerson.code ? ` (${state.needsPerson.code})` : ''}`,
        ]
      : []),
    `Next: ${nextStep(state)}`,
  ].join('\n\n');
}
