import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Worker } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { PROJECT_ROOT } from '../../platform/config/settings.js';
import { installQuietRuntime, testWorkflowBundle } from '../helpers/test-stack.js';

installQuietRuntime();

const HISTORIES = join(PROJECT_ROOT, 'test', 'histories');

describe('recorded histories replay against the current workflow code', async () => {
  const files = (await readdir(HISTORIES)).filter((f) => f.endsWith('.json')).sort();

  it('has recorded histories to replay', () => {
    assert.ok(files.length > 0, 'no histories under test/histories');
  });

  for (const file of files) {
    it(`replays ${file} without a determinism violation`, async () => {
      const history = historyFromJSON(JSON.parse(await readFile(join(HISTORIES, file), 'utf8')));
      assert.ok((history.events?.length ?? 0) > 3, 'history has events');
      // The recorded workflow id (child ids such as webhooks derive from it); older files fall back to the name.
      const workflowId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowId || file;
      await Worker.runReplayHistory({ workflowBundle: await testWorkflowBundle() }, history, workflowId);
    });
  }
});
