import { z } from 'zod';
import type { ArchiveService } from '../../app/services/archive-service.js';
import { PERIOD_PATTERN } from '../../domain/dgi-document/panama-time.js';
import { companyNotFound } from '../problem.js';
import { defineRoute, type AnyRoute } from '../route-definition.js';

const ArchiveQuery = z.strictObject({
  period: z.string().regex(PERIOD_PATTERN).describe('The month, YYYY-MM (Panama time, by dFechaEm)'),
  environment: z.enum(['1', '2']).default('1').describe('1 production, 2 test'),
});

/** The auditor's archive of a month, streamed as a ZIP (docs/books.md). */
export function archiveRoutes(deps: {
  archives: ArchiveService;
  log: { error(o: object, msg: string): void };
}): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/companies/:companyId/archive',
      access: 'integrator',
      tag: 'Books',
      summary: "A month's archive for an auditor (ZIP)",
      description:
        "Every issued document of the month the DGI knows (authorized or annulled) with its signed XML, CAFE and the PAC's authorization answer; every received document the DGI confirmed with its XML and the confirmation; `index.csv` and `manifest.json` with each file's SHA-256. Streamed as it is written; `fepa archive verify <zip>` re-checks it offline.",
      query: ArchiveQuery,
      responses: { 200: { description: 'The archive', contentType: 'application/zip' } },
      async handle({ res, params, query }) {
        const companyId = params.companyId!;
        if (!(await deps.archives.exists(companyId))) throw companyNotFound(companyId);
        res
          .status(200)
          .type('application/zip')
          .setHeader(
            'content-disposition',
            `attachment; filename="fepa-archive-${query.period}-env${query.environment}.zip"`,
          );
        const write = (chunk: Buffer) =>
          new Promise<void>((resolve, reject) => {
            if (res.destroyed) return reject(new Error('the client went away'));
            if (res.write(chunk)) resolve();
            else res.once('drain', resolve);
          });
        try {
          await deps.archives.export(companyId, query.period, query.environment, write);
          res.end();
        } catch (err) {
          // Headers are gone: the only honest answer left is a broken download, and the log says why.
          deps.log.error({ companyId, period: query.period, err }, 'the archive stopped while being written');
          res.destroy(err as Error);
        }
      },
    }),
  ];
}
