import { ITBMS_RATES } from '../dgi-document/catalogs/codes.js';
import { money, text2, ZERO as ZERO_MONEY, type Money } from '../dgi-document/money.js';
import type { TaxLine } from './tax-lines.js';

/**
 * The ITBMS books of a period (issue #28): sales from the company's authorized documents, purchases from
 * its accepted received documents. A book is a pure sum over its entries, in the documents' own money
 * type: credit notes subtract, debit notes and invoices add. Which documents are entries (authorized, not
 * annulled, in the period) is the caller's query; this module only adds.
 */

/** Credit notes (04 on an FE, 06 generic) take away what they credit. */
const CREDIT_NOTES = new Set(['04', '06']);

/** +1 or -1: how a document type counts in a book. */
export const bookSign = (docType: string): 1 | -1 => (CREDIT_NOTES.has(docType) ? -1 : 1);

export interface BookEntry {
  docType: string;
  /** Sales: branch and point of sale; purchases: the supplier. */
  group: Record<string, string>;
  lines: TaxLine[];
}

export interface BookRow {
  docType: string;
  group: Record<string, string>;
  rateCode: string;
  /** "7%". */
  rate: string;
  documents: number;
  /** Signed: negative where credit notes outweigh. */
  base: string;
  tax: string;
}

export interface BookTotals {
  documents: number;
  base: string;
  tax: string;
  byRate: Array<{ rateCode: string; rate: string; base: string; tax: string }>;
}

export interface Book {
  rows: BookRow[];
  totals: BookTotals;
}

const rateOf = (code: string) => `${Math.round(Number(ITBMS_RATES[code] ?? 0) * 100)}%`;

interface Sums {
  /** Lines counted: a document has one line per rate, so per row this is its documents. */
  lines: number;
  base: Money;
  tax: Money;
}
const empty = (): Sums => ({ lines: 0, base: ZERO_MONEY, tax: ZERO_MONEY });

/**
 * Adds entries as they come (a month of a busy company is read in batches, never held whole): one row per
 * document type, group and rate, then totals per rate and overall.
 */
export class BookAccumulator {
  private readonly rows = new Map<
    string,
    Sums & { docType: string; group: Record<string, string>; rateCode: string }
  >();
  private readonly rates = new Map<string, Sums>();
  private count = 0;

  add(entry: BookEntry): void {
    this.count++;
    const sign = bookSign(entry.docType);
    const groupKey = JSON.stringify(Object.entries(entry.group).sort(([a], [b]) => a.localeCompare(b)));
    for (const line of entry.lines) {
      const key = `${entry.docType}|${groupKey}|${line.rateCode}`;
      let row = this.rows.get(key);
      if (!row)
        this.rows.set(
          key,
          (row = { ...empty(), docType: entry.docType, group: entry.group, rateCode: line.rateCode }),
        );
      let rate = this.rates.get(line.rateCode);
      if (!rate) this.rates.set(line.rateCode, (rate = empty()));
      const base = sign < 0 ? money(line.base).times(-1) : money(line.base);
      const tax = sign < 0 ? money(line.tax).times(-1) : money(line.tax);
      for (const sums of [row, rate]) {
        sums.lines++;
        sums.base = sums.base.plus(base);
        sums.tax = sums.tax.plus(tax);
      }
    }
  }

  book(): Book {
    const rates = [...this.rates.entries()].sort(([a], [b]) => a.localeCompare(b));
    return {
      rows: [...this.rows.values()]
        .map((r) => ({
          docType: r.docType,
          group: r.group,
          rateCode: r.rateCode,
          rate: rateOf(r.rateCode),
          documents: r.lines,
          base: text2(r.base),
          tax: text2(r.tax),
        }))
        .sort(
          (a, b) =>
            a.docType.localeCompare(b.docType) ||
            JSON.stringify(a.group).localeCompare(JSON.stringify(b.group)) ||
            a.rateCode.localeCompare(b.rateCode),
        ),
      totals: {
        documents: this.count,
        base: text2(rates.reduce((a, [, s]) => a.plus(s.base), ZERO_MONEY)),
        tax: text2(rates.reduce((a, [, s]) => a.plus(s.tax), ZERO_MONEY)),
        byRate: rates.map(([rateCode, s]) => ({
          rateCode,
          rate: rateOf(rateCode),
          base: text2(s.base),
          tax: text2(s.tax),
        })),
      },
    };
  }
}

/** The book of `entries`, added in one go. */
export function itbmsBook(entries: Iterable<BookEntry>): Book {
  const accumulator = new BookAccumulator();
  for (const entry of entries) accumulator.add(entry);
  return accumulator.book();
}

/** A book as CSV: one line per row, the group's fields as columns (in `groupColumns` order). */
export function bookCsv(book: Book, groupColumns: readonly string[]): string {
  const cell = (value: string | number) => {
    const text = String(value);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const header = ['doc_type', ...groupColumns, 'itbms_rate', 'documents', 'base', 'itbms'];
  const lines = book.rows.map((r) =>
    [r.docType, ...groupColumns.map((c) => r.group[c] ?? ''), r.rate, r.documents, r.base, r.tax]
      .map(cell)
      .join(','),
  );
  return [header.join(','), ...lines].join('\r\n') + '\r\n';
}
