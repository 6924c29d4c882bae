import type { PacStatus } from '../pac-result.js';

/**
 * eDoc's Estado → unified status, with the "what to do" of each state (spec pac-apis §1.6, §6.3).
 * By code only; state 15 is refined by its sub-code, never by the message.
 */
export const EDOC_STATES: Readonly<Record<string, { status: PacStatus; todo: string }>> = {
  '2': { status: 'authorized', todo: 'done' },
  '3': { status: 'rejected-correctable', todo: 'annulment refused: a person reviews it' },
  '4': {
    status: 'error-needs-support',
    todo: 'eDoc processing error: notify support, never resend automatically',
  },
  '5': { status: 'pending', todo: 'received, no DGI answer yet: query later, never resend' },
  '6': {
    status: 'rejected-correctable',
    todo: 'returned by the DGI for XML errors: correct and resend with the same number',
  },
  '7': { status: 'pending', todo: 'not received by the DGI: query, never resend' },
  '10': { status: 'transient', todo: 'transient: query later' },
  '11': { status: 'annulled', todo: 'annulled' },
  '15': { status: 'duplicate', todo: 'returned by eDoc before the XML: reconcile before any resend' },
  '18': { status: 'not-found', todo: 'document not found' },
  '20': { status: 'pending', todo: 'eDoc cannot reach the DGI and will resend itself: query later' },
  '21': { status: 'pending', todo: 'treated like 20 by field clients' },
};

/** Sub-codes of state 15 (CodigoRespuesta, an assumption of fepa's eDoc contract). */
export const EDOC_STATE_15_CODES: Readonly<Record<string, PacStatus>> = {
  DUPLICADO: 'duplicate',
  CREDENCIALES: 'auth-failed',
  TIPO_DOCUMENTO: 'rejected-correctable',
};

export function edocStatus(estado: string, subCode: string | null | undefined): PacStatus | undefined {
  if (estado === '15' && subCode && EDOC_STATE_15_CODES[subCode]) return EDOC_STATE_15_CODES[subCode];
  return EDOC_STATES[estado]?.status;
}
