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
