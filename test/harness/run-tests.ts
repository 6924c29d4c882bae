// `npm test`: provisions a real Temporal dev server and a throwaway PostgreSQL database, runs every
// test file against them with node:test, cleans up, and ends with "N passed, N failed".
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createLogger } from '../../platform/config/logger.js';
import { loadSettings, PROJECT_ROOT } from '../../platform/config/settings.js';
import { resolveTemporalBinary } from '../../tools/dev-stack/temporal-binary.js';
import { startTemporalDevServer } from '../../tools/dev-stack/temporal-dev-server.js';
import { dropDatabase, ensureDatabaseExists } from '../../platform/storage/ensure-database.js';
import { runMigrations } from '../../platform/storage/migrate.js';
import { freePort } from './free-port.js';

const settings = loadSettings();
const log = createLogger({ logLevel: 'info', logFormat: settings.logFormat }, 'test-harness');
const filters = process.argv.slice(2);

async function testFiles(): Promise<string[]> {
  const entries = await readdir(join(PROJECT_ROOT, 'test'), { recursive: true });
  return entries
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => join('test', f))
    .filter((f) => filters.length === 0 || filters.some((pattern) => f.includes(pattern)))
    .sort();
}

const baseUrl = settings.databaseUrl ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const databaseName = `fepa_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
const testDbUrl = new URL(baseUrl);
testDbUrl.pathname = `/${databaseName}`;

const binary = await resolveTemporalBinary({
  cliPath: settings.temporalCliPath,
  cacheDir: settings.cacheDir,
  log,
});
if (binary.kind !== 'path') {
  throw new Error(
    'Tests need the temporal binary (integration tests also spawn it); see the messages above.',
  );
}
const temporalPort = await freePort();
const temporal = await startTemporalDevServer({
  binary,
  port: temporalPort,
  namespace: 'default',
  logFile: join(settings.dataDir, 'logs', `test-temporal-${temporalPort}.log`),
  cacheDir: settings.cacheDir,
  log,
});
// The tests' temporary files go to a folder of this run, removed at the end: a test that forgets to clean
// up (or dies) leaves nothing in the system temp directory, and the run says which test did.
const runTmp = await mkdtemp(join(tmpdir(), 'fepa-test-run-'));
// Others must pass through it: the chaos test's throwaway PostgreSQL runs as the postgres user.
await chmod(runTmp, 0o755);
let exitCode: number;
try {
  await ensureDatabaseExists(testDbUrl.toString());
  await runMigrations(testDbUrl.toString());
  log.info({ database: databaseName, temporal: temporal.address }, 'test stack ready');

  const files = await testFiles();
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      `--test-reporter=${join(PROJECT_ROOT, 'test/harness/summary-reporter.js')}`,
      '--test-reporter-destination=stdout',
      ...files,
    ],
    {
      cwd: PROJECT_ROOT,
      stdio: 'inherit',
      env: {
        ...process.env,
        FEPA_TEST_DATABASE_URL: testDbUrl.toString(),
        FEPA_TEST_ADMIN_DATABASE_URL: baseUrl,
        FEPA_TEST_TEMPORAL_ADDRESS: temporal.address,
        TEMPORAL_CLI_PATH: binary.path,
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
        TMPDIR: runTmp,
      },
    },
  );
  exitCode = await new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
  log.info({ files: files.map((f) => relative('.', f)).length }, 'test files run');
} finally {
  const left = (await readdir(runTmp).catch(() => [])).filter((name) => !name.startsWith('tmux-'));
  if (left.length) log.warn({ left }, 'tests left these in the temp directory (removed now)');
  await rm(runTmp, { recursive: true, force: true });
  await temporal.stop();
  await dropDatabase(baseUrl, databaseName).catch((err: unknown) =>
    log.warn({ err }, 'could not drop test database'),
  );
}
process.exit(exitCode);
