import { dgiIssue, type DgiIssue, type PacStatus } from '../pac-result.js';
import { statusWithDgiCodes } from '../dgi-codes.js';

/**
 * HKA's `codigo` → unified status, by code (spec hka.md §4; issue #16 §3). Sources disagree on several
 * codes: this table is the one place the reading is kept.
 */
export const HKA_CODES: Readonly<Record<string, { status: PacStatus; todo: string; alert?: 'folios' }>> = {
  '200': { status: 'authorized', todo: 'done' },
  '201': {
    status: 'unknown',
    todo: 'ambiguous: read resultado and the CUFE, then ask EstadoDocumento before anything else',
  },
  '202': { status: 'unknown', todo: 'HKA did not get the DGI answer: ask EstadoDocumento' },
  '100': { status: 'error-needs-support', todo: 'HKA refused the tokens: fix the credentials, no retry' },
  '101': { status: 'error-needs-support', todo: 'HKA could not validate the certificate: support' },
  '102': { status: 'duplicate', todo: 'the number is taken: ask EstadoDocumento and adopt what HKA holds' },
  '109': { status: 'rejected-correctable', todo: 'data errors (DGI codes in mensaje): correct, resend' },
  '112': {
    status: 'rejected-correctable',
    todo: 'the annulment window is over: issue a credit note instead',
  },
  '119': {
    status: 'error-needs-support',
    todo: 'no folios left: buy a new cycle from HKA',
    alert: 'folios',
  },
  '180': {
    status: 'rejected-correctable',
    todo: 'the referenced document is too old for a note 04/05: use a generic note 06/07',
  },
  '300': { status: 'transient', todo: 'HKA asks to resend later' },
  '401': { status: 'error-needs-support', todo: 'unauthorized: fix the credentials, no retry' },
  '404': { status: 'not-found', todo: 'HKA holds no such document' },
};

/** HKA's code for "no folios left" (it raises the folio alert). */
export const HKA_NO_FOLIOS = '119';

/** DGI codes in HKA's `mensaje` that mean "the number is already there": reconcile, then adopt. */

/**
 * Every DGI issue in a `mensaje`: HKA writes them as `<code>-<text>`, several separated by `|`
 * (for example `"1513-Número duplicado | 2007-Ítem sin código"`).
 */
export function dgiIssuesInMessage(mensaje: string | undefined): DgiIssue[] {
  if (!mensaje) return [];
  return mensaje
    .split('|')
    .map((part) => /^\s*([0-9]{4})\s*[-:]\s*(.*?)\s*$/.exec(part))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => dgiIssue(m[1]!, m[2]!));
}

/**
 * The unified status of an answer to `Enviar`, by code; an unknown code is an outcome to reconcile (never a
 * rejection on a guess). The DGI codes a rejection carries (1513 duplicate, 1508…) are read for every PAC in
 * ../dgi-codes.ts when the result is made.
 */
export function hkaSubmitStatus(codigo: string, issues: DgiIssue[]): PacStatus {
  return statusWithDgiCodes(HKA_CODES[codigo]?.status ?? 'unknown', issues);
}

/**
 * `estatusDocumento` of EstadoDocumento → unified status. Authorized and annulled are in the public
 * examples; the others are [ASSUMED] names (docs/pac/hka.md says how to check them against HKA's demo).
 */
export const HKA_DOCUMENT_STATES: Readonly<Record<string, PacStatus>> = {
  autorizada: 'authorized',
  anulada: 'annulled',
  rechazada: 'rejected-correctable',
  pendiente: 'pending',
  'en proceso': 'pending',
  recibida: 'pending',
};

export function hkaDocumentState(estatus: string | undefined): PacStatus | undefined {
  if (!estatus) return undefined;
  const plain = estatus
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .toLowerCase();
  return HKA_DOCUMENT_STATES[plain];
}
