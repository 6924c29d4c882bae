import type { PacOutcome } from '../common/pac-outcome.js';
import type { DocumentRef, PacAdapter } from '../pac/pac-adapter.js';
import type { PacResult } from '../pac/pac-result.js';
import type { PacRegistry } from '../pac/pac-registry.js';
import { verifySignedRfe } from '../signing/verify-rfe.js';
import type { Sql } from '../storage/database.js';
import {
  loadSubmissionMaterial,
  recordPacExchange,
  savePacFacts,
  type SubmissionMaterial,
} from '../storage/document-store.js';

export interface PacActivityDeps {
  sql: Sql;
  pacs: PacRegistry;
}

const refOf = (m: SubmissionMaterial): DocumentRef => ({
  key: {
    environment: m.environment,
    emitterRuc: m.ruc,
    branch: m.branch,
    pointOfSale: m.pointOfSale,
    number: m.number,
    docType: m.docType,
    emissionType: m.emissionType,
  },
  ...(m.cufe ? { cufe: m.cufe } : {}),
});

const summary = (r: PacResult): PacOutcome => ({
  status: r.status,
  dgiIssues: r.dgiIssues.slice(0, 20),
  ...(r.needsConfirmation ? { needsConfirmation: true } : {}),
  ...(r.notSent ? { notSent: true } : {}),
  ...(r.cufe ? { cufe: r.cufe } : {}),
  ...(r.protocol ? { protocol: r.protocol } : {}),
  ...(r.authorizedAt ? { authorizedAt: r.authorizedAt } : {}),
  ...(r.pacCode ? { pacCode: r.pacCode } : {}),
  ...(r.pacMessage ? { pacMessage: r.pacMessage.slice(0, 500) } : {}),
});

/**
 * Calls to PACs. Each returns the unified outcome (even for timeouts and 5xx: deciding what happens next
 * is the workflow's job) and records the raw exchange; credentials are opened here, by company id.
 */
export function createPacActivities(deps: PacActivityDeps) {
  /** Stores what the PAC said; a PAC that signs returns the XML, which must verify before it is kept. */
  async function keep(
    documentId: string,
    operation: string,
    pac: { adapter: PacAdapter; name: string },
    result: PacResult,
  ): Promise<PacResult> {
    const { adapter } = pac;
    let signedXml: string | undefined;
    if (result.signedXml && adapter.capabilities.signs === 'pac') {
      const verified = verifySignedRfe(result.signedXml);
      if (verified.ok) signedXml = result.signedXml;
      else
        result = {
          ...result,
          status: 'error-needs-support',
          terminal: true,
          needsHuman: true,
          pacMessage: `the PAC's signed XML does not verify: ${verified.reason}`,
        };
    }
    await recordPacExchange(deps.sql, documentId, {
      operation,
      status: result.status,
      pacCode: result.pacCode,
      pacMessage: result.pacMessage,
      dgiIssues: result.dgiIssues,
      raw: result.raw,
    });
    await savePacFacts(deps.sql, documentId, {
      cufe: result.cufe,
      protocol: result.protocol,
      authorizedAt: result.authorizedAt,
      pacCode: result.pacCode,
      pac: pac.name,
      signedXml,
    });
    return result;
  }

  /** The document and its company's PAC, read once per call. */
  async function open(documentId: string) {
    const material = await loadSubmissionMaterial(deps.sql, documentId);
    const { adapter, settings } = await deps.pacs.resolve(material.companyId);
    return { material, adapter, pac: { adapter, name: settings.pac } };
  }

  return {
    /** Whether fepa must sign for this company's PAC (false: the PAC signs, and fepa's signing step is skipped). */
    async pacSignatureMode(input: {
      companyId: string;
    }): Promise<{ fepaSigns: boolean; autoSubmit: boolean }> {
      const { capabilities, autoSubmit } = await deps.pacs.capabilities(input.companyId);
      return { fepaSigns: capabilities.signs === 'fepa', autoSubmit };
    },

    async submitToPac(input: { documentId: string }): Promise<PacOutcome> {
      const { material, adapter, pac } = await open(input.documentId);
      const { dId: _cufe, ...document } = material.request as { dId?: unknown };
      const result = await adapter.submit({
        ref: refOf(material),
        idempotencyKey: input.documentId,
        ...(adapter.capabilities.signs === 'fepa' ? { signedXml: material.signedXml ?? '' } : { document }),
      });
      return summary(await keep(input.documentId, 'submit', pac, result));
    },

    async queryPacStatus(input: { documentId: string }): Promise<PacOutcome> {
      const { material, adapter, pac } = await open(input.documentId);
      return summary(await keep(input.documentId, 'query', pac, await adapter.queryStatus(refOf(material))));
    },

    async annulAtPac(input: { documentId: string; reason: string }): Promise<PacOutcome> {
      const { material, adapter, pac } = await open(input.documentId);
      return summary(
        await keep(input.documentId, 'annul', pac, await adapter.annul(refOf(material), input.reason)),
      );
    },
  };
}

export type PacActivities = ReturnType<typeof createPacActivities>;
