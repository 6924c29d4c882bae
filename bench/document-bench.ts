import { validateDocument, writeCanonicalRfe } from '../domain/dgi-document/index.js';
import { invoiceWithItems, ITEM_COUNTS } from './document-fixtures.js';
import { measureRate, type Rate } from './measure.js';

/** Documents built per second: validation, totals, CUFE and the XML (no signing). */
export function benchDocumentBuild(): Record<string, Rate & { xmlBytes: number }> {
  const results: Record<string, Rate & { xmlBytes: number }> = {};
  for (const items of ITEM_COUNTS) {
    const input = invoiceWithItems(items);
    let xmlBytes = 0;
    const rate = measureRate(() => {
      const result = validateDocument(input);
      if (!result.ok) throw new Error(JSON.stringify(result.issues.slice(0, 3)));
      xmlBytes = writeCanonicalRfe(result.document).length;
    });
    results[`${items} items`] = { ...rate, xmlBytes };
  }
  return results;
}
