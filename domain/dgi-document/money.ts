/**
 * Exact decimal amounts for the DGI arithmetic: a BigInt count of 10^-scale units, never a JavaScript
 * float. Sums and products are exact (a product's scale is the sum of the scales); rounding happens only
 * where the DGI's rules say (rounding.ts), half-up (ties away from zero, as the DGI's amounts show).
 * A dozen operations cover the rules, and BigInt keeps document building faster than signing.
 */
export class Money {
  private constructor(
    private readonly units: bigint,
    private readonly scale: number,
  ) {}

  /** Parses a non-negative or negative decimal text with a dot (`12`, `0.087664`, `-1.5`). */
  static parse(text: string): Money {
    const match = /^(-?)([0-9]*)(?:\.([0-9]*))?$/.exec(text);
    if (!match || (match[2] === '' && !match[3])) throw new Error(`not a decimal amount: "${text}"`);
    const [, sign, int = '', frac = ''] = match;
    const units = BigInt(`${int || '0'}${frac}`);
    return new Money(sign ? -units : units, frac.length);
  }

  static of(value: number | string | Money): Money {
    if (value instanceof Money) return value;
    return Money.parse(typeof value === 'number' ? String(value) : value);
  }

  private aligned(other: Money): [bigint, bigint, number] {
    if (this.scale === other.scale) return [this.units, other.units, this.scale];
    if (this.scale > other.scale)
      return [this.units, other.units * 10n ** BigInt(this.scale - other.scale), this.scale];
    return [this.units * 10n ** BigInt(other.scale - this.scale), other.units, other.scale];
  }

  plus(other: Money | string): Money {
    const [a, b, scale] = this.aligned(Money.of(other));
    return new Money(a + b, scale);
  }

  minus(other: Money | string): Money {
    const [a, b, scale] = this.aligned(Money.of(other));
    return new Money(a - b, scale);
  }

  times(other: Money | string | number): Money {
    const factor = Money.of(other);
    return new Money(this.units * factor.units, this.scale + factor.scale);
  }

  abs(): Money {
    return this.units < 0n ? new Money(-this.units, this.scale) : this;
  }

  private compare(other: Money | string): number {
    const [a, b] = this.aligned(Money.of(other));
    return a === b ? 0 : a < b ? -1 : 1;
  }

  eq(other: Money | string): boolean {
    return this.compare(other) === 0;
  }
  gt(other: Money | string): boolean {
    return this.compare(other) > 0;
  }
  lte(other: Money | string): boolean {
    return this.compare(other) <= 0;
  }
  isZero(): boolean {
    return this.units === 0n;
  }
  isNegative(): boolean {
    return this.units < 0n;
  }
  isPositive(): boolean {
    return this.units > 0n;
  }

  /** Decimal places that carry a non-zero digit (1.2500 → 2). */
  decimalPlaces(): number {
    if (this.units === 0n) return 0;
    let units = this.units;
    let places = this.scale;
    while (places > 0 && units % 10n === 0n) {
      units /= 10n;
      places -= 1;
    }
    return places;
  }

  /** Rounded half-up (ties away from zero) to `places` decimals; fewer decimals are kept as they are. */
  toDecimalPlaces(places: number): Money {
    if (this.scale <= places) return this;
    const divisor = 10n ** BigInt(this.scale - places);
    const magnitude = this.units < 0n ? -this.units : this.units;
    let quotient = magnitude / divisor;
    if ((magnitude % divisor) * 2n >= divisor) quotient += 1n;
    return new Money(this.units < 0n ? -quotient : quotient, places);
  }

  /** The text with exactly `places` decimals (rounded half-up), or, without `places`, every significant one. */
  toFixed(places?: number): string {
    const target = places ?? this.decimalPlaces();
    const rounded = this.toDecimalPlaces(target);
    const units = rounded.units * 10n ** BigInt(target - rounded.scale);
    const negative = units < 0n;
    const digits = (negative ? -units : units).toString().padStart(target + 1, '0');
    const int = digits.slice(0, digits.length - target);
    const text = target > 0 ? `${int}.${digits.slice(-target)}` : int;
    return negative ? `-${text}` : text;
  }

  toString(): string {
    return this.toFixed();
  }
}

export const ZERO = Money.parse('0');

export const money = (text: string | undefined): Money => (text === undefined ? ZERO : Money.parse(text));

/** Rounded half-up to 2 decimals: every gTot amount (montoTipo01). */
export const round2 = (value: Money): Money => value.toDecimalPlaces(2);

/** The text of an amount with exactly 2 decimals (montoTipo01). */
export const text2 = (value: Money): string => value.toFixed(2);

export const sum = (values: Money[]): Money => values.reduce((a, b) => a.plus(b), ZERO);
