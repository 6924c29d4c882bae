import { join } from 'node:path';
import type { Logger } from 'pino';
import { goInstall, goVersion } from './go-install.js';
import { isExecutable } from './temporal-binary.js';

/** The Temporal server release the cluster runs; `docker-compose.yml` pins the same one (tested). */
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';

export interface TemporalServerBinaries {
  /** `temporal-server`: each service (frontend, history, matching, worker) is one process of it. */
  server: string;
  /** `temporal-sql-tool`: creates and migrates the databases (the schemas are built into it). */
  sqlTool: string;
}

const HELP = `How to build the Temporal server by hand (Go >= 1.25):
  GOBIN=<cache>/temporal-server-${TEMPORAL_SERVER_VERSION}/bin CGO_ENABLED=0 go install \\
    go.temporal.io/server/cmd/server@${TEMPORAL_SERVER_VERSION} go.temporal.io/server/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}
  (then rename 'sql' to 'temporal-sql-tool' and 'server' to 'temporal-server')`;

/** The server and sql-tool binaries, built once into the cache with `go install` (about 6 minutes cold). */
export async function resolveTemporalServer(options: {
  cacheDir: string;
  log: Logger;
}): Promise<TemporalServerBinaries> {
  const binDir = join(options.cacheDir, `temporal-server-${TEMPORAL_SERVER_VERSION}`, 'bin');
  const binaries = { server: join(binDir, 'temporal-server'), sqlTool: join(binDir, 'temporal-sql-tool') };
  if ((await isExecutable(binaries.server)) && (await isExecutable(binaries.sqlTool))) return binaries;
  const go = await goVersion();
  if (!go.ok) throw new Error(`cannot build the Temporal server: ${go.reason}\n${HELP}`);
  await goInstall({
    what: `the Temporal server ${TEMPORAL_SERVER_VERSION}`,
    packages: [
      { module: `go.temporal.io/server/cmd/server@${TEMPORAL_SERVER_VERSION}`, binary: 'temporal-server' },
      {
        module: `go.temporal.io/server/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`,
        binary: 'temporal-sql-tool',
      },
    ],
    binDir,
    log: options.log,
    help: HELP,
  });
  return binaries;
}

/**
 * The Temporal UI server `npm run cluster` runs: the release the Temporal CLI v1.5.1 embeds for the dev server's
 * UI, and the `temporalio/ui` image `docker-compose.yml` pins (tested). Its web assets are part of the Go module,
 * so `go install` builds the whole UI here (about 30 s once the CLI's modules are cached).
 */
export const TEMPORAL_UI_VERSION = 'v2.42.1';

export async function resolveTemporalUi(options: { cacheDir: string; log: Logger }): Promise<string> {
  const binDir = join(options.cacheDir, `temporal-ui-${TEMPORAL_UI_VERSION}`, 'bin');
  const binary = join(binDir, 'temporal-ui-server');
  if (await isExecutable(binary)) return binary;
  const help = `How to build the Temporal UI server by hand (Go >= 1.25):
  GOBIN=${binDir} go install github.com/temporalio/ui-server/v2/cmd/server@${TEMPORAL_UI_VERSION}
  (then rename 'server' to 'temporal-ui-server')`;
  const go = await goVersion();
  if (!go.ok) throw new Error(`cannot build the Temporal UI server: ${go.reason}\n${help}`);
  await goInstall({
    what: `the Temporal UI server ${TEMPORAL_UI_VERSION}`,
    packages: [
      {
        module: `github.com/temporalio/ui-server/v2/cmd/server@${TEMPORAL_UI_VERSION}`,
        binary: 'temporal-ui-server',
      },
    ],
    binDir,
    log: options.log,
    help,
  });
  return binary;
}
