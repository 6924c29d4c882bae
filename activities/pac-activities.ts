import { getClient, log } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { PacOutcome } from '../common/pac-outcome.js';
import type { DocumentRef, PacAdapter } from '../pac/pac-adapter.js';
import { pacResult, type PacResult } from '../pac/pac-result.js';
import { PacConfigurationError } from '../common/fepa-error.js';
import { OutboundRefused } from '../platform/outbound/outbound-guard.js';
import type { PacRegistry } from '../pac/pac-registry.js';
import { verifySignedRfe } from '../domain/signing/verify-rfe.js';
import { pacAnswered, unansweredReason } from '../pac/pac-answered.js';
import { shouldOpenContingency } from '../domain/contingency/contingency-settings.js';
import { findCompany, type Company } from '../platform/storage/company-store.js';
import { computeCufe } from '../domain/dgi-document/index.js';
import {
  findOpenContingency,
  loadContingencySettings,
  recordReachability,
} from '../platform/storage/contingency-store.js';
import type { Sql } from '../platform/storage/database.js';
import type { PacCallMetrics } from '../platform/metrics/pac-call-metrics.js';
import { pacAccountSettings, recordFolioReading } from '../platform/storage/pac-account-store.js';
import { folioLowEvent } from '../common/folio-alert.js';
import { TASK_QUEUES } from '../common/task-queues.js';
import { receiverRucProblem } from './receiver-ruc-check.js';
import {
  loadSubmissionMaterial,
  recordPacExchange,
  savePacFacts,
  type SubmissionMaterial,
} from '../platform/storage/document-store.js';

export interface PacActivityDeps {
  sql: Sql;
  pacs: PacRegistry;
  /** The workflows' task queue (alerts started from an activity run there). */
  documentsTaskQueue?: string;
  /** Counts each PAC call (latency, failures) for the worker's metrics endpoint. */
  metrics?: PacCallMetrics;
}

/**
 * The contingency copy fepa signed although the company's PAC signs (iTpEmis 02/04 with fepa's signed
 * XML before the PAC authorized anything): the PAC must transmit it and keep its CUFE.
 */
function signedCopyOf(
  adapter: PacAdapter,
  m: SubmissionMaterial,
): { cufe: string; signedXml: string } | undefined {
  if (adapter.capabilities.signs !== 'pac' || !m.signedXml || !m.cufe) return undefined;
  if (m.emissionType !== '02' && m.emissionType !== '04') return undefined;
  return m.signedByFepa ? { cufe: m.cufe, signedXml: m.signedXml } : undefined;
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

/**
 * A number no document uses, with a CUFE of its own (PACs that find documents by CUFE need one): what a
 * probe asks about. The answer is "not found", or any answer at all: the PAC is there.
 */
const probeRef = (company: Company, environment: '1' | '2'): DocumentRef => {
  const key = {
    environment,
    emitterRuc: company.ruc,
    branch: '0000',
    pointOfSale: '000',
    number: '0000000000',
    docType: '01',
    emissionType: '01',
  };
  const cufe = computeCufe({
    iDoc: key.docType,
    dTipoRuc: company.rucType,
    dRuc: company.ruc,
    dDV: company.dv,
    dSucEm: key.branch,
    issueDate: '20250101',
    dNroDF: key.number,
    dPtoFacDF: key.pointOfSale,
    iTpEmis: key.emissionType,
    iAmb: environment,
    dSeg: '000000000',
  });
  return { key, cufe };
};

const withAdvice = (o: PacOutcome, advice: PacOutcome['contingencyAdvised']): PacOutcome =>
  advice ? { ...o, contingencyAdvised: advice } : o;

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
  /**
   * Counts the call for the company's PAC reachability; when the PAC has not answered for long enough and
   * the company opens contingencies by itself, says so with the evidence (the workflow opens it).
   */
  async function reachability(
    material: { companyId: string; environment: '1' | '2' },
    result: PacResult,
  ): Promise<PacOutcome['contingencyAdvised']> {
    const { companyId, environment } = material;
    if (pacAnswered(result)) {
      await recordReachability(deps.sql, companyId, environment, { answered: true });
      return undefined;
    }
    const reach = await recordReachability(deps.sql, companyId, environment, {
      answered: false,
      failure: unansweredReason(result),
    });
    const decision = shouldOpenContingency(
      await loadContingencySettings(deps.sql, companyId),
      reach,
      new Date(),
    );
    if (!decision.open || (await findOpenContingency(deps.sql, companyId, environment))) return undefined;
    const copy = await deps.pacs.contingencyCopy(companyId);
    if (!copy.possible) {
      // No valid copy for the customer: documents stay queued (with their pending-authorization copy).
      log.warn('no contingency opened: its documents could not be valid', { companyId, reason: copy.reason });
      return undefined;
    }
    return { since: decision.evidence.failingSince, evidence: decision.evidence };
  }

  /** Stores what the PAC said; a PAC that signs returns the XML, which must verify before it is kept. */
  async function keep(
    documentId: string,
    operation: string,
    pac: { adapter: PacAdapter; name: string },
    result: PacResult,
    /** The contingency copy fepa signed for a PAC that signs: its CUFE is the one the PAC must keep. */
    copyOf?: { cufe: string },
  ): Promise<PacResult> {
    const { adapter } = pac;
    // A call fepa did not make (refused before sending) is not a PAC call.
    if (!result.notSent)
      deps.metrics?.observe({
        pac: pac.name,
        operation,
        status: result.status,
        elapsedMs: result.raw.elapsedMs,
        answered: pacAnswered(result),
      });
    let signedXml: string | undefined;
    const mismatched = copyOf !== undefined && result.cufe !== undefined && result.cufe !== copyOf.cufe;
    if (mismatched)
      // The customer holds fepa's contingency copy: a PAC that issues another CUFE leaves it invalid.
      result = {
        ...result,
        status: 'error-needs-support',
        pacMessage: `${pac.name} gave CUFE ${result.cufe}, but the customer's contingency copy carries ${copyOf.cufe}: the document is not what the customer holds; ask ${pac.name} before anything else (${result.pacMessage ?? result.status})`,
      };
    else if (result.signedXml && adapter.capabilities.signs === 'pac') {
      const verified = verifySignedRfe(result.signedXml);
      if (verified.ok) signedXml = result.signedXml;
      else
        result = {
          ...result,
          status: 'error-needs-support',
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
      // The row keeps the CUFE its signed XML carries; the PAC's other one stays in the exchange and message.
      cufe: mismatched ? undefined : result.cufe,
      protocol: result.protocol,
      authorizedAt: result.authorizedAt,
      pacCode: result.pacCode,
      pac: pac.name,
      signedXml,
    });
    return result;
  }

  /** HKA refused a document for lack of folios: the same alert as a low reading (log, company status). */
  async function noteNoFolios(companyId: string): Promise<void> {
    const reading = await recordFolioReading(deps.sql, {
      companyId,
      available: 0,
      cycleAvailable: 0,
      figures: {},
      belowThreshold: true,
      reason: 'no-folios',
    });
    log.warn('the PAC refused a document: the account has no folios left; buy a new cycle', { companyId });
    const { folioAlertThreshold } = await pacAccountSettings(deps.sql, companyId);
    const event = folioLowEvent(companyId, reading, folioAlertThreshold, 'no-folios');
    try {
      await getClient().workflow.start('webhookDeliveryWorkflow', {
        taskQueue: deps.documentsTaskQueue ?? TASK_QUEUES.documents,
        workflowId: `webhook:${event.eventId}`,
        args: [{ companyId, event }],
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError))
        log.warn('the folios.low webhook could not be started', { companyId, error: String(err) });
    }
  }

  /**
   * A call fepa would not make: the company's PAC address is not allowed (any more) or resolves inside the
   * network, or its credentials are missing. Nothing was sent; the document waits for support with the code.
   */
  async function refusedCall(documentId: string, operation: string, err: unknown): Promise<PacOutcome> {
    if (!(err instanceof PacConfigurationError || err instanceof OutboundRefused)) throw err;
    log.warn('PAC call refused before sending', {
      documentId,
      operation,
      code: err.code,
      reason: err.message,
    });
    const result = pacResult('error-needs-support', {
      notSent: true,
      pacCode: err.code,
      pacMessage: err.message,
      raw: { request: { method: '-', url: '-' }, error: `${err.code}: ${err.message}`, elapsedMs: 0 },
    });
    await recordPacExchange(deps.sql, documentId, {
      operation,
      status: result.status,
      pacCode: result.pacCode,
      pacMessage: result.pacMessage,
      dgiIssues: [],
      raw: result.raw,
    });
    return summary(result);
  }

  /** The document and its company's PAC, read once per call. */
  async function open(documentId: string) {
    const material = await loadSubmissionMaterial(deps.sql, documentId);
    const { adapter, settings } = await deps.pacs.resolve(material.companyId);
    return { material, adapter, pac: { adapter, name: settings.pac } };
  }

  async function submit(documentId: string): Promise<PacOutcome> {
    const { material, adapter, pac } = await open(documentId);
    const { dId: _cufe, ...document } = material.request as { dId?: unknown };
    const refused = await receiverRucProblem(deps.sql, material.companyId, adapter, material.request);
    if (refused) return summary(await keep(documentId, 'submit', pac, refused));
    const copy = signedCopyOf(adapter, material);
    const result = await adapter.submit({
      ref: refOf(material),
      idempotencyKey: documentId,
      ...(adapter.capabilities.signs === 'fepa' ? { signedXml: material.signedXml ?? '' } : { document }),
      ...(copy ? { signedXml: copy.signedXml, signedCopy: true } : {}),
    });
    if (adapter.account?.alertOf(result) === 'no-folios') await noteNoFolios(material.companyId);
    return withAdvice(
      summary(await keep(documentId, 'submit', pac, result, copy)),
      await reachability(material, result),
    );
  }

  async function query(documentId: string): Promise<PacOutcome> {
    const { material, adapter, pac } = await open(documentId);
    const result = await adapter.queryStatus(refOf(material));
    return withAdvice(
      summary(await keep(documentId, 'query', pac, result, signedCopyOf(adapter, material))),
      await reachability(material, result),
    );
  }

  return {
    /**
     * Whether fepa must sign for this company's PAC (false: the PAC signs, and fepa's signing step is
     * skipped). A document issued in contingency is signed by fepa where the PAC takes a signed copy: the
     * customer needs a valid document now (contingency-copy.ts).
     */
    async pacSignatureMode(input: {
      companyId: string;
      inContingency?: boolean;
    }): Promise<{ fepaSigns: boolean; autoSubmit: boolean }> {
      const { capabilities, autoSubmit } = await deps.pacs.capabilities(input.companyId);
      const copy = input.inContingency && capabilities.signs === 'pac' && capabilities.signedCopy;
      return { fepaSigns: capabilities.signs === 'fepa' || Boolean(copy), autoSubmit };
    },

    async submitToPac(input: { documentId: string }): Promise<PacOutcome> {
      return submit(input.documentId).catch((err: unknown) => refusedCall(input.documentId, 'submit', err));
    },

    async queryPacStatus(input: { documentId: string }): Promise<PacOutcome> {
      return query(input.documentId).catch((err: unknown) => refusedCall(input.documentId, 'query', err));
    },

    /**
     * Asks the company's PAC about a number no document uses (a harmless status query, after authenticating
     * where the PAC has tokens): whether it answers at all. Counts for the company's reachability.
     */
    async probePac(input: {
      companyId: string;
      environment: '1' | '2';
    }): Promise<{ answered: boolean; detail: string }> {
      let adapter: PacAdapter;
      try {
        ({ adapter } = await deps.pacs.resolve(input.companyId));
      } catch (err) {
        if (!(err instanceof PacConfigurationError)) throw err;
        return { answered: false, detail: `${err.code}: ${err.message}` };
      }
      const company = await findCompany(deps.sql, input.companyId);
      if (!company) throw new Error(`company ${input.companyId} not found`);
      // Only what the PAC (or the network to it) says counts: a mistake of fepa's own fails the activity.
      const result = await adapter
        .authenticate()
        .then(
          () => adapter.queryStatus(probeRef(company, input.environment)),
          (err: Error) => ({ authFailed: err.message }),
        )
        .catch((err: unknown) => {
          if (err instanceof OutboundRefused) return { authFailed: `${err.code}: ${err.message}` };
          throw err;
        });
      if ('authFailed' in result) {
        await recordReachability(deps.sql, input.companyId, input.environment, {
          answered: false,
          failure: result.authFailed.slice(0, 300),
        });
        return { answered: false, detail: result.authFailed.slice(0, 300) };
      }
      const answered = pacAnswered(result);
      await recordReachability(
        deps.sql,
        input.companyId,
        input.environment,
        answered ? { answered } : { answered, failure: unansweredReason(result) },
      );
      return { answered, detail: answered ? `answered ${result.status}` : unansweredReason(result) };
    },

    async annulAtPac(input: { documentId: string; reason: string }): Promise<PacOutcome> {
      try {
        const { material, adapter, pac } = await open(input.documentId);
        return summary(
          await keep(input.documentId, 'annul', pac, await adapter.annul(refOf(material), input.reason)),
        );
      } catch (err) {
        return refusedCall(input.documentId, 'annul', err);
      }
    },
  };
}

export type PacActivities = ReturnType<typeof createPacActivities>;
