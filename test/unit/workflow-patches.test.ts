import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PROJECT_ROOT } from '../../platform/config/settings.js';
import { PATCHES } from '../../workflows/patches.js';

/** Every patch call in workflows/, with the file it is in. */
async function patchCalls(): Promise<
  Array<{ file: string; kind: 'patched' | 'deprecatePatch'; id: string }>
> {
  const dir = join(PROJECT_ROOT, 'workflows');
  const calls = [];
  const sources = (await readdir(dir, { recursive: true })).filter(
    (f) => f.endsWith('.ts') && f !== 'patches.ts', // the registry names them in its comments
  );
  for (const file of sources) {
    const text = await readFile(join(dir, file), 'utf8');
    for (const m of text.matchAll(/\b(patched|deprecatePatch)\(\s*(['"`])([^'"`]+)\2/g))
      calls.push({ file, kind: m[1] as 'patched' | 'deprecatePatch', id: m[3]! });
    // A patch id that is not a literal cannot be checked against the registry.
    assert.doesNotMatch(text, /\b(patched|deprecatePatch)\(\s*[^'"`\s)]/, `${file}: patch ids are literals`);
  }
  return calls;
}

describe('workflow patches follow the versioning rule (workflows/patches.ts)', () => {
  const today = new Date().toISOString().slice(0, 10);

  it('every patch call names a registered patch, and every registered patch is called', async () => {
    const calls = await patchCalls();
    for (const call of calls)
      assert.ok(
        PATCHES.some((p) => p.id === call.id),
        `${call.file}: ${call.kind}('${call.id}') is not in workflows/patches.ts`,
      );
    for (const patch of PATCHES)
      assert.ok(
        calls.some((c) => c.id === patch.id),
        `${patch.id} is registered but no workflow uses it`,
      );
  });

  it('no patch outlives its dates: deprecated after deprecateAfter, removed after removeAfter', async () => {
    const calls = await patchCalls();
    for (const patch of PATCHES) {
      assert.ok(
        patch.introduced < patch.deprecateAfter && patch.deprecateAfter < patch.removeAfter,
        patch.id,
      );
      assert.ok(
        today < patch.removeAfter,
        `${patch.id}: remove it and its old branch (due ${patch.removeAfter})`,
      );
      if (today >= patch.deprecateAfter)
        assert.ok(
          !calls.some((c) => c.id === patch.id && c.kind === 'patched'),
          `${patch.id}: switch patched() to deprecatePatch() (due ${patch.deprecateAfter})`,
        );
    }
  });

  it('before the first release there are none (package.json version 0.x)', async () => {
    const { version } = JSON.parse(await readFile(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    if (version.startsWith('0.')) assert.deepEqual(await patchCalls(), []);
  });
});
