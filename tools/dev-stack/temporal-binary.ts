import { access, constants } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import type { Logger } from 'pino';
import { goInstall, goVersion } from './go-install.js';

/** The CLI release whose `go install` still works (newer tags carry a `replace` directive). */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';

export type TemporalBinary =
  | { kind: 'path'; path: string; source: 'TEMPORAL_CLI_PATH' | 'PATH' | 'cache' | 'built' }
  /** No binary and no Go: the SDK downloads the dev server (needs the internet). */
  | { kind: 'sdk-download'; reason: string };

export const INSTALL_HELP = `How to install the Temporal CLI by hand (any one of these):
  1. With Go >= 1.25:  GOBIN=$PWD/.cache/bin CGO_ENABLED=0 go install github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}
  2. Download a release from https://github.com/temporalio/cli/releases and put 'temporal' on your PATH
  3. Point fepa at an existing binary: export TEMPORAL_CLI_PATH=/absolute/path/to/temporal
  4. Or use a running cluster and start nothing: export TEMPORAL_ADDRESS=host:7233`;

export function cachedBinaryPath(cacheDir: string): string {
  return join(cacheDir, 'bin', 'temporal');
}

/**
 * Finds the `temporal` binary: TEMPORAL_CLI_PATH, then PATH, then the project cache, then builds it
 * into the cache with `go install`. Without Go it answers `sdk-download` and the caller lets the SDK fetch it.
 */
export async function resolveTemporalBinary(options: {
  cliPath: string | undefined;
  cacheDir: string;
  log: Logger;
}): Promise<TemporalBinary> {
  if (options.cliPath) {
    if (!(await isExecutable(options.cliPath))) {
      throw new Error(`TEMPORAL_CLI_PATH=${options.cliPath} is not an executable file.\n${INSTALL_HELP}`);
    }
    return { kind: 'path', path: options.cliPath, source: 'TEMPORAL_CLI_PATH' };
  }
  const onPath = await findOnPath('temporal');
  if (onPath) return { kind: 'path', path: onPath, source: 'PATH' };
  const cached = cachedBinaryPath(options.cacheDir);
  if (await isExecutable(cached)) return { kind: 'path', path: cached, source: 'cache' };

  const go = await goVersion();
  if (!go.ok) {
    options.log.warn(
      { reason: go.reason },
      'cannot build the Temporal CLI here; the SDK will try to download the dev server',
    );
    return { kind: 'sdk-download', reason: go.reason };
  }
  await goInstall({
    what: 'the Temporal CLI',
    packages: [
      { module: `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`, binary: 'temporal' },
    ],
    binDir: dirname(cached),
    log: options.log,
    help: INSTALL_HELP,
  });
  return { kind: 'path', path: cached, source: 'built' };
}

async function findOnPath(name: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
