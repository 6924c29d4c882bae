import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PROJECT_ROOT } from '../../platform/config/settings.js';
import { startLiveStack, type LiveStack } from '../helpers/live-stack.js';
const GUIDE = join(PROJECT_ROOT, 'docs/integration.md');

/** Every shell block of the guide, in order, as one script: what a reader runs step by step. */
async function guideScript(): Promise<{ script: string; expected: string[] }> {
  const text = await readFile(GUIDE, 'utf8');
  const blocks = [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const script = blocks.join('\n');
  // The lines the guide shows as output (`# → …`), in order.
  const expected = [...script.matchAll(/^# → (.*)$/gm)].map((m) => m[1]!);
  return { script, expected };
}

describe('docs/integration.md, against a live `npm start`', () => {
  let stack: LiveStack | undefined;
  after(async () => {
    await stack?.stop();
    await rm(join(PROJECT_ROOT, 'tryout'), { recursive: true, force: true });
  });

  it('runs every command of the guide and prints what the guide says', async () => {
    const { script, expected } = await guideScript();
    assert.ok(script.includes('curl'), 'the guide has its commands');
    assert.ok(expected.length >= 10, `${expected.length} documented outputs`);
    stack = await startLiveStack('guide');
    const stdout = await stack.runScript(script, 180_000);
    const lines = stdout.trimEnd().split('\n');
    // Each documented output appears, in order; "..." ends a line the guide shortens.
    let at = 0;
    for (const line of expected) {
      const prefix = line.endsWith('...') ? line.slice(0, -3) : undefined;
      const found = lines.findIndex((l, i) => i >= at && (prefix ? l.startsWith(prefix) : l === line));
      assert.ok(found >= 0, `"${line}" after line ${at} of:\n${stdout}`);
      at = found + 1;
    }
  });
});
