import { FepaError } from '../../common/fepa-error.js';
/**
 * RUC check digit (DV), from the DGI's "Algoritmo para el cálculo del dígito verificador" v201805
 * (spec §10). Every RUC form is first turned into a 20-digit string, then two mod-11 digits are computed.
 */

export type RucType = '1' | '2';

export class RucFormatError extends FepaError {
  constructor(message: string) {
    super('RUC_FORMAT', message);
  }
}

/** Keys 00 and 10–49 at positions 6–7 of an old-format juridical RUC map to one digit (spec §10.1). */
const CROSS_REFERENCE: Record<string, string> = buildCrossReference();

function buildCrossReference(): Record<string, string> {
  const ranges: Array<[number, number, number]> = [
    // [first key, last key, digit of the first key]
    [10, 18, 1],
    [19, 22, 1],
    [23, 25, 7],
    [26, 33, 2],
    [34, 42, 1],
    [43, 49, 1],
  ];
  const table: Record<string, string> = { '00': '0' };
  for (const [first, last, digit] of ranges) {
    for (let key = first; key <= last; key++) table[String(key)] = String(digit + key - first);
  }
  return table;
}

const digits = (s: string) => /^[0-9]+$/.test(s);
const pad = (s: string, n: number) => s.padStart(n, '0');

/** Natural-person letter forms: code after the leading 5, for a 3-digit tomo (spec §10.2). */
const LETTER_CODES: Record<string, { short: string; long?: { validation: string; letters: string } }> = {
  E: { short: '0050', long: { validation: '66', letters: '5' } },
  N: { short: '0040', long: { validation: '92', letters: '4' } },
  PE: { short: '0075', long: { validation: '82', letters: '75' } },
};

/** Builds the 20-digit string T and says whether the old-juridical-format flag applies. */
export function rucDigitString(ruc: string, type: RucType): { t: string; oldFormat: boolean } {
  const parts = ruc.toUpperCase().split('-');
  const fail = (why: string): never => {
    throw new RucFormatError(`RUC "${ruc}" (dTipoRuc ${type}): ${why}`);
  };

  const ntIndex = parts.indexOf('NT');
  if (ntIndex === 1 && parts.length === 4) {
    const [prov, , tomo, asiento] = parts as [string, string, string, string];
    if (![prov, tomo, asiento].every(digits) || tomo.length > 3 || asiento.length > 6)
      fail('NT form is P-NT-TTT-AAAAA');
    const core = pad(prov, 2) + '43' + pad(tomo, 3) + pad(asiento, asiento.length === 6 ? 6 : 5);
    return { t: pad(type === '1' ? `5${core}` : core, 20), oldFormat: false };
  }

  if (type === '2') {
    if (parts.length !== 3 || !parts.every(digits))
      fail('a juridical RUC is tomo-folio-asiento, digits only');
    const [tomo, folio, asiento] = parts as [string, string, string];
    if (tomo.length > 10 || folio.length > 4 || asiento.length > 6)
      fail('tomo ≤ 10, folio ≤ 4, asiento ≤ 6 digits');
    let t = pad(tomo, 10) + pad(folio, 4) + pad(asiento, 6);
    const oldFormat = t[3] === '0' && t[4] === '0' && Number(t[5]) < 5;
    const replacement = oldFormat ? CROSS_REFERENCE[t.slice(5, 7)] : undefined;
    if (replacement !== undefined) t = t.slice(0, 5) + '0' + replacement + t.slice(7);
    return { t, oldFormat };
  }

  if (parts.length !== 3) fail('unrecognised natural-person RUC form');
  const [head, tomo, asiento] = parts as [string, string, string];
  if (!digits(tomo) || !digits(asiento) || asiento.length > 6) fail('tomo and asiento must be digits');
  const asientoPart = pad(asiento, asiento.length === 6 ? 6 : 5);

  const letters = LETTER_CODES[head];
  if (letters) {
    if (tomo.length <= 3)
      return { t: pad(`5${letters.short}${pad(tomo, 3)}${asientoPart}`, 20), oldFormat: false };
    if (tomo.length === 4 && letters.long) {
      return {
        t: pad(`5${letters.long.validation}${letters.long.letters}${tomo}${asientoPart}`, 20),
        oldFormat: false,
      };
    }
    fail('tomo has too many digits');
  }
  const special = /^([0-9]{1,2})(PI|AV)$/.exec(head);
  if (special) {
    if (tomo.length > 3) fail('PI/AV forms with a 4-digit tomo are not documented reliably (spec §10.2)');
    const code = special[2] === 'PI' ? '79' : '15';
    return { t: pad(`5${pad(special[1]!, 2)}${code}${pad(tomo, 3)}${asientoPart}`, 20), oldFormat: false };
  }
  if (digits(head) && head.length <= 2) {
    return { t: pad(`5${pad(head, 2)}00${pad(tomo, 3)}${asientoPart}`, 20), oldFormat: false };
  }
  return fail('unrecognised natural-person RUC form');
}

function mod11Digit(t: string, oldFormat: boolean): string {
  let sum = 0;
  let weight = 2;
  let elevenRepeated = false;
  for (let i = t.length - 1; i >= 0; i--) {
    let w = weight;
    // Old juridical RUCs apply weight 11 twice: where 12 would come, 11 is used once more.
    if (oldFormat && weight === 12 && !elevenRepeated) {
      w = 11;
      elevenRepeated = true;
      weight--;
    }
    sum += Number(t[i]) * w;
    weight++;
  }
  const r = sum % 11;
  return r <= 1 ? '0' : String(11 - r);
}

/** The two-digit DV of a RUC, e.g. `computeRucDv('155123456-2-2023', '2') === '95'`. */
export function computeRucDv(ruc: string, type: RucType): string {
  const { t, oldFormat } = rucDigitString(ruc, type);
  const dv1 = mod11Digit(t, oldFormat);
  const dv2 = mod11Digit(t + dv1, oldFormat);
  return dv1 + dv2;
}

export type RucDvCheck = { ok: true } | { ok: false; expected?: string; reason: string };

/** Checks a DV; a RUC form the algorithm cannot read is reported, not thrown. */
export function checkRucDv(ruc: string, type: RucType, dv: string): RucDvCheck {
  try {
    const expected = computeRucDv(ruc, type);
    return expected === dv
      ? { ok: true }
      : { ok: false, expected, reason: `DV ${dv} does not match, expected ${expected}` };
  } catch (err) {
    if (err instanceof RucFormatError) return { ok: false, reason: err.message };
    throw err;
  }
}
