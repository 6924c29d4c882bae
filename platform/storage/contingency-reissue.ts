import type { Sql } from './database.js';

/**
 * Clears the built and signed XML of a document queued offline as 01, so its next build issues it in
 * contingency under the same number (a new CUFE). Only while it is still queued offline (nothing reached
 * the PAC), never handed over (no CAFE or XML left fepa), and not already a contingency document.
 */
export async function reissueInContingency(
  sql: Sql,
  documentId: string,
): Promise<{ reissued: boolean; previousCufe?: string }> {
  return sql.begin(async (tx) => {
    const [row] = await tx<Array<{ cufe: string | null }>>`
      select cufe from documents where id = ${documentId} and status = 'queued_offline'
        and handed_over_at is null and contingency_id is null
        and coalesce(request #>> '{gDGen,iTpEmis}', '01') = '01'
      for update`;
    if (!row) return { reissued: false };
    await tx`update documents set cufe = null, digest_value = null, unsigned_xml = null, signed_xml = null,
      qr_url = null, total = null, updated_at = now() where id = ${documentId}`;
    return { reissued: true, ...(row.cufe ? { previousCufe: row.cufe } : {}) };
  });
}
