import { Decimal } from 'decimal.js';

/** Exact decimal arithmetic for amounts: never JavaScript floats. Rounding is half-up (see rounding.ts). */
export const Money = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Money = Decimal;

export const ZERO = new Money(0);

export const money = (text: string | undefined): Money => (text === undefined ? ZERO : new Money(text));

/** Rounded half-up to 2 decimals: every gTot amount (montoTipo01). */
export const round2 = (value: Money): Money => value.toDecimalPlaces(2, Money.ROUND_HALF_UP);

/** The text of an amount with exactly 2 decimals (montoTipo01). */
export const text2 = (value: Money): string => round2(value).toFixed(2);

export const sum = (values: Money[]): Money => values.reduce((a, b) => a.plus(b), ZERO);
