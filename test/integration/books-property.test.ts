import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { BooksService } from '../../app/services/books-service.js';
import { createTestCompany } from '../helpers/companies.js';
import { closeTestStack, testDatabase } from '../helpers/test-stack.js';

/**
 * Issue #28: every book total equals the sum over its documents, for random sets of documents with notes,
 * annulments, documents not authorized yet and documents of other months, through PostgreSQL and the
 * service the API uses. The expected figures are computed here in integer cents, independently of the
 * book's money type and grouping.
 */

const STATUSES = ['authorized', 'authorized', 'authorized', 'annulled', 'submitted', 'issued_in_contingency'];
const TYPES = ['01', '01', '01', '04', '05', '06', '07', '03'];
const RATES = ['00', '01', '02', '03'];

const cents = (text: string) => BigInt(text.replace('.', ''));
const money = (c: bigint) => {
  const sign = c < 0n ? '-' : '';
  const abs = c < 0n ? -c : c;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
};

const line = fc.record({
  rateCode: fc.constantFrom(...RATES),
  base: fc.integer({ min: 0, max: 50_000_000 }),
  tax: fc.integer({ min: 0, max: 7_500_000 }),
});
const document = fc.record({
  docType: fc.constantFrom(...TYPES),
  status: fc.constantFrom(...STATUSES),
  branch: fc.constantFrom('0001', '0002', 'A1B2'),
  pointOfSale: fc.constantFrom('001', '002'),
  /** -1: the month before, 0: the period, 1: the month after (boundary instants included). */
  month: fc.constantFrom(-1, 0, 0, 0, 1),
  edge: fc.boolean(),
  lines: fc.uniqueArray(line, { minLength: 1, maxLength: 4, selector: (l) => l.rateCode }),
});

describe('the ITBMS sales book adds exactly what its documents show (property, PostgreSQL)', () => {
  after(closeTestStack);

  it('500 random sets of documents: per rate, per row and overall, the book is the signed sum of the authorized documents of the month', async () => {
    const sql = testDatabase();
    const books = new BooksService({ sql });
    const company = await createTestCompany(sql);
    let serial = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(document, { maxLength: 25 }), async (docs) => {
        runs++;
        await sql`delete from documents where company_id = ${company.id}`;
        // Period 2026-11 in Panama time: [2026-11-01T05:00Z, 2026-12-01T05:00Z).
        const instant = (month: number, edge: boolean) =>
          month === 0
            ? new Date(edge ? Date.UTC(2026, 10, 1, 5) : Date.UTC(2026, 10, 15, 12))
            : month < 0
              ? new Date(edge ? Date.UTC(2026, 10, 1, 4, 59, 59) : Date.UTC(2026, 9, 20))
              : new Date(edge ? Date.UTC(2026, 11, 1, 5) : Date.UTC(2026, 11, 3));
        const rows = docs.map((d) => ({
          id: randomUUID(),
          company_id: company.id,
          environment: 2,
          doc_type: d.docType,
          branch: d.branch,
          point_of_sale: d.pointOfSale,
          number: String(++serial).padStart(10, '0'),
          workflow_id: `books-property-${randomUUID()}`,
          status: d.status,
          request_hash: 'x',
          issued_at: instant(d.month, d.edge),
          tax_lines: sql.json(
            d.lines.map((l) => ({
              rateCode: l.rateCode,
              base: money(BigInt(l.base)),
              tax: money(BigInt(l.tax)),
            })) as never,
          ),
        }));
        if (rows.length) await sql`insert into documents ${sql(rows)}`;
        const book = (await books.book(company.id, 'sales', '2026-11', '2'))!;

        // The expectation, in cents: authorized, in the month, credit notes (04, 06) negative.
        const counted = docs.filter((d) => d.status === 'authorized' && d.month === 0);
        const sign = (t: string) => (t === '04' || t === '06' ? -1n : 1n);
        const byRate = new Map<string, { base: bigint; tax: bigint }>();
        const byRow = new Map<string, { base: bigint; tax: bigint; n: number }>();
        for (const d of counted)
          for (const l of d.lines) {
            const r = byRate.get(l.rateCode) ?? { base: 0n, tax: 0n };
            r.base += sign(d.docType) * BigInt(l.base);
            r.tax += sign(d.docType) * BigInt(l.tax);
            byRate.set(l.rateCode, r);
            const key = `${d.docType}|${d.branch}|${d.pointOfSale}|${l.rateCode}`;
            const w = byRow.get(key) ?? { base: 0n, tax: 0n, n: 0 };
            w.base += sign(d.docType) * BigInt(l.base);
            w.tax += sign(d.docType) * BigInt(l.tax);
            w.n++;
            byRow.set(key, w);
          }
        assert.equal(book.totals.documents, counted.length);
        const totalBase = [...byRate.values()].reduce((a, r) => a + r.base, 0n);
        const totalTax = [...byRate.values()].reduce((a, r) => a + r.tax, 0n);
        assert.equal(cents(book.totals.base), totalBase);
        assert.equal(cents(book.totals.tax), totalTax);
        assert.deepEqual(
          book.totals.byRate.map((r) => [r.rateCode, cents(r.base), cents(r.tax)]),
          [...byRate.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, r]) => [k, r.base, r.tax]),
        );
        assert.deepEqual(
          new Map(
            book.rows.map((r) => [
              `${r.docType}|${r.group.branch}|${r.group.pointOfSale}|${r.rateCode}`,
              { base: cents(r.base), tax: cents(r.tax), n: r.documents },
            ]),
          ),
          byRow,
        );
        // What was left out is counted: annulled and not yet authorized documents of the month.
        const left = docs.filter((d) => d.month === 0 && d.status !== 'authorized');
        const excluded = Object.values(book.excluded).reduce((a, n) => a + n, 0);
        assert.equal(excluded, left.length);
        assert.equal(book.excluded.annulled ?? 0, left.filter((d) => d.status === 'annulled').length);
        // The CSV says the same, line for line.
        const csv = books.csv(book).trimEnd().split('\r\n');
        assert.equal(csv.length, book.rows.length + 1);
      }),
      { numRuns: 500 },
    );
    assert.equal(runs, 500);
    await sql`delete from documents where company_id = ${company.id}`;
  });
});
