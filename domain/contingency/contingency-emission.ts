import { FORMAT_PROFILE } from '../dgi-document/format-profile.js';
import { panamaDateTime } from '../dgi-document/panama-time.js';

export { panamaDateTime };

/**
 * After this long, a contingency's reason must also say why normal operation was not resumed (spec §14,
 * [PAC] HKA's wiki; some sources read the 72 hours as a transmission deadline instead [UNCERTAIN]).
 */
export const LONG_CONTINGENCY_MS = 72 * 3_600_000;
const REASON_MIN = 15;

/** 02: prior authorization (every PAC); 04: posterior authorization (PACs with the "uso posterior" modality). */
export type ContingencyModality = 'prior' | 'posterior';

export interface OpenContingency {
  /** When the outage started (not when the contingency was noticed or a document was issued). */
  since: Date;
  reason: string;
  /** Why normal operation was not resumed: required once the contingency is older than 72 hours. */
  explanation?: string | undefined;
  modality: ContingencyModality;
}

export type ContingencyFields =
  | { ok: true; fields: { iTpEmis: '02' | '04'; dFechaCont: string; dMotCont: string } }
  | { ok: false; waitsForPerson: string };

/**
 * The contingency fields of a document issued at `now` under `contingency`, or why it must wait for a person
 * rather than be issued with a reason that breaks the rule (too short or long, or a long contingency without
 * its explanation).
 */
export function contingencyFields(contingency: OpenContingency, now: Date): ContingencyFields {
  const reason = contingency.reason.trim();
  const long = now.getTime() - contingency.since.getTime() > LONG_CONTINGENCY_MS;
  const explanation = contingency.explanation?.trim();
  if (long && !explanation)
    return {
      ok: false,
      waitsForPerson:
        'the contingency has lasted more than 72 hours: its reason must also explain why normal operation was not resumed (give an explanation)',
    };
  const dMotCont = long ? `${reason}. ${explanation}` : reason;
  if (dMotCont.length < REASON_MIN || dMotCont.length > FORMAT_PROFILE.contingencyReasonMaxLength)
    return {
      ok: false,
      waitsForPerson: `the contingency's reason${long ? ' with its explanation' : ''} has ${dMotCont.length} characters; dMotCont takes ${REASON_MIN} to ${FORMAT_PROFILE.contingencyReasonMaxLength}`,
    };
  return {
    ok: true,
    fields: {
      iTpEmis: contingency.modality === 'posterior' ? '04' : '02',
      dFechaCont: panamaDateTime(contingency.since),
      dMotCont,
    },
  };
}

/**
 * The request as issued under `contingency`: an 01 request gets the contingency fields; a request that is
 * already 02/04 (the client issued it in contingency itself) is left as it is. dFechaCont is the outage's
 * start, or the document's own emission time when that is earlier (a document queued offline before the
 * contingency opened and re-issued under it: the DGI refuses dFechaCont after dFechaEm).
 */
export function requestInContingency(
  request: unknown,
  contingency: OpenContingency,
  now: Date,
): { ok: true; request: Record<string, unknown>; changed: boolean } | { ok: false; waitsForPerson: string } {
  const doc = request as Record<string, unknown> & { gDGen?: Record<string, unknown> };
  const gDGen = doc.gDGen ?? {};
  const given = gDGen.iTpEmis;
  const emission =
    typeof given === 'string' || typeof given === 'number' ? String(given).padStart(2, '0') : '01';
  if (emission !== '01') return { ok: true, request: doc, changed: false };
  const emittedAt = typeof gDGen.dFechaEm === 'string' ? Date.parse(gDGen.dFechaEm) : NaN;
  const since =
    Number.isFinite(emittedAt) && emittedAt < contingency.since.getTime()
      ? new Date(emittedAt)
      : contingency.since;
  const fields = contingencyFields({ ...contingency, since }, now);
  const ownDateIsOld =
    since !== contingency.since && now.getTime() - contingency.since.getTime() <= LONG_CONTINGENCY_MS;
  if (!fields.ok && ownDateIsOld)
    // The contingency is young: what makes this one long is the document's own date, so say that.
    return {
      ok: false,
      waitsForPerson: `the document's own emission date (dFechaEm ${String(gDGen.dFechaEm)}) is before the contingency opened (${panamaDateTime(contingency.since)}), and the DGI dates its contingency from it: more than 72 hours ago. Correct dFechaEm to the time of sale (or omit it: fepa stamps the time it accepts the request), or give the contingency an explanation`,
    };
  if (!fields.ok) return fields;
  return { ok: true, request: { ...doc, gDGen: { ...gDGen, ...fields.fields } }, changed: true };
}
