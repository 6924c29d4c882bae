import assert from 'node:assert/strict';
import { tempDir } from '../helpers/temp-dir.js';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import pino from 'pino';
import { cachedBinaryPath, resolveTemporalBinary } from '../../tools/dev-stack/temporal-binary.js';

const log = pino({ level: 'silent' });

async function fakeExecutable(path: string): Promise<string> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, '#!/bin/sh\nexit 0\n');
  await chmod(path, 0o755);
  return path;
}

describe('resolving the temporal binary', () => {
  let dir: string;
  let savedPath: string | undefined;
  beforeEach(async () => {
    dir = await tempDir('fepa-bin-');
    savedPath = process.env.PATH;
  });
  afterEach(() => {
    process.env.PATH = savedPath;
  });

  it('prefers TEMPORAL_CLI_PATH over everything else', async () => {
    const explicit = await fakeExecutable(join(dir, 'explicit', 'temporal'));
    await fakeExecutable(cachedBinaryPath(join(dir, 'cache')));
    const found = await resolveTemporalBinary({ cliPath: explicit, cacheDir: join(dir, 'cache'), log });
    assert.deepEqual(found, { kind: 'path', path: explicit, source: 'TEMPORAL_CLI_PATH' });
  });

  it('refuses a TEMPORAL_CLI_PATH that is not executable and says how to install', async () => {
    await assert.rejects(
      resolveTemporalBinary({ cliPath: join(dir, 'missing'), cacheDir: dir, log }),
      /not an executable file[\s\S]*go install github.com\/temporalio\/cli\/cmd\/temporal@v1\.5\.1/,
    );
  });

  it('uses a temporal found on PATH before the project cache', async () => {
    const onPath = await fakeExecutable(join(dir, 'pathdir', 'temporal'));
    await fakeExecutable(cachedBinaryPath(join(dir, 'cache')));
    process.env.PATH = join(dir, 'pathdir');
    const found = await resolveTemporalBinary({ cliPath: undefined, cacheDir: join(dir, 'cache'), log });
    assert.deepEqual(found, { kind: 'path', path: onPath, source: 'PATH' });
  });

  it('reuses the binary cached by an earlier build', async () => {
    const cached = await fakeExecutable(cachedBinaryPath(join(dir, 'cache')));
    process.env.PATH = join(dir, 'empty');
    const found = await resolveTemporalBinary({ cliPath: undefined, cacheDir: join(dir, 'cache'), log });
    assert.deepEqual(found, { kind: 'path', path: cached, source: 'cache' });
  });

  it('falls back to the SDK download when there is no binary and no Go', async () => {
    process.env.PATH = join(dir, 'empty');
    const found = await resolveTemporalBinary({ cliPath: undefined, cacheDir: join(dir, 'cache'), log });
    assert.equal(found.kind, 'sdk-download');
  });
});
