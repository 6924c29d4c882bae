import {
  bundleWorkflowCode,
  DefaultLogger,
  Runtime,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import pino from 'pino';
import { connectDatabase, type Sql } from '../../platform/storage/database.js';
import { WORKFLOWS_PATH } from '../../worker/create-worker.js';

/** What the harness (`npm test`) provides; a clear message when a test file is run on its own. */
export function harnessSetting(
  name:
    | 'FEPA_TEST_DATABASE_URL'
    | 'FEPA_TEST_TEMPORAL_ADDRESS'
    | 'FEPA_TEST_ADMIN_DATABASE_URL'
    | 'TEMPORAL_CLI_PATH',
): string {
  const value = process.env[name];
  if (!value)
    throw new Error(`${name} is not set: run tests through \`npm test\`, which provisions the test stack.`);
  return value;
}

let sql: Sql | undefined;
export function testDatabase(): Sql {
  sql ??= connectDatabase(harnessSetting('FEPA_TEST_DATABASE_URL'), { max: 4 });
  return sql;
}

let env: Promise<TestWorkflowEnvironment> | undefined;
export function testTemporal(): Promise<TestWorkflowEnvironment> {
  installQuietRuntime();
  env ??= TestWorkflowEnvironment.createFromExistingServer({
    address: harnessSetting('FEPA_TEST_TEMPORAL_ADDRESS'),
  });
  return env;
}

let runtimeInstalled = false;
/** SDK logs at WARN and above only; must run before any connection or worker exists in this process. */
export function installQuietRuntime(): void {
  if (runtimeInstalled) return;
  // Everything the SDK logs (worker, workflow and activity logs) is kept, so tests can search it for
  // secrets; only warnings and errors are printed.
  Runtime.install({
    logger: new DefaultLogger('DEBUG', (entry) => {
      capturedSdkLogs.push(
        JSON.stringify(entry, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)),
      );
      // Expected in these tests: activity-only workers, and activities failing on purpose.
      const expected =
        entry.message.startsWith('No workflows registered') || entry.message === 'Activity failed';
      if ((entry.level === 'WARN' || entry.level === 'ERROR') && !expected) {
        console.error(`[${entry.level}] ${entry.message}`, entry.meta ?? '');
      }
    }),
  });
  runtimeInstalled = true;
}

/** Every SDK log line of this test process, as JSON text. */
export const capturedSdkLogs: string[] = [];

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** One workflow bundle per test process (about 1 s each). */
export function testWorkflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietBundlerLogger });
  return bundle;
}

const quietBundlerLogger = {
  log() {},
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error(message: string, meta?: Record<string, unknown>) {
    console.error(message, meta);
  },
};

export const silentLog = pino({ level: 'silent' });

export async function closeTestStack(): Promise<void> {
  await sql?.end({ timeout: 5 });
  sql = undefined;
  const e = await env;
  await e?.teardown();
  env = undefined;
}
