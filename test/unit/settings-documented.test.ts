import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PROJECT_ROOT, SETTING_NAMES } from '../../platform/config/settings.js';

describe('settings documentation', () => {
  it('lists every setting in the README table and in .env.example, and nothing else', async () => {
    const readme = await readFile(join(PROJECT_ROOT, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Settings'), readme.indexOf('## HTTP API'));
    const inTable = [...table.matchAll(/^\| `([A-Z_]+)`/gm)].map((m) => m[1]).sort();
    const example = await readFile(join(PROJECT_ROOT, '.env.example'), 'utf8');
    const inExample = [...example.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]).sort();
    const expected = [...SETTING_NAMES].sort();
    assert.deepEqual(inTable, expected, 'README settings table');
    assert.deepEqual(inExample, expected, '.env.example');
  });
});
