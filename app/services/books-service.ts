import { BookAccumulator, bookCsv, type Book } from '../../domain/books/itbms-book.js';
import { taxLinesOf, type TaxLine } from '../../domain/books/tax-lines.js';
import { readRfe } from '../../domain/dgi-document/index.js';
import { panamaMonth } from '../../domain/dgi-document/panama-time.js';
import {
  purchaseBookSource,
  salesBookSource,
  saveTaxLines,
  type BookSourceRow,
} from '../../platform/storage/books-store.js';
import { findCompany } from '../../platform/storage/company-store.js';
import type { Sql } from '../../platform/storage/database.js';

export type BookKind = 'sales' | 'purchases';

/** The columns a book's rows are grouped by, per kind (CSV order). */
export const BOOK_GROUP_COLUMNS: Record<BookKind, readonly string[]> = {
  sales: ['branch', 'pointOfSale'],
  purchases: ['supplierRuc', 'supplierName'],
};

export interface BookView extends Book {
  companyId: string;
  environment: '1' | '2';
  kind: BookKind;
  period: string;
  /** Panama time: [from, to). */
  from: string;
  to: string;
  /** Documents of the period left out, by reason (annulled, not authorized yet, invalid…). */
  excluded: Record<string, number>;
  /** Documents whose XML could not be read for the book (named, never silently dropped). */
  unreadable: string[];
}

/** The ITBMS books of a month (docs/books.md): sales from issued documents, purchases from received ones. */
export class BooksService {
  constructor(private readonly deps: { sql: Sql }) {}

  async book(
    companyId: string,
    kind: BookKind,
    period: string,
    environment: '1' | '2',
  ): Promise<BookView | undefined> {
    if (!(await findCompany(this.deps.sql, companyId))) return undefined;
    const { from, to } = panamaMonth(period);
    const window = { companyId, environment, from, to };
    const source =
      kind === 'sales'
        ? await salesBookSource(this.deps.sql, window)
        : await purchaseBookSource(this.deps.sql, window);
    const accumulator = new BookAccumulator();
    const unreadable: string[] = [];
    for await (const batch of source.rows) {
      const filled = entriesOf(batch, accumulator, unreadable);
      await saveTaxLines(this.deps.sql, kind, filled);
    }
    return {
      companyId,
      environment,
      kind,
      period,
      from: from.toISOString(),
      to: to.toISOString(),
      ...accumulator.book(),
      excluded: source.excluded,
      unreadable,
    };
  }

  csv(view: BookView): string {
    return bookCsv(view, BOOK_GROUP_COLUMNS[view.kind]);
  }
}

/**
 * Adds a batch to the book, reading the tax lines of older documents from their XML; returns those lines
 * to keep, and names the documents that cannot be read.
 */
function entriesOf(
  rows: BookSourceRow[],
  accumulator: BookAccumulator,
  unreadable: string[],
): Array<{ id: string; taxLines: TaxLine[] }> {
  const filled: Array<{ id: string; taxLines: TaxLine[] }> = [];
  for (const row of rows) {
    let lines = row.taxLines;
    if (!lines) {
      const read = row.xml ? readRfe(row.xml) : undefined;
      if (!read?.ok) {
        unreadable.push(row.id);
        continue;
      }
      lines = taxLinesOf(read.document);
      filled.push({ id: row.id, taxLines: lines });
    }
    accumulator.add({ docType: row.docType, group: row.group, lines });
  }
  return filled;
}
