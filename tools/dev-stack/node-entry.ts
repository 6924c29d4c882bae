import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { PROJECT_ROOT } from '../../platform/config/settings.js';

/**
 * How a fepa process is started: its TypeScript source through tsx, or its compiled JavaScript in
 * `dist/` (`npm run build`). Compiled, a worker needs about 50 MB less (idle RSS 199 MB against 248 MB
 * under tsx on this machine, bench/results/scale-memory.json), because no loader compiles at run time.
 */
export function nodeEntryArgs(entry: string, compiled = false): string[] {
  return compiled
    ? [join(PROJECT_ROOT, 'dist', entry.replace(/\.ts$/, '.js'))]
    : ['--import', 'tsx', join(PROJECT_ROOT, entry)];
}

/** Compiles the project into `dist/` (tsconfig.build.json), so processes can start compiled. */
export async function buildCompiled(log: Logger): Promise<void> {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const started = Date.now();
  log.info('compiling fepa into dist/ (npm run build): workers and APIs run compiled');
  const output: string[] = [];
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: PROJECT_ROOT });
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.on('error', reject);
    child.on('exit', (c) => resolve(c ?? 1));
  });
  if (code !== 0) throw new Error(`npm run build failed:\n${output.join('').slice(0, 4000)}`);
  // The same stamp bin/compiled.js reads: the `fepa` command then knows dist/ is current.
  const stamp = join(PROJECT_ROOT, 'dist', '.build-stamp');
  await writeFile(stamp, new Date(started).toISOString());
  await utimes(stamp, started / 1000, started / 1000);
  log.info({ seconds: Math.round((Date.now() - started) / 1000) }, 'compiled into dist/');
}
