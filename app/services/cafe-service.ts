import { CafeError, cafeModel, provisionalCafeModel } from '../../domain/cafe/cafe-model.js';
import { formatOfSignedXml, renderCafe, type CafeFormat } from '../../domain/cafe/render-cafe.js';
import { findCafeSource } from '../../platform/storage/document-queries.js';
import { markHandedOver } from '../../platform/storage/contingency-store.js';
import type { Sql } from '../../platform/storage/database.js';

export type CafeOutcome =
  | { outcome: 'not-found' }
  | { outcome: 'not-signed' }
  | { outcome: 'unreadable'; reason: string }
  | { outcome: 'ok'; pdf: Buffer; fileName: string; format: CafeFormat; provisional: boolean };

/** Prints a stored document's CAFE: from its signed XML, its authorization and its PAC's legend. */
export class CafeService {
  constructor(private readonly deps: { sql: Sql; pacLegends: Partial<Record<string, string>> }) {}

  /**
   * `provisional`: a document nobody could sign yet gets its pending-authorization copy (no CUFE, no QR)
   * instead of `not-signed`; a signed one gets its CAFE as always.
   */
  async cafe(
    companyId: string,
    documentId: string,
    format?: CafeFormat,
    options: { provisional?: boolean } = {},
  ): Promise<CafeOutcome> {
    const source = await findCafeSource(this.deps.sql, companyId, documentId);
    if (!source) return { outcome: 'not-found' };
    const xml = source.signedXml ?? (options.provisional ? source.unsignedXml : null);
    if (!xml) return { outcome: 'not-signed' };
    const provisional = !source.signedXml;
    // Marked before it is printed: from now on the document is never re-issued (contingency point 3). A
    // provisional copy carries no CUFE, so a re-issue does not contradict it.
    if (!provisional) await markHandedOver(this.deps.sql, documentId);
    const chosen = format ?? formatOfSignedXml(xml);
    try {
      const facts = {
        protocol: source.protocol ?? undefined,
        authorizedAt: source.authorizedAt ?? undefined,
        pacLegend: source.pac ? this.deps.pacLegends[source.pac] : undefined,
      };
      const model = provisional ? provisionalCafeModel(xml, facts) : cafeModel(xml, facts);
      const name = `${source.branch}-${source.pointOfSale}-${source.number}.pdf`;
      return {
        outcome: 'ok',
        pdf: await renderCafe(model, chosen),
        fileName: provisional ? `COPIA-PROVISIONAL-${name}` : `CAFE-${name}`,
        format: chosen,
        provisional,
      };
    } catch (err) {
      if (err instanceof CafeError) return { outcome: 'unreadable', reason: err.message };
      throw err;
    }
  }
}
