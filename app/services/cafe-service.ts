import { CafeError, cafeModel } from '../../domain/cafe/cafe-model.js';
import { formatOfSignedXml, renderCafe, type CafeFormat } from '../../domain/cafe/render-cafe.js';
import { findCafeSource } from '../../platform/storage/document-queries.js';
import { markHandedOver } from '../../platform/storage/contingency-store.js';
import type { Sql } from '../../platform/storage/database.js';

export type CafeOutcome =
  | { outcome: 'not-found' }
  | { outcome: 'not-signed' }
  | { outcome: 'unreadable'; reason: string }
  | { outcome: 'ok'; pdf: Buffer; fileName: string; format: CafeFormat };

/** Prints a stored document's CAFE: from its signed XML, its authorization and its PAC's legend. */
export class CafeService {
  constructor(private readonly deps: { sql: Sql; pacLegends: Partial<Record<string, string>> }) {}

  async cafe(companyId: string, documentId: string, format?: CafeFormat): Promise<CafeOutcome> {
    const source = await findCafeSource(this.deps.sql, companyId, documentId);
    if (!source) return { outcome: 'not-found' };
    if (!source.signedXml) return { outcome: 'not-signed' };
    // Marked before it is printed: from now on the document is never re-issued (contingency point 3).
    await markHandedOver(this.deps.sql, documentId);
    const chosen = format ?? formatOfSignedXml(source.signedXml);
    try {
      const model = cafeModel(source.signedXml, {
        protocol: source.protocol ?? undefined,
        authorizedAt: source.authorizedAt ?? undefined,
        pacLegend: source.pac ? this.deps.pacLegends[source.pac] : undefined,
      });
      return {
        outcome: 'ok',
        pdf: await renderCafe(model, chosen),
        fileName: `CAFE-${source.branch}-${source.pointOfSale}-${source.number}.pdf`,
        format: chosen,
      };
    } catch (err) {
      if (err instanceof CafeError) return { outcome: 'unreadable', reason: err.message };
      throw err;
    }
  }
}
