import { taxLinesOf } from '../domain/books/tax-lines.js';
import { buildQrUrl, validateDocument, writeCanonicalRfe } from '../domain/dgi-document/index.js';
import { assembleSignedRfe, digestCanonicalRfe, signatureForDigest } from '../domain/signing/sign-rfe.js';
import type { SigningKeyCache } from '../domain/signing/signing-key-cache.js';
import {
  loadDocumentRequest,
  saveSignedDocument,
  savePreparedDocument,
  type PreparedDocument,
} from '../platform/storage/document-store.js';
import { findOpenContingency, loadContingencySettings } from '../platform/storage/contingency-store.js';
import { requestInContingency } from '../domain/contingency/contingency-emission.js';
import type { Sql } from '../platform/storage/database.js';
import { checkAgainstDgiSchema } from '../platform/xsd-check/xmllint-schema-check.js';
import { contingencyReasonFailure, schemaFailure, validationFailure, withTypedFailures } from './failures.js';
import { DocumentStoreError } from '../common/fepa-error.js';

export interface DocumentActivityDeps {
  sql: Sql;
  signingKeys: SigningKeyCache;
  /** HMAC key of the QR's JWT (the DGI's QR security code). */
  qrKey: string;
  /** Set: every signed document is checked against the DGI schema before it goes anywhere. */
  dgiSchemaDir?: string | undefined;
}

export interface PreparedSummary {
  cufe: string;
  digestValue: string;
  total: string;
  /** `iEntCAFE` 3 and the receiver has an e-mail: its CAFE is e-mailed once authorized. */
  cafeByEmail: boolean;
  /** Issued in this contingency (iTpEmis 02/04): transmitted when the contingency ends. */
  contingencyId?: string;
}

/** Whether the request asks for the CAFE by e-mail (iEntCAFE 3) to a receiver that has an address. */
function asksCafeByEmail(request: unknown): boolean {
  const gDGen = (request as { gDGen?: { iEntCAFE?: unknown; gDatRec?: { dCorElectRec?: unknown } } }).gDGen;
  const emails = [gDGen?.gDatRec?.dCorElectRec ?? []].flat().filter((e) => typeof e === 'string' && e);
  return String(gDGen?.iEntCAFE) === '3' && emails.length > 0;
}

/**
 * Activities of the document workflow. They take ids and return small summaries: documents, keys and
 * passwords stay in PostgreSQL and in this process, never in workflow history.
 */
export function createDocumentActivities(deps: DocumentActivityDeps) {
  return {
    /** Validates the stored request and writes its canonical XML, digest and CUFE (once: retries reuse them). */
    async prepareDocument(input: { documentId: string }): Promise<PreparedSummary> {
      const loaded = await loadDocumentRequest(deps.sql, input.documentId);
      const { prepared } = loaded;
      let { request } = loaded;
      const cafeByEmail = asksCafeByEmail(request);
      const summary = (p: PreparedDocument & { contingencyId?: string | undefined }): PreparedSummary => ({
        cufe: p.cufe,
        digestValue: p.digestValue,
        total: p.total,
        cafeByEmail,
        ...(p.contingencyId ? { contingencyId: p.contingencyId } : {}),
      });
      if (prepared) return summary({ ...prepared, contingencyId: loaded.contingencyId });
      // While the company is in contingency, the document is issued in it (iTpEmis 02/04).
      const contingency = await findOpenContingency(deps.sql, loaded.companyId, loaded.environment);
      if (contingency) {
        const { modality } = await loadContingencySettings(deps.sql, loaded.companyId);
        const issued = requestInContingency(
          request,
          {
            since: new Date(contingency.since),
            reason: contingency.reason,
            explanation: contingency.explanation,
            modality,
          },
          new Date(),
        );
        if (!issued.ok) throw contingencyReasonFailure(issued.waitsForPerson);
        request = issued.request;
      }
      // The convention it was accepted with (rounding.ts): the same amounts the API checked.
      const result = validateDocument(request, { lineDecimals: loaded.lineDecimals });
      if (!result.ok) throw validationFailure(result.issues);
      const unsignedXml = writeCanonicalRfe(result.document);
      const saved = await savePreparedDocument(
        deps.sql,
        input.documentId,
        {
          cufe: result.document.dId,
          digestValue: digestCanonicalRfe(unsignedXml),
          unsignedXml,
          total: result.document.gTot.dVTot ?? '0.00',
        },
        contingency ? { request, contingencyId: contingency.id } : undefined,
        { issuedAt: result.document.gDGen.dFechaEm, taxLines: taxLinesOf(result.document) },
      );
      return summary(saved);
    },

    /** Signs with the company's active certificate (fetched here by company id) and appends the QR. */
    async signDocument(input: {
      documentId: string;
      companyId: string;
    }): Promise<{ certificateFingerprint: string; signedBytes: number }> {
      return withTypedFailures(async () => {
        const key = await deps.signingKeys.keyFor(input.companyId);
        const { request, prepared } = await loadDocumentRequest(deps.sql, input.documentId);
        if (!prepared) throw DocumentStoreError.notPrepared(input.documentId);
        const iAmb = (request as { gDGen?: { iAmb?: unknown } }).gDGen?.iAmb;
        const qrUrl = buildQrUrl({
          cufe: prepared.cufe,
          iAmb: String(iAmb),
          digestValue: prepared.digestValue,
          key: deps.qrKey,
        });
        const signedXml = assembleSignedRfe(
          prepared.unsignedXml,
          signatureForDigest(prepared.digestValue, key),
          qrUrl,
        );
        if (deps.dgiSchemaDir) {
          const check = await checkAgainstDgiSchema(signedXml, deps.dgiSchemaDir);
          if (!check.ok) throw schemaFailure(check.errors);
        }
        await saveSignedDocument(deps.sql, input.documentId, {
          signedXml,
          qrUrl,
          certificateId: key.certificateId,
        });
        return {
          certificateFingerprint: key.facts.fingerprintSha256,
          signedBytes: Buffer.byteLength(signedXml),
        };
      });
    },
  };
}

export type DocumentActivities = ReturnType<typeof createDocumentActivities>;
