import { FIELD_IDS } from './catalogs/generated/field-ids.js';

/** Ids the XSD annotations lack but the spec's tables give (spec §4, §4.1, §4.2). */
const SPEC_FIELD_IDS: Readonly<Record<string, string>> = {
  iAmb: 'B02',
  iTpEmis: 'B03',
  dFechaCont: 'B04',
  dMotCont: 'B05',
  gRucRec: 'B402',
  'gRucEmi/dTipoRuc': 'B3011',
  'gRucEmi/dRuc': 'B3012',
  'gRucEmi/dDV': 'B3013',
};

/** The DGI field id (B07, C201…) of the element at a JSON path, when the DGI gives it one. */
export function fieldIdFor(path: ReadonlyArray<string | number>): string | undefined {
  const names = path.filter((p): p is string => typeof p === 'string');
  const name = names.at(-1);
  if (!name) return undefined;
  const scoped = `${names.at(-2) ?? ''}/${name}`;
  return SPEC_FIELD_IDS[scoped] ?? FIELD_IDS[scoped] ?? FIELD_IDS[name] ?? SPEC_FIELD_IDS[name];
}
