import { getClient, log } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { DgiConfirmation, ManifestationState, ReceivedStatus } from '../common/received-document.js';
import { receivedLinks } from '../common/received-document.js';
import type { ReceivedWebhookEvent } from '../common/webhook-event.js';
import { TASK_QUEUES } from '../common/task-queues.js';
import type { PacStatus } from '../common/pac-outcome.js';
import { PacConfigurationError } from '../common/fepa-error.js';
import {
  isManifestationCode,
  ManifestationError,
  signManifestation,
} from '../domain/receiving/manifestation.js';
import { verifyReceived, type Finding } from '../domain/receiving/verify-received.js';
import type { SigningKeyCache } from '../domain/signing/signing-key-cache.js';
import type { PacRegistry } from '../pac/pac-registry.js';
import { OutboundRefused } from '../platform/outbound/outbound-guard.js';
import type { Sql } from '../platform/storage/database.js';
import {
  findReceived,
  loadReceivedWork,
  receivingSettings,
  saveReceivedState,
} from '../platform/storage/received-store.js';
import { checkAgainstDgiSchema } from '../platform/xsd-check/xmllint-schema-check.js';
import { findCompany } from '../platform/storage/company-store.js';
import { intakeReceived } from '../platform/temporal/received-intake.js';
import type { ReceivedTimings } from '../common/received-messages.js';
import type { PacInboxSummary } from '../common/mailbox.js';

export type { PacInboxSummary };

/**
 * What the PAC's answer about another emitter's document says the DGI holds. Anything but the DGI's own
 * "authorized", "annulled" or "not found" is no verdict yet: ask again later.
 */
const DGI_ANSWER: Record<PacStatus, DgiConfirmation['answer']> = {
  authorized: 'authorized',
  annulled: 'annulled',
  'not-found': 'not-found',
  pending: 'no-answer',
  unknown: 'no-answer',
  transient: 'no-answer',
  'rejected-correctable': 'no-answer',
  duplicate: 'no-answer',
  'error-needs-support': 'no-answer',
  'auth-failed': 'no-answer',
};

export interface ReceivedVerdict {
  verdict: 'valid' | 'invalid';
  errors: number;
  notes: number;
  /** The first errors, for the workflow's log and the UI's current details. */
  reasons: Array<{ path: string; rule: string; message: string }>;
}

const reasonsOf = (findings: Finding[]) =>
  findings
    .filter((f) => f.severity === 'error')
    .slice(0, 20)
    .map(({ path, rule, message }) => ({ path, rule, message }));

/** Receiving's local work: verification, records, settings, announcements (docs/receiving.md). */
export function createReceivingActivities(deps: {
  sql: Sql;
  dgiSchemaDir?: string | undefined;
  documentsTaskQueue?: string;
}) {
  return {
    /** Runs every check on the stored XML and keeps the report; the document becomes `confirming` or `invalid`. */
    async verifyReceivedDocument(input: { receivedId: string }): Promise<ReceivedVerdict> {
      const { xml, companyRuc } = await loadReceivedWork(deps.sql, input.receivedId);
      const report = verifyReceived(xml, { receiverRuc: companyRuc });
      if (deps.dgiSchemaDir && report.identity) {
        const schema = await checkAgainstDgiSchema(xml, deps.dgiSchemaDir);
        if (!schema.ok)
          for (const error of schema.errors.slice(0, 20))
            report.findings.push({
              check: 'schema',
              severity: 'error',
              path: '(document)',
              rule: 'dgi-schema',
              message: error,
            });
        if (!schema.ok) report.verdict = 'invalid';
      }
      const status: ReceivedStatus = report.verdict === 'valid' ? 'confirming' : 'invalid';
      await saveReceivedState(deps.sql, input.receivedId, { status, report });
      return {
        verdict: report.verdict,
        errors: report.findings.filter((f) => f.severity === 'error').length,
        notes: report.findings.filter((f) => f.severity === 'note').length,
        reasons: reasonsOf(report.findings).slice(0, 5),
      };
    },

    async saveReceivedStatus(input: {
      receivedId: string;
      status: ReceivedStatus;
      dgi?: DgiConfirmation;
      manifestation?: ManifestationState;
    }): Promise<void> {
      const { receivedId, ...change } = input;
      await saveReceivedState(deps.sql, receivedId, change);
    },

    async receivingSettingsOf(input: { companyId: string }): Promise<{ autoAcknowledge: string | null }> {
      return receivingSettings(deps.sql, input.companyId);
    },

    /**
     * Announces a change to the company's webhook (its own workflow, so the document never waits for it).
     * The event is read from the record here: nothing of the document passes through history.
     */
    async announceReceived(input: {
      companyId: string;
      receivedId: string;
      type: ReceivedWebhookEvent['type'];
      /** Makes the event id unique when the same type can happen twice (manifestations). */
      suffix?: string;
    }): Promise<void> {
      const row = await findReceived(deps.sql, input.companyId, input.receivedId);
      if (!row) return;
      const reasons =
        input.type === 'received.invalid'
          ? reasonsOf(row.report?.findings ?? [])
          : row.dgi?.message && input.type !== 'received.accepted'
            ? [{ path: 'dId', rule: row.dgi.answer, message: row.dgi.message }]
            : undefined;
      const links = receivedLinks(input.companyId, row.id);
      const event: ReceivedWebhookEvent = {
        eventId: `received:${row.id}:${input.type}${input.suffix ? `:${input.suffix}` : ''}`,
        type: input.type,
        received: {
          id: row.id,
          cufe: row.cufe,
          status: row.status,
          supplierRuc: row.supplierRuc,
          supplierName: row.supplierName,
          docType: row.docType,
          number: row.number,
          total: row.total,
          issuedAt: row.issuedAt,
          ...(reasons?.length ? { reasons } : {}),
          ...(row.manifestation
            ? {
                manifestation: {
                  code: row.manifestation.code,
                  status: row.manifestation.status,
                  ...(row.manifestation.message ? { message: row.manifestation.message } : {}),
                },
              }
            : {}),
        },
        links: { self: links.self, xml: links.xml },
        at: new Date().toISOString(),
      };
      try {
        await getClient().workflow.start('webhookDeliveryWorkflow', {
          taskQueue: deps.documentsTaskQueue ?? TASK_QUEUES.documents,
          workflowId: `webhook:${event.eventId}`,
          args: [{ companyId: input.companyId, event }],
        });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
    },
  };
}

export type ReceivingActivities = ReturnType<typeof createReceivingActivities>;

/** What the company's PAC said about sending the manifestation. */
export interface ManifestationOutcome {
  outcome: 'accepted' | 'refused' | 'transient' | 'not-offered';
  code?: string;
  message: string;
}

/** Receiving's PAC calls: they run on the company PAC's rate-limited task queue. */
export function createReceivingPacActivities(deps: {
  sql: Sql;
  pacs: PacRegistry;
  signingKeys: SigningKeyCache;
}) {
  const refused = (err: unknown): string => {
    if (err instanceof PacConfigurationError || err instanceof OutboundRefused)
      return `${err.code}: ${err.message}`;
    throw err;
  };
  return {
    /** Asks the DGI, through the company's PAC, whether the supplier's document is registered. */
    async confirmReceivedAtDgi(input: { receivedId: string }): Promise<DgiConfirmation> {
      const { row } = await loadReceivedWork(deps.sql, input.receivedId);
      const checkedAt = new Date().toISOString();
      let resolved;
      try {
        resolved = await deps.pacs.resolve(row.companyId);
      } catch (err) {
        return { answer: 'no-answer', message: refused(err), checkedAt };
      }
      const { adapter, settings } = resolved;
      if (!adapter.reception)
        return {
          answer: 'not-offered',
          message: `${settings.pac} offers no status query for other emitters' documents: fepa cannot confirm it with the DGI`,
          checkedAt,
        };
      let result;
      try {
        result = await adapter.reception.statusByCufe(row.cufe, row.environment);
      } catch (err) {
        return { answer: 'no-answer', message: refused(err), checkedAt };
      }
      const facts = {
        ...(result.protocol ? { protocol: result.protocol } : {}),
        ...(result.authorizedAt ? { authorizedAt: result.authorizedAt } : {}),
        ...(result.pacCode ? { pacCode: result.pacCode } : {}),
        message: (result.dgiIssues[0]?.message ?? result.pacMessage ?? '').slice(0, 300),
        checkedAt,
      };
      log.info('received document asked at the DGI', { receivedId: input.receivedId, status: result.status });
      const answer = DGI_ANSWER[result.status];
      return answer === 'no-answer'
        ? { answer, ...facts, message: `${result.status}: ${facts.message}`.slice(0, 300) }
        : { answer, ...facts };
    },

    /**
     * The PAC's reception door (eDoc service 2): every document it holds for the company goes through the one
     * intake, as a mailbox message's would. A PAC without it says so.
     */
    async pullReceivedFromPac(input: {
      companyId: string;
      documentsTaskQueue: string;
      pacTaskQueuePrefix?: string;
      receivedTimings?: Partial<ReceivedTimings>;
    }): Promise<PacInboxSummary> {
      const company = await findCompany(deps.sql, input.companyId);
      if (!company) throw new Error(`company ${input.companyId} not found`);
      const { adapter, settings } = await deps.pacs.resolve(input.companyId);
      if (!adapter.reception?.inbox)
        return {
          offered: false,
          documents: 0,
          newDocuments: 0,
          refused: 0,
          message: `the PAC's reception service is not offered by ${settings.pac}`,
        };
      const summary: PacInboxSummary = { offered: true, documents: 0, newDocuments: 0, refused: 0 };
      for (const environment of ['2', '1'] as const) {
        const listed = await adapter.reception.inbox(company.ruc, environment);
        if (!listed.ok)
          return {
            ...summary,
            message: `${listed.result.status}: ${listed.result.pacMessage ?? ''}`.slice(0, 300),
          };
        const intake = {
          sql: deps.sql,
          client: getClient(),
          taskQueue: input.documentsTaskQueue,
          pacTaskQueuePrefix: input.pacTaskQueuePrefix,
          timings: input.receivedTimings,
        };
        for (const document of listed.documents) {
          const result = await intakeReceived(intake, input.companyId, document.xml, 'pac');
          if (result.outcome === 'refused') summary.refused++;
          else if (result.outcome !== 'company-not-found') {
            summary.documents++;
            if (result.outcome === 'created') summary.newDocuments++;
          }
        }
      }
      return summary;
    },

    /** Builds the receiver's rEvManifRecep, signs it with the company's certificate, sends it through its PAC. */
    async sendReceivedManifestation(input: {
      receivedId: string;
      code: string;
      reason?: string;
    }): Promise<ManifestationOutcome> {
      const { row, companyRuc } = await loadReceivedWork(deps.sql, input.receivedId);
      if (!isManifestationCode(input.code))
        return { outcome: 'refused', message: `unknown code ${input.code}` };
      let resolved;
      try {
        resolved = await deps.pacs.resolve(row.companyId);
      } catch (err) {
        return { outcome: 'transient', message: refused(err) };
      }
      const { adapter, settings } = resolved;
      if (!adapter.reception?.sendManifestation)
        return {
          outcome: 'not-offered',
          message: `the receiver's manifestation is not offered by ${settings.pac}`,
        };
      let signedXml: string;
      try {
        signedXml = signManifestation(
          {
            environment: row.environment,
            cufe: row.cufe,
            protocol: row.dgi?.protocol,
            receiverRuc: companyRuc,
            code: input.code,
            reason: input.reason,
          },
          await deps.signingKeys.keyFor(row.companyId),
        );
      } catch (err) {
        if (err instanceof ManifestationError) return { outcome: 'refused', message: err.message };
        return {
          outcome: 'refused',
          message: `the company's certificate cannot sign: ${(err as Error).message}`,
        };
      }
      try {
        const answer = await adapter.reception.sendManifestation({
          signedXml,
          cufe: row.cufe,
          environment: row.environment,
          code: input.code,
          reason: input.reason,
        });
        return {
          outcome: answer.outcome,
          ...(answer.code ? { code: answer.code } : {}),
          message: answer.message.slice(0, 300),
        };
      } catch (err) {
        return { outcome: 'transient', message: refused(err) };
      }
    },
  };
}

export type ReceivingPacActivities = ReturnType<typeof createReceivingPacActivities>;
