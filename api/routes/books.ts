import { z } from 'zod';
import type { BooksService, BookKind } from '../../app/services/books-service.js';
import { PERIOD_PATTERN } from '../../domain/dgi-document/panama-time.js';
import { companyNotFound } from '../problem.js';
import { defineRoute, type AnyRoute } from '../route-definition.js';

const BookQuery = z.strictObject({
  period: z.string().regex(PERIOD_PATTERN).describe('The month, YYYY-MM (Panama time, by dFechaEm)'),
  environment: z.enum(['1', '2']).default('1').describe('1 production, 2 test'),
  format: z.enum(['json', 'csv']).optional().describe('csv: one line per row (also with Accept: text/csv)'),
});

const BookSchema = z
  .looseObject({
    period: z.string(),
    rows: z.array(
      z.looseObject({ docType: z.string(), rate: z.string(), base: z.string(), tax: z.string() }),
    ),
    totals: z.looseObject({ documents: z.number(), base: z.string(), tax: z.string() }),
    excluded: z.record(z.string(), z.number()),
  })
  .meta({ id: 'ItbmsBook' });

const DESCRIPTIONS: Record<BookKind, { summary: string; description: string }> = {
  sales: {
    summary: 'The ITBMS sales book of a month (JSON or CSV)',
    description:
      "The company's authorized documents issued in the month, by document type, branch and point of sale, and ITBMS rate: base and tax. Credit notes subtract, debit notes add; annulled documents and those not authorized yet are left out and counted in `excluded` (a contingency document counts once authorized). Amounts are exact, to the cent.",
  },
  purchases: {
    summary: 'The ITBMS purchase book of a month (JSON or CSV)',
    description:
      'The received documents issued in the month that the DGI confirmed (`accepted`), by supplier, document type and ITBMS rate. Others (invalid, annulled, not confirmed yet) are counted in `excluded`.',
  },
};

/** The accountant's books: ITBMS by rate for a month, sales and purchases (docs/books.md). */
export function bookRoutes(deps: { books: BooksService }): AnyRoute[] {
  return (['sales', 'purchases'] as const).map((kind) =>
    defineRoute({
      method: 'get',
      path: `/v1/companies/:companyId/books/${kind}`,
      access: 'integrator',
      tag: 'Books',
      ...DESCRIPTIONS[kind],
      query: BookQuery,
      responses: {
        200: { description: 'The book', schema: BookSchema },
      },
      async handle({ req, res, params, query }) {
        const companyId = params.companyId!;
        const view = await deps.books.book(companyId, kind, query.period, query.environment);
        if (!view) throw companyNotFound(companyId);
        const csv =
          query.format === 'csv' || (!query.format && req.accepts(['json', 'text/csv']) === 'text/csv');
        if (!csv) return void res.json(view);
        res
          .type('text/csv; charset=utf-8')
          .setHeader('content-disposition', `attachment; filename="${kind}-${query.period}.csv"`)
          .send(deps.books.csv(view));
      },
    }),
  );
}
