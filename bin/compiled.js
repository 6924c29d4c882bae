// dist/ kept in step with the sources for the `fepa` command: compiled (tsc -p tsconfig.build.json) when it is
// missing or any source is newer than the last build's stamp. One build at a time across processes (a lock
// folder); a build that died leaves a lock that expires. Plain JavaScript, so it runs without a loader.
/* global process */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
/** Written after a successful build (also by tools/dev-stack/node-entry.ts); its time is the build's. */
export const BUILD_STAMP = join(DIST, '.build-stamp');
const LOCK = join(ROOT, '.cache', 'dist-build.lock');
/** What tsconfig.build.json leaves out, and folders without sources. */
const SKIP = new Set(['node_modules', 'dist', 'test', 'bench', 'scripts', 'scratch', 'docs', 'examples']); // scripts: tools/scripts

const mtime = (path) => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
};

/** The newest modification time among the sources and the build settings. */
function newestSource() {
  let newest = Math.max(mtime(join(ROOT, 'tsconfig.json')), mtime(join(ROOT, 'tsconfig.build.json')));
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || SKIP.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') || entry.name.endsWith('.json'))
        newest = Math.max(newest, mtime(path));
    }
  };
  walk(ROOT);
  return newest;
}

const fresh = (entry) => mtime(join(DIST, entry)) > 0 && mtime(BUILD_STAMP) >= newestSource();

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function build() {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  process.stderr.write('fepa: compiling into dist/ (once after each change of the sources, about 10 s)…\n');
  const started = Date.now();
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    process.stderr.write(`fepa: compiling failed:\n${result.stdout}${result.stderr}`);
    process.exit(1);
  }
  writeFileSync(BUILD_STAMP, new Date(started).toISOString());
  utimesSync(BUILD_STAMP, started / 1000, started / 1000); // sources changed while compiling stay newer
  process.stderr.write(`fepa: compiled in ${Math.round((Date.now() - started) / 1000)} s\n`);
}

/** The file URL of `entry` in dist/, compiled first when needed. */
export async function ensureCompiled(entry) {
  for (let waited = 0; !fresh(entry);) {
    mkdirSync(dirname(LOCK), { recursive: true });
    try {
      mkdirSync(LOCK);
    } catch {
      // Another process compiles: wait for it (a lock older than 5 minutes belonged to one that died).
      if (Date.now() - mtime(LOCK) > 300_000) rmSync(LOCK, { recursive: true, force: true });
      if (waited === 0) process.stderr.write('fepa: waiting for another fepa command compiling dist/…\n');
      sleep(250);
      waited += 250;
      continue;
    }
    try {
      if (!fresh(entry)) build();
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  }
  return pathToFileURL(join(DIST, entry)).href;
}
