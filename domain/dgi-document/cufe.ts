import { randomInt } from 'node:crypto';
import { FepaError } from '../../common/fepa-error.js';

/**
 * CUFE (Código Único de Factura Electrónica), the 66-character `dId` (spec §8):
 * `FE` + iDoc(2) + dTipoRuc(1) + dRuc padded to 20 + `-` + dDV(2) + dSucEm(4) + YYYYMMDD(8)
 * + dNroDF(10) + dPtoFacDF(3) + iTpEmis(2) + iAmb(1) + dSeg(9) + check digit(1).
 */
export interface CufeFields {
  iDoc: string;
  dTipoRuc: string;
  dRuc: string;
  dDV: string;
  dSucEm: string;
  /** Issue date as YYYYMMDD, from the text of dFechaEm (Panama local date, never UTC). */
  issueDate: string;
  dNroDF: string;
  dPtoFacDF: string;
  iTpEmis: string;
  iAmb: string;
  dSeg: string;
}

export const CUFE_LENGTH = 66;

const LAYOUT: Array<{ field: keyof CufeFields; length: number; pattern: RegExp }> = [
  { field: 'iDoc', length: 2, pattern: /^[0-9]{2}$/ },
  { field: 'dTipoRuc', length: 1, pattern: /^[12]$/ },
  { field: 'dRuc', length: 20, pattern: /^[0-9A-Z-]{1,20}$/ },
  { field: 'dDV', length: 2, pattern: /^[0-9]{2}$/ },
  { field: 'dSucEm', length: 4, pattern: /^[a-zA-Z0-9]{4}$/ },
  { field: 'issueDate', length: 8, pattern: /^[0-9]{8}$/ },
  { field: 'dNroDF', length: 10, pattern: /^[0-9]{10}$/ },
  { field: 'dPtoFacDF', length: 3, pattern: /^[0-9]{3}$/ },
  { field: 'iTpEmis', length: 2, pattern: /^0[1-4]$/ },
  { field: 'iAmb', length: 1, pattern: /^[12]$/ },
  { field: 'dSeg', length: 9, pattern: /^[0-9]{9}$/ },
];

export class CufeError extends FepaError {
  constructor(message: string) {
    super('CUFE_LAYOUT', message);
  }
}

/**
 * The check digit: each non-digit becomes the second digit of its character code (`-` 45 → 5,
 * `E` 69 → 9), then Luhn mod 10 over positions 3–65 (the `FE` prefix is excluded).
 */
export function cufeCheckDigit(body63: string): string {
  if (body63.length !== 63) throw new CufeError(`the CUFE body must be 63 characters, got ${body63.length}`);
  let sum = 0;
  for (let i = body63.length - 1, double = true; i >= 0; i--, double = !double) {
    let digit = digitOf(body63.charCodeAt(i));
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return String((10 - (sum % 10)) % 10);
}

function digitOf(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  // The second digit of the decimal code, as the DGI-verified implementations do. It equals the last
  // digit for codes 10–99 (`-`, uppercase); they differ only for lowercase letters (spec §8).
  return Number(String(code)[1]);
}

/** Builds the CUFE from its fields; throws CufeError naming the first field that does not fit. */
export function computeCufe(fields: CufeFields): string {
  let body = '';
  for (const { field, length, pattern } of LAYOUT) {
    const value = fields[field];
    if (!pattern.test(value)) throw new CufeError(`${field} "${value}" does not fit the CUFE layout`);
    body += field === 'dRuc' ? value.padStart(length, '0') : field === 'dDV' ? `-${value}` : value;
  }
  return `FE${body}${cufeCheckDigit(body)}`;
}

export type CufeParseResult =
  { ok: true; fields: CufeFields; checkDigit: string } | { ok: false; reason: string; fields?: CufeFields };

/** Splits a CUFE into its fields and verifies its layout and check digit. */
export function parseCufe(cufe: string): CufeParseResult {
  if (cufe.length !== CUFE_LENGTH)
    return { ok: false, reason: `a CUFE has ${CUFE_LENGTH} characters, this one has ${cufe.length}` };
  if (!cufe.startsWith('FE')) return { ok: false, reason: 'a CUFE starts with "FE"' };
  const fields: Partial<CufeFields> = {};
  let pos = 2;
  for (const { field, length } of LAYOUT) {
    if (field === 'dDV') {
      if (cufe[pos] !== '-') return { ok: false, reason: `position ${pos + 1} must be "-" before the DV` };
      pos += 1;
    }
    const raw = cufe.slice(pos, pos + length);
    fields[field] = field === 'dRuc' ? stripRucPadding(raw) : raw;
    pos += length;
  }
  const complete = fields as CufeFields;
  for (const { field, pattern } of LAYOUT) {
    if (!pattern.test(complete[field]))
      return { ok: false, reason: `${field} "${complete[field]}" is not valid`, fields: complete };
  }
  if (!isCalendarDate(complete.issueDate))
    return { ok: false, reason: `issue date ${complete.issueDate} is not a calendar date`, fields: complete };
  const checkDigit = cufe.slice(65);
  const expected = cufeCheckDigit(cufe.slice(2, 65));
  if (checkDigit !== expected) {
    return { ok: false, reason: `check digit is ${checkDigit}, expected ${expected}`, fields: complete };
  }
  return { ok: true, fields: complete, checkDigit };
}

/** The RUC is left-padded with zeros; a RUC never starts with 0 except in its padding. */
function stripRucPadding(padded: string): string {
  return padded.replace(/^0+/, '');
}

function isCalendarDate(yyyymmdd: string): boolean {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** A fresh `dSeg`: 9 digits from a cryptographic source, never all zeros. */
export function generateSecurityCode(): string {
  return String(randomInt(1, 1_000_000_000)).padStart(9, '0');
}
