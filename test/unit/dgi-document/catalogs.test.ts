import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  CATALOG_SOURCES,
  readCatalogEnumerations,
  readFieldIds,
} from '../../../domain/dgi-document/catalogs/xsd-enumerations.js';
import { FIELD_IDS } from '../../../domain/dgi-document/catalogs/generated/field-ids.js';
import { SHARED_DIR } from '../../helpers/dgi-fixtures.js';

const schemaDir = join(SHARED_DIR, 'dgi-xsd');

describe('catalogs generated from the DGI schema package', () => {
  for (const source of CATALOG_SOURCES) {
    it(`${source.module} lists exactly the codes of ${source.file}`, async () => {
      const fromXsd = readCatalogEnumerations(
        await readFile(join(schemaDir, source.file), 'utf8'),
        source.simpleType,
      );
      const generated = (
        (await import(`../../../domain/dgi-document/catalogs/generated/${source.module}.js`)) as Record<
          string,
          Record<string, string>
        >
      )[source.constant]!;
      assert.deepEqual(Object.keys(generated).sort(), fromXsd.map(([code]) => code).sort());
    });
  }

  it('has the sizes the spec gives (641 locations, 247 countries, 157 currencies, 56 + 476 CPBS)', async () => {
    const count = async (module: string, constant: string) =>
      Object.keys(
        (
          (await import(`../../../domain/dgi-document/catalogs/generated/${module}.js`)) as Record<
            string,
            object
          >
        )[constant]!,
      ).length;
    assert.equal(await count('locations', 'LOCATIONS'), 641);
    assert.equal(await count('countries', 'COUNTRIES'), 247);
    assert.equal(await count('currencies', 'CURRENCIES'), 157);
    assert.equal(await count('cpbs-segments', 'CPBS_SEGMENTS'), 56);
    assert.equal(await count('cpbs-codes', 'CPBS_CODES'), 476);
  });

  it('takes field ids from the schema annotations, scoped where a name is reused', async () => {
    assert.deepEqual(readFieldIds(await readFile(join(schemaDir, 'FE_v1.00.xsd'), 'utf8')), { ...FIELD_IDS });
    assert.equal(FIELD_IDS.dNroDF, 'B07');
    assert.equal(FIELD_IDS['gItem/dSecItem'], 'C02');
    assert.equal(FIELD_IDS['gPagPlazo/dSecItem'], 'D501');
  });
});
