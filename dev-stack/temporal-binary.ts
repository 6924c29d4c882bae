import { execFile } from 'node:child_process';
import { access, constants, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from 'pino';

const run = promisify(execFile);

/** The CLI release whose `go install` still works (newer tags carry a `replace` directive). */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const MIN_GO_MINOR = 25;

export type TemporalBinary =
  | { kind: 'path'; path: string; source: 'TEMPORAL_CLI_PATH' | 'PATH' | 'cache' | 'built' }
  /** No binary and no Go: the SDK downloads the dev server (needs the internet). */
  | { kind: 'sdk-download'; reason: string };

export const INSTALL_HELP = `How to install the Temporal CLI by hand (any one of these):
  1. With Go >= 1.${MIN_GO_MINOR}:  GOBIN=$PWD/.cache/bin CGO_ENABLED=0 go install github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}
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
  await buildWithGo(cached, options.log);
  return { kind: 'path', path: cached, source: 'built' };
}

async function buildWithGo(target: string, log: Logger): Promise<void> {
  const binDir = join(target, '..');
  await mkdir(binDir, { recursive: true });
  // Build into a private folder and rename, so two starts at once never see a half-written binary.
  const scratch = await mkdtemp(join(binDir, '.build-'));
  const started = Date.now();
  log.info(
    { version: TEMPORAL_CLI_VERSION, into: target },
    'building the Temporal CLI with go install (first start only; a few minutes)',
  );
  const ticker = setInterval(
    () =>
      log.info(
        { elapsedSeconds: Math.round((Date.now() - started) / 1000) },
        'still building the Temporal CLI',
      ),
    30_000,
  );
  try {
    await run('go', ['install', `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`], {
      env: { ...process.env, GOBIN: scratch, CGO_ENABLED: '0' },
      maxBuffer: 64 * 1024 * 1024,
    });
    await rename(join(scratch, 'temporal'), target);
    log.info({ seconds: Math.round((Date.now() - started) / 1000) }, 'Temporal CLI built');
  } catch (err) {
    const detail = (err as { stderr?: string }).stderr?.split('\n').slice(-15).join('\n') ?? String(err);
    throw new Error(`go install of the Temporal CLI failed:\n${detail}\n${INSTALL_HELP}`, { cause: err });
  } finally {
    clearInterval(ticker);
    await rm(scratch, { recursive: true, force: true });
  }
}

async function goVersion(): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    const { stdout } = await run('go', ['version']);
    const match = /go(\d+)\.(\d+)/.exec(stdout);
    if (!match) return { ok: false, reason: `unrecognised go version output: ${stdout.trim()}` };
    const [major, minor] = [Number(match[1]), Number(match[2])];
    if (major > 1 || minor >= MIN_GO_MINOR) return { ok: true };
    return {
      ok: false,
      reason: `Go ${major}.${minor} is too old; the Temporal CLI needs Go >= 1.${MIN_GO_MINOR}`,
    };
  } catch {
    return { ok: false, reason: 'Go is not installed' };
  }
}

async function findOnPath(name: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
