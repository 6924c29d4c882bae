import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import type { WorkflowHandle } from '@temporalio/client';
import type { DocumentTimings } from '../../common/document-messages.js';
import { DocumentService } from '../../app/services/document-service.js';
import type { Company } from '../../platform/storage/company-store.js';
import { savePacSettings } from '../../platform/storage/pac-settings-store.js';
import type { documentWorkflow } from '../../workflows/document-workflow.js';
import { createCompanyWithCertificate, createTestCompany, documentFor } from './companies.js';
import type { RunningSimulator } from './pac-simulator.js';
import { testSecretBox } from './test-api.js';
import { testDatabase, testTemporal } from './test-stack.js';
import type { TestWorker } from './test-worker.js';

/** Timings in milliseconds, so document scenarios run in seconds. */
export const FAST: Partial<DocumentTimings> = {
  pollInitialMs: 50,
  pollMaxMs: 200,
  pollJitter: 0,
  offlineRetryInitialMs: 100,
  offlineRetryMaxMs: 300,
  annulWindowMs: 1,
  notFoundSettleMs: 300,
};

/** FAST, and contingencies that probe every 200 ms, with documents checking every second. */
export const FAST_CONTINGENCY: Partial<DocumentTimings> = {
  ...FAST,
  contingencyProbeMs: 200,
  contingencyCheckMs: 1_000,
  contingencyTransmitSpacingMs: 20,
};

/**
 * Companies and documents against the real worker and the PAC simulator: a company (sandbox PAC
 * unless told eDoc), a document issued through DocumentService with a scripted PAC, and what the
 * simulator received.
 */
export function documentScenarios(
  simulator: RunningSimulator,
  worker: TestWorker,
  defaultDocument?: Record<string, any>,
) {
  const documents = async (timings: Partial<DocumentTimings> = {}) => {
    const env = await testTemporal();
    return new DocumentService({
      sql: testDatabase(),
      client: env.client,
      taskQueue: worker.taskQueue,
      pacTaskQueuePrefix: worker.pacTaskQueuePrefix,
      timings: { ...FAST, ...timings },
    });
  };

  /** A company with a valid certificate, on the sandbox PAC unless told otherwise. */
  async function company(pac?: {
    pac: 'edoc' | 'sandbox' | 'hka';
    autoSubmit?: boolean;
    baseUrl?: string;
    /** HKA: the account's prepaid folios, annulment window… (the simulator's HKA account). */
    hkaAccount?: Record<string, unknown>;
    /** false: fepa holds no certificate of the company (its PAC signs). */
    certificate?: boolean;
  }): Promise<Company> {
    const c =
      pac?.certificate === false
        ? await createTestCompany(testDatabase())
        : await createCompanyWithCertificate(testDatabase());
    if (pac?.pac === 'hka') {
      const credentials = { tokenEmpresa: `token-${c.id}`, tokenPassword: 'hka-pass' };
      assert.ok(defaultDocument, 'HKA registers the emitter of the default document');
      await simulator.admin('/accounts', {
        id: `hka-${c.id}`,
        pac: 'hka',
        environment: '2',
        ...credentials,
        // HKA builds gEmis from the emitter registered with it: the company's own.
        emitter: documentFor(c, defaultDocument, '1').gDGen.gEmis,
        ...pac.hkaAccount,
      });
      await savePacSettings(testDatabase(), testSecretBox, {
        companyId: c.id,
        pac: 'hka',
        baseUrl: pac.baseUrl ?? simulator.hkaUrl,
        autoSubmit: pac.autoSubmit ?? true,
        credentials: { hka: credentials },
      });
    } else if (pac?.pac === 'edoc') {
      const credentials = { user: `user-${c.id}`, password: 'edoc-pass' };
      await simulator.admin('/accounts', {
        id: `edoc-${c.id}`,
        pac: 'edoc',
        environment: '2',
        ...credentials,
      });
      await savePacSettings(testDatabase(), testSecretBox, {
        companyId: c.id,
        pac: 'edoc',
        baseUrl: simulator.edocUrl,
        autoSubmit: pac.autoSubmit ?? true,
        credentials: { edoc: credentials },
      });
    } else if (pac) {
      await savePacSettings(testDatabase(), testSecretBox, {
        companyId: c.id,
        pac: 'sandbox',
        baseUrl: pac.baseUrl,
        autoSubmit: pac.autoSubmit ?? true,
      });
    }
    return c;
  }

  async function issue(
    c: Company,
    number: string,
    options: {
      script?: string[];
      queryFaults?: string[];
      annulFaults?: string[];
      timings?: Partial<DocumentTimings>;
      base?: Record<string, any>;
    } = {},
  ) {
    const base = options.base ?? defaultDocument;
    assert.ok(base, 'a document to issue: pass base, or a default document to documentScenarios');
    const match = { ruc: c.ruc, number };
    if (options.script) await simulator.admin('/rules', { match, script: options.script });
    if (options.queryFaults)
      await simulator.admin('/call-faults', { operation: 'query', match, steps: options.queryFaults });
    if (options.annulFaults)
      await simulator.admin('/call-faults', { operation: 'annul', match, steps: options.annulFaults });
    const created = await (await documents(options.timings)).create(c.id, documentFor(c, base, number));
    assert.ok(created.outcome === 'created', JSON.stringify(created));
    const env = await testTemporal();
    const handle: WorkflowHandle<typeof documentWorkflow> = env.client.workflow.getHandle(created.workflowId);
    return { ...created, handle };
  }

  /** The company's PAC answers again (after `company({ pac, baseUrl: <closed port> })`). */
  const bringPacBack = (c: Company, pac: 'sandbox' | 'hka' = 'sandbox') =>
    savePacSettings(testDatabase(), testSecretBox, {
      companyId: c.id,
      pac,
      baseUrl: pac === 'hka' ? simulator.hkaUrl : simulator.url,
      autoSubmit: true,
      ...(pac === 'hka'
        ? { credentials: { hka: { tokenEmpresa: `token-${c.id}`, tokenPassword: 'hka-pass' } } }
        : {}),
    });

  /** How many times the PAC received the document (every submission, duplicates included). */
  const submissions = async (c: Company, number: string) => {
    const docs = (await (await simulator.admin(`/documents?ruc=${c.ruc}&number=${number}`)).json()) as Array<{
      submissions: number;
    }>;
    return docs.reduce((n, d) => n + d.submissions, 0);
  };

  return { documents, company, issue, submissions, bringPacBack };
}

/** Writes the histories of `recorded` workflows to FEPA_RECORD_HISTORIES_DIR when it is set (replay fixtures). */
export async function saveRecordedHistories(recorded: Array<[string, WorkflowHandle]>): Promise<void> {
  const dir = process.env.FEPA_RECORD_HISTORIES_DIR;
  if (!dir) return;
  await mkdir(dir, { recursive: true });
  for (const [name, handle] of recorded)
    await writeFile(join(dir, `${name}.json`), historyToJSON(await handle.fetchHistory()));
}
