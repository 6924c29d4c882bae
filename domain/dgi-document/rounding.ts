import { FORMAT_PROFILE } from './format-profile.js';
import { round2, sum, type Money as MoneyValue } from './money.js';

/**
 * The DGI's rounding, written once (docs/dgi-document.md, "Rounding"; spec §5–6). Evidence: invoices the
 * DGI authorized in production carry item amounts with up to 6 decimals (dPrUnit 1.252336, dValITBMS
 * 0.087664, dValTotItem 1.340000) and 2-decimal gTot amounts equal to the sum of the unrounded item
 * amounts rounded half-up (two lines of ITBMS 0.087664 → dTotITBMS 0.18); the DGI's older test sample
 * rounds items to 2 decimals, which the same rules accept.
 */

/**
 * The seller's convention for the item amounts fepa computes (issue #27 §1): 6 decimals, as production POS
 * invoices the DGI authorized carry, or 2, as the DGI's 2019 test sample and POS systems that round tax per line
 * do (0.8575 → 0.86; the totals, sums of the item amounts in force, follow: 45.09 where 6 decimals give 45.07).
 * Choose what the seller's POS prints: the customer must see the total fepa signs.
 */
export type LineDecimals = 2 | 6;
export const LINE_DECIMALS: readonly LineDecimals[] = [2, 6];

/** An item amount fepa computes: the exact value rounded half-up to the convention's decimals. */
export function computedItemAmount(
  exact: MoneyValue,
  decimals: LineDecimals = FORMAT_PROFILE.itemAmountDecimals,
): { value: MoneyValue; text: string } {
  const value = exact.toDecimalPlaces(decimals);
  // montoTipo06 wants 2–6 decimals: 17 → "17.00", 0.0876635 → "0.087664", 1.2005 → "1.2005".
  const text = value.decimalPlaces() < 2 ? value.toFixed(2) : value.toFixed();
  return { value, text };
}

/**
 * An item amount the integrator sent agrees with its formula (dPrItem = qty × price − discount,
 * dValITBMS = rate × dPrItem, dValTotItem = Σ parts) when it is within half a cent of the exact value:
 * the widest rounding any 2–6 decimal writing of it can carry.
 */
export function itemAmountAgrees(sent: MoneyValue, exact: MoneyValue): boolean {
  return sent.minus(exact).abs().lte(FORMAT_PROFILE.itemAmountTolerance);
}

/** A gTot sum: the exact sum of the item amounts in force (unrounded), rounded half-up to 2 decimals. */
export const roundedTotal = (values: MoneyValue[]): MoneyValue => round2(sum(values));
