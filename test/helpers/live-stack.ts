import { execFile } from 'node:child_process';
import { tempDir } from './temp-dir.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../platform/config/settings.js';
import { spawnManaged, type ManagedProcess } from '../../tools/dev-stack/managed-process.js';
import { freePort } from '../harness/free-port.js';
import { harnessSetting } from './test-stack.js';

export interface LiveStack {
  apiPort: number;
  simulatorPort: number;
  /** Runs a documented shell script (default ports replaced by this stack's) from the project folder. */
  runScript(script: string, timeoutMs: number): Promise<string>;
  stop(): Promise<void>;
}

/** `npm start` as a user runs it (embedded PostgreSQL, simulator), on the test's Temporal server. */
export async function startLiveStack(name: string): Promise<LiveStack> {
  const [apiPort, simulatorPort, pgPort] = [await freePort(), await freePort(), await freePort()];
  const dataDir = await tempDir(`fepa-${name}-`);
  const logFile = join(dataDir, 'start.log');
  const fepa: ManagedProcess = spawnManaged(
    'fepa',
    process.execPath,
    ['--import', 'tsx', join(PROJECT_ROOT, 'tools/dev-stack/start.ts')],
    {
      cwd: PROJECT_ROOT,
      logFile,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        LOG_FORMAT: 'json',
        FEPA_DATA_DIR: dataDir,
        FEPA_API_PORT: String(apiPort),
        FEPA_SIMULATOR_PORT: String(simulatorPort),
        FEPA_EMBEDDED_PG_PORT: String(pgPort),
        // Every port its own: another stack (or test run) on this machine must not collide with it.
        FEPA_SMTP_SINK_PORT: String(await freePort()),
        FEPA_SMTP_SINK_WEB_PORT: String(await freePort()),
        TEMPORAL_ADDRESS: harnessSetting('FEPA_TEST_TEMPORAL_ADDRESS'),
      },
    },
  );
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${apiPort}/readyz`)).ok) break;
    } catch {
      // starting
    }
    if (i > 600) throw new Error(`npm start did not become ready:\n${await readFile(logFile, 'utf8')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    apiPort,
    simulatorPort,
    runScript: (script, timeoutMs) => {
      const localized = script
        .replaceAll('127.0.0.1:3000', `127.0.0.1:${apiPort}`)
        .replaceAll('127.0.0.1:3100', `127.0.0.1:${simulatorPort}`);
      return new Promise((resolve, reject) => {
        execFile(
          'bash',
          ['-euo', 'pipefail', '-c', localized],
          {
            cwd: PROJECT_ROOT,
            timeout: timeoutMs,
            env: { PATH: process.env.PATH, HOME: process.env.HOME, FEPA_EMBEDDED_PG_PORT: String(pgPort) },
          },
          (err, stdout, stderr) => {
            if (!err) return resolve(stdout);
            // The script's own output says which step failed; the stack's log says why.
            void readFile(logFile, 'utf8').then((log) =>
              reject(
                new Error(
                  `script failed (${err.code ?? err.signal}):\n--- stdout\n${stdout}\n--- stderr\n${stderr}\n--- npm start log (tail)\n${log.split('\n').slice(-40).join('\n')}`,
                ),
              ),
            );
          },
        );
      });
    },
    stop: async () => void (await fepa.stop('SIGINT', 30_000)),
  };
}
