import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, describe, it } from 'node:test';
import { PROJECT_ROOT } from '../../config/settings.js';
import { spawnManaged, type ManagedProcess } from '../../dev-stack/managed-process.js';
import { freePort } from '../harness/free-port.js';
import { harnessSetting } from '../helpers/test-stack.js';

const run = promisify(execFile);

/** The shell block of the README's walkthrough, exactly as a user copies it. */
async function readmeWalkthrough(): Promise<string> {
  const readme = await readFile(join(PROJECT_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Issue a document against the sandbox PAC'));
  const block = /```sh\n([\s\S]*?)```/.exec(section);
  assert.ok(block, 'the README has the walkthrough');
  return block[1]!;
}

describe("the README's walkthrough, against a live `npm start`", () => {
  let fepa: ManagedProcess | undefined;
  after(async () => {
    await fepa?.stop('SIGINT', 30_000);
    await rm(join(PROJECT_ROOT, 'demo.p12'), { force: true });
    await rm(join(PROJECT_ROOT, 'signed.xml'), { force: true });
  });

  it('authorizes one invoice, shows the rejection of another, and the signed XML verifies', async () => {
    const [apiPort, simPort, pgPort] = [await freePort(), await freePort(), await freePort()];
    const dataDir = await mkdtemp(join(tmpdir(), 'fepa-readme-'));
    fepa = spawnManaged(
      'fepa',
      process.execPath,
      ['--import', 'tsx', join(PROJECT_ROOT, 'dev-stack/start.ts')],
      {
        cwd: PROJECT_ROOT,
        logFile: join(dataDir, 'start.log'),
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          LOG_FORMAT: 'json',
          FEPA_DATA_DIR: dataDir,
          FEPA_API_PORT: String(apiPort),
          FEPA_SIMULATOR_PORT: String(simPort),
          FEPA_EMBEDDED_PG_PORT: String(pgPort),
          TEMPORAL_ADDRESS: harnessSetting('FEPA_TEST_TEMPORAL_ADDRESS'),
        },
      },
    );
    for (let i = 0; i < 600; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${apiPort}/readyz`)).ok) break;
      } catch {
        // starting
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    // The walkthrough uses the default ports; here they are the test's.
    const script = (await readmeWalkthrough())
      .replaceAll('127.0.0.1:3000', `127.0.0.1:${apiPort}`)
      .replaceAll('127.0.0.1:3100', `127.0.0.1:${simPort}`);
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script], {
      cwd: PROJECT_ROOT,
      timeout: 120_000,
      // As on a user's machine: the CLI finds npm start's embedded database, not the test database.
      env: { PATH: process.env.PATH, HOME: process.env.HOME, FEPA_EMBEDDED_PG_PORT: String(pgPort) },
    });
    assert.match(stdout, /"status":"ready"/, 'the certificate is ready');
    assert.match(
      stdout,
      /^authorized FE0120000155123456-2-2023-9500002025031000000000010010124829135707 [0-9]{20}$/m,
    );
    assert.match(stdout, /^signature holds: signed by CN=EMPRESA DE PRUEBA 155123456-2-2023 DV 95/m);
    assert.match(
      stdout,
      /^rejected \[\{"code":"1601","message":"RUC del receptor inválido","effect":"E"\}\]$/m,
    );
  });
});
