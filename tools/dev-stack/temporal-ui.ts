import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { spawnManaged, type ManagedProcess } from './managed-process.js';
import { waitForHttp } from './process-group.js';

/**
 * The Temporal web UI for `npm run cluster` (the dev server has its own): the UI server on `port`, talking to
 * the cluster's frontend. Its settings are written where it reads them (`<dir>/config/development.yaml`).
 */
export async function startTemporalUi(options: {
  binary: string;
  temporalAddress: string;
  host: string;
  port: number;
  namespace: string;
  dir: string;
  log: Logger;
}): Promise<{ url: string; process: ManagedProcess; stop: () => Promise<unknown> }> {
  const url = `http://${options.host}:${options.port}`;
  await mkdir(join(options.dir, 'config'), { recursive: true });
  await writeFile(
    join(options.dir, 'config', 'development.yaml'),
    [
      `temporalGrpcAddress: ${options.temporalAddress}`,
      `host: ${options.host}`,
      `port: ${options.port}`,
      'enableUi: true',
      'publicPath: ""',
      `defaultNamespace: ${options.namespace}`,
      'notifyOnNewVersion: false',
      'cors:',
      '  allowOrigins:',
      `    - ${url}`,
      '',
    ].join('\n'),
  );
  const ui = spawnManaged(
    'temporal ui',
    options.binary,
    ['--root', options.dir, '--config', 'config', '--env', 'development', 'start'],
    { logFile: join(options.dir, 'ui.log') },
  );
  await waitForHttp(`${url}/api/v1/settings`, 30_000);
  options.log.info({ url }, 'Temporal UI running');
  return { url, process: ui, stop: () => ui.stop('SIGTERM', 5_000) };
}
