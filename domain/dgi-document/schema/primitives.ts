import { z } from 'zod';
import { FORMAT_PROFILE } from '../format-profile.js';

/** A custom issue whose `rule` survives into DocumentIssue. */
const fail = (ctx: z.RefinementCtx, rule: string, message: string) =>
  ctx.addIssue({ code: 'custom', message, params: { rule } });

const numberToText = (width?: number) => (value: unknown) =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0
    ? width
      ? String(value).padStart(width, '0')
      : String(value)
    : value;

/** XML 1.0 forbids most control characters; the DGI validator rejects them. */
const XML_FORBIDDEN =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Free text with XSD length limits. */
export function text(min: number, max: number) {
  return z
    .string()
    .min(min, min === 1 ? 'must not be empty' : `must have at least ${min} characters`)
    .max(max, `must have at most ${max} characters`)
    .superRefine((value, ctx) => {
      if (XML_FORBIDDEN.test(value))
        fail(ctx, 'xml-character', 'contains a control character XML cannot carry');
    });
}

/**
 * A code from a closed list, sent as a string exactly as the catalog writes it ("01", not 1).
 * Whole numbers are accepted and padded to `width`, as ERPs often send them.
 */
export function code(codes: readonly string[], options: { width?: number; listName?: string } = {}) {
  const allowed = new Set(codes);
  const shown = codes.length <= 12 ? codes.join(', ') : undefined;
  return z.preprocess(
    numberToText(options.width),
    z.string().superRefine((value, ctx) => {
      if (allowed.has(value)) return;
      if (shown) fail(ctx, 'enum', `must be one of ${shown}`);
      else fail(ctx, 'catalog', `is not in the DGI catalog of ${options.listName ?? 'codes'}`);
    }),
  );
}

/** A digit string of fixed width, not all zeros (dNroDF, dPtoFacDF, dSeg). Shorter numbers are zero-padded. */
export function paddedNumber(width: number) {
  return z.preprocess(
    (value) =>
      typeof value === 'number' || (typeof value === 'string' && /^[0-9]+$/.test(value))
        ? String(value).padStart(width, '0')
        : value,
    z.string().superRefine((value, ctx) => {
      if (!new RegExp(`^[0-9]{${width}}$`).test(value)) fail(ctx, 'pattern', `must be ${width} digits`);
      else if (/^0+$/.test(value)) fail(ctx, 'not-zero', 'must not be all zeros');
    }),
  );
}

/** Amount types of the XSD (spec §2): integer digits allowed and the decimals the type demands. */
export const AMOUNT_TYPES = {
  /** gTot amounts: 1–11 integer digits, exactly 2 decimals. */
  montoTipo01: { maxInt: 11, minDec: 2, maxDec: 2 },
  /** Item prices and taxes: 1–9 integer digits, 2–6 decimals. */
  montoTipo06: { maxInt: 9, minDec: 2, maxDec: 6 },
  /** Item freight and insurance: up to 9 integer digits, exactly 2 decimals. */
  montoTipo02: { maxInt: 9, minDec: 2, maxDec: 2 },
  /** Quantities: 1–9 integer digits, 0–6 decimals. */
  montoTipo31: { maxInt: 9, minDec: 0, maxDec: 6 },
  /** dCambio: up to 11 integer digits, 2–4 decimals. */
  exchangeRate: { maxInt: 11, minDec: 2, maxDec: 4 },
  /** dVTotEst: 20 digits in all, up to 4 decimals. */
  foreignTotal: { maxInt: 16, minDec: 0, maxDec: 4 },
  /** pesoType, dCapTracc, dEntreEj: up to 11 digits, up to 4 decimals. */
  measure: { maxInt: 11, minDec: 0, maxDec: 4 },
  /** dPesoTot: up to 10 digits, up to 6 decimals. */
  totalWeight: { maxInt: 4, minDec: 0, maxDec: 6 },
} as const;
export type AmountType = keyof typeof AMOUNT_TYPES;

/**
 * A non-negative decimal written with a dot. Numbers and strings are accepted; the result is the text the
 * XML carries, padded to the type's minimum decimals ("50" → "50.00"). Never goes through a float.
 */
export function amount(type: AmountType) {
  const { maxInt, minDec, maxDec } = AMOUNT_TYPES[type];
  return z.preprocess(
    (value) => (typeof value === 'number' && Number.isFinite(value) ? String(value) : value),
    // One pass (check and normalise together): amounts are most of a document's fields.
    z.string().transform((value, ctx) => {
      const match = AMOUNT_TEXT.exec(value);
      if (!match) {
        fail(ctx, 'pattern', 'must be a non-negative decimal number with a dot, e.g. 12.50');
        return z.NEVER;
      }
      const int = match[1]!.replace(/^0+(?=.)/, '');
      const dec = match[2] ?? '';
      if (int.length > maxInt) fail(ctx, 'integer-digits', `must have at most ${maxInt} integer digits`);
      if (dec.length > maxDec) fail(ctx, 'decimals', `must have at most ${maxDec} decimals`);
      if (int.length > maxInt || dec.length > maxDec) return z.NEVER;
      const decimals = dec.length >= minDec ? dec : dec.padEnd(minDec, '0');
      return decimals ? `${int}.${decimals}` : int;
    }),
  );
}

const AMOUNT_TEXT = /^([0-9]+)(?:\.([0-9]+))?$/;

const DATE_TIME =
  /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$/;

function isCalendarDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * `fechaTZ`: a date-time in Panama's local time, `YYYY-MM-DDThh:mm:ss-05:00`. Any ISO offset (or `Z`)
 * is accepted and converted to Panama time, so the CUFE's date is the local date, never the UTC one.
 */
export const panamaDateTime = z.string().transform((value, ctx) => {
  const m = DATE_TIME.exec(value);
  if (!m) {
    fail(ctx, 'pattern', 'must be a date-time like 2025-03-10T10:15:00-05:00');
    return z.NEVER;
  }
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (!isCalendarDate(y, mo, d) || h > 23 || mi > 59 || s > 59) {
    fail(ctx, 'date', 'is not a real calendar date and time');
    return z.NEVER;
  }
  const offset = m[7]!;
  if (offset === FORMAT_PROFILE.panamaUtcOffset) return value.replace(/\.[0-9]+/, '');
  const utcMs = Date.parse(value);
  const local = new Date(utcMs - 5 * 3_600_000).toISOString().slice(0, 19);
  return `${local}${FORMAT_PROFILE.panamaUtcOffset}`;
});

/** `fechaYMD`: a calendar date `YYYY-MM-DD`. */
export const calendarDate = z.string().superRefine((value, ctx) => {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(value);
  if (!m) fail(ctx, 'pattern', 'must be a date like 2025-03-10');
  else if (!isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3])))
    fail(ctx, 'date', 'is not a real calendar date');
});

export const phone = z
  .string()
  .regex(/^[0-9]{3,4}-[0-9]{4}$/, 'must be 3–4 digits, a hyphen and 4 digits, e.g. 6000-0000');

/**
 * The XSD's e-mail pattern (emailType), rewritten without its nested quantifier: the XSD's local part
 * `[0-9a-zA-Z#$%]([-.\w]*[0-9a-zA-Z#$%'.\-_])*` matches exactly `[0-9a-zA-Z#$%][0-9a-zA-Z#$%'._-]*`, but as
 * written it backtracks exponentially (30 characters without "@" took seconds). A property test checks the
 * two accept the same strings.
 */
export const EMAIL_PATTERN =
  /^[0-9a-zA-Z#$%][0-9a-zA-Z#$%'._-]*@(?:[0-9a-zA-Z][-\w]*[0-9a-zA-Z]\.)+[a-zA-Z]{2,9}$/;

export const email = z
  .string()
  .max(
    FORMAT_PROFILE.receiverEmailMaxLength,
    `must have at most ${FORMAT_PROFILE.receiverEmailMaxLength} characters`,
  )
  .regex(EMAIL_PATTERN, 'must be an e-mail address');

/** The XSD's RUC pattern (RucType/dRuc): the registered forms, hyphens included. */
const RUC_PATTERN =
  /^(?:(?:PE-[-0-9]{1,17}|N-[-0-9]{1,18}|E-[-0-9]{1,18}|[-0-9]{5,20})|(?:[0-9]-AV-[-0-9]{1,15}|[0-9]{2}-AV-[-0-9]{1,14})|(?:[0-9]{1,2}-NT-[-0-9]{1,15}|NT-[-0-9]{1,14}|[0-9]{1,2}-PI-[-0-9]{1,14}|PI-[-0-9]{1,14}|[0-9]{1,2}PI-[-0-9]{1,14})|[0-9]{1,2}AV-[-0-9]{1,14})$/;

export const ruc = z
  .string()
  .min(5, 'must have at least 5 characters')
  .max(20, 'must have at most 20 characters')
  .regex(
    RUC_PATTERN,
    'is not a RUC as registered, e.g. 155123456-2-2023, 8-274-125, PE-1-19, E-8-110361, 8-NT-1-24',
  );

export const checkDigits = z.string().regex(/^[0-9]{2}$/, 'must be 2 digits, e.g. 09');

/** The 66-character CUFE layout (the check digit is verified by the business rules). */
export const cufeText = z.string().regex(/^FE[0-9A-Z-]{64}$/, 'must be a 66-character CUFE starting with FE');

/** dSucEm: 4 alphanumerics; uppercase only, because lowercase letters make the CUFE check digit ambiguous (spec §8). */
export const branchCode = z
  .string()
  .regex(/^[A-Z0-9]{4}$/, 'must be 4 digits or uppercase letters, e.g. 0000');

/** dCoordEm: latitude,longitude with 4–6 decimals; longitude negative with 2 integer digits. */
export const coordinates = z
  .string()
  .max(22, 'must have at most 22 characters')
  .regex(
    /^[-+]?[0-9]{1,2}\.[0-9]{4,6},-[0-9]{2}\.[0-9]{4,6}$/,
    'must be latitude,longitude like +8.983300,-79.516700',
  );

/** An xs:integer kept as its text (so "001" survives a round trip), with a digit limit and a minimum. */
export function integerText(options: { maxDigits: number; min?: number; max?: number }) {
  return z.preprocess(
    (value) => (typeof value === 'number' && Number.isInteger(value) ? String(value) : value),
    z.string().superRefine((value, ctx) => {
      if (!/^[0-9]+$/.test(value)) return fail(ctx, 'pattern', 'must be a whole number');
      if (value.replace(/^0+(?=.)/, '').length > options.maxDigits)
        fail(ctx, 'integer-digits', `must have at most ${options.maxDigits} digits`);
      const n = Number(value);
      if (options.min !== undefined && n < options.min)
        fail(ctx, 'minimum', `must be at least ${options.min}`);
      if (options.max !== undefined && n > options.max)
        fail(ctx, 'maximum', `must be at most ${options.max}`);
    }),
  );
}

/** An element that may repeat: a single value or an array, always an array after parsing. */
export function oneOrMany<T extends z.ZodType>(item: T, min: number, max: number) {
  return z.preprocess(
    (value) => (value === undefined || Array.isArray(value) ? value : [value]),
    z
      .array(item)
      .min(min, `must have at least ${min} entr${min === 1 ? 'y' : 'ies'}`)
      .max(max, `must have at most ${max} entries`),
  );
}

/** GTIN: 0, or 8 or 12–14 digits (gGtinType). */
export const gtin = z.preprocess(
  (value) => (typeof value === 'number' && Number.isInteger(value) ? String(value) : value),
  z.string().regex(/^(0|[0-9]{8}|[0-9]{12,14})$/, 'must be 0, or a GTIN of 8 or 12–14 digits'),
);
