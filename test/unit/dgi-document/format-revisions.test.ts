import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../../platform/config/settings.js';
import { loadExample } from '../../helpers/dgi-fixtures.js';
import { tempDir } from '../../helpers/temp-dir.js';

const run = promisify(execFile);

/**
 * The technical sheet's two revisions (issue #27 §2), as an operator switches them: `FEPA_DGI_CODE_LISTS` for the
 * whole process. 200-character names pass the 2025 revision and fail the 2019 one, naming the field.
 */
async function validate(file: string, revision: '2019' | '2025') {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'app/cli/main.ts', 'validate', file], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, FEPA_DGI_CODE_LISTS: revision },
    });
    return { code: 0, text: stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, text: `${e.stdout}${e.stderr}` };
  }
}

describe('format revisions 2019 and 2025', () => {
  it('names of 200 characters: valid in 2025; in 2019 each name field is named with its rule', async () => {
    const doc = await loadExample('invoice-spec-example.json');
    doc.gDGen.gEmis.dNombEm = `EMPRESA EMISORA ${'A'.repeat(184)}`;
    doc.gDGen.gDatRec.dNombRec = `CLIENTE RECEPTOR ${'B'.repeat(183)}`;
    assert.equal(doc.gDGen.gEmis.dNombEm.length, 200);
    const file = join(await tempDir('fepa-revisions-'), 'long-names.json');
    await writeFile(file, JSON.stringify(doc));
    const now = await validate(file, '2025');
    assert.equal(now.code, 0, now.text);
    assert.match(now.text, /^valid/);
    const before = await validate(file, '2019');
    assert.equal(before.code, 1, before.text);
    assert.match(before.text, /gDGen\.gEmis\.dNombEm.*max-length/);
    assert.match(before.text, /gDGen\.gDatRec\.dNombRec.*max-length/);
    // 201 characters: too long in either.
    doc.gDGen.gDatRec.dNombRec += 'C';
    await writeFile(file, JSON.stringify(doc));
    assert.match((await validate(file, '2025')).text, /gDGen\.gDatRec\.dNombRec.*max-length/);
  });
});
