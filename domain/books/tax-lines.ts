import { money, sum, text2 } from '../dgi-document/money.js';
import type { ParsedDocument } from '../dgi-document/index.js';

/** One ITBMS rate of one document: the taxed base and the tax, to the cent. */
export interface TaxLine {
  /** dTasaITBMS: 00 (0 %), 01 (7 %), 02 (10 %), 03 (15 %). */
  rateCode: string;
  base: string;
  tax: string;
}

/**
 * A document's ITBMS by rate: per rate, the items' dPrItem (price after discount, before tax) as base and
 * their dValITBMS as tax, each sum rounded once to 2 decimals (half-up), as the CAFE prints them. The books
 * add these, so a book is always the sum of what its documents show.
 */
export function taxLinesOf(doc: Pick<ParsedDocument, 'gItem'>): TaxLine[] {
  const byRate = new Map<string, { base: ReturnType<typeof money>[]; tax: ReturnType<typeof money>[] }>();
  for (const item of doc.gItem) {
    const code = item.gITBMSItem.dTasaITBMS;
    const entry = byRate.get(code) ?? { base: [], tax: [] };
    entry.base.push(money(item.gPrecios.dPrItem));
    entry.tax.push(money(item.gITBMSItem.dValITBMS));
    byRate.set(code, entry);
  }
  return [...byRate.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([rateCode, { base, tax }]) => ({
      rateCode,
      base: text2(sum(base).toDecimalPlaces(2)),
      tax: text2(sum(tax).toDecimalPlaces(2)),
    }));
}
