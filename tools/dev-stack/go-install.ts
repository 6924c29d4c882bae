import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from 'pino';

const run = promisify(execFile);
const MIN_GO_MINOR = 25;

/**
 * `go install`s packages into a private folder and renames each binary into `binDir`, so two starts at
 * once never see a half-written binary. Logs progress every 30 s (a cold build takes minutes).
 */
export async function goInstall(options: {
  what: string;
  packages: Array<{ module: string; binary: string }>;
  binDir: string;
  log: Logger;
  help: string;
}): Promise<void> {
  await mkdir(options.binDir, { recursive: true });
  const scratch = await mkdtemp(join(options.binDir, '.build-'));
  const started = Date.now();
  options.log.info(
    { packages: options.packages.map((p) => p.module), into: options.binDir },
    `building ${options.what} with go install (first start only; a few minutes)`,
  );
  const ticker = setInterval(
    () =>
      options.log.info(
        { elapsedSeconds: Math.round((Date.now() - started) / 1000) },
        `still building ${options.what}`,
      ),
    30_000,
  );
  try {
    await run('go', ['install', ...options.packages.map((p) => p.module)], {
      env: { ...process.env, GOBIN: scratch, CGO_ENABLED: '0' },
      maxBuffer: 64 * 1024 * 1024,
    });
    for (const p of options.packages) {
      const built = p.module.split('@')[0]!.split('/').at(-1)!;
      await rename(join(scratch, built), join(options.binDir, p.binary));
    }
    options.log.info({ seconds: Math.round((Date.now() - started) / 1000) }, `${options.what} built`);
  } catch (err) {
    const detail = (err as { stderr?: string }).stderr?.split('\n').slice(-15).join('\n') ?? String(err);
    throw new Error(`go install of ${options.what} failed:\n${detail}\n${options.help}`, { cause: err });
  } finally {
    clearInterval(ticker);
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Whether a Go new enough to build Temporal is installed. */
export async function goVersion(): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    const { stdout } = await run('go', ['version']);
    const match = /go(\d+)\.(\d+)/.exec(stdout);
    if (!match) return { ok: false, reason: `unrecognised go version output: ${stdout.trim()}` };
    const [major, minor] = [Number(match[1]), Number(match[2])];
    if (major > 1 || minor >= MIN_GO_MINOR) return { ok: true };
    return {
      ok: false,
      reason: `Go ${major}.${minor} is too old; Temporal needs Go >= 1.${MIN_GO_MINOR}`,
    };
  } catch {
    return { ok: false, reason: 'Go is not installed' };
  }
}
