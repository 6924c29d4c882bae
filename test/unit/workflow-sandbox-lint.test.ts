import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';
import { PROJECT_ROOT } from '../../platform/config/settings.js';

const offending = `import { readFile } from 'node:fs/promises';
import crypto from 'crypto';
import postgres from 'postgres';
import { Client } from '@temporalio/client';
export const used = [readFile, crypto, postgres, Client];
`;

async function restrictedImportsIn(filePath: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: PROJECT_ROOT });
  const [result] = await eslint.lintText(offending, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the workflow sandbox lint rule', () => {
  it('bans Node built-ins and I/O modules in workflows/', async () => {
    const messages = await restrictedImportsIn('workflows/roundtrip-workflow.ts');
    assert.equal(messages.length, 4, messages.join('\n'));
  });

  it('bans them in common/ too, since workflows import common/', async () => {
    assert.equal((await restrictedImportsIn('common/task-queues.ts')).length, 4);
  });

  it('leaves activities free to do I/O', async () => {
    assert.deepEqual(await restrictedImportsIn('activities/diagnostic-activities.ts'), []);
  });
});
