/** Where each generated catalog comes from in the DGI schema package. */
export const CATALOG_SOURCES = [
  { file: 'FE_ubicaciones_v1.00.xsd', simpleType: 'ubicaciones', module: 'locations', constant: 'LOCATIONS' },
  { file: 'FE_paises_v1.00.xsd', simpleType: 'paisType', module: 'countries', constant: 'COUNTRIES' },
  { file: 'FE_monedas_v1.00.xsd', simpleType: 'monedasType', module: 'currencies', constant: 'CURRENCIES' },
  { file: 'FE_incoterms_v1.00.xsd', simpleType: 'incotermsType', module: 'incoterms', constant: 'INCOTERMS' },
  { file: 'FE_UnidadesMedida_v1.00.xsd', simpleType: 'unidadesMedida', module: 'units', constant: 'UNITS' },
  {
    file: 'FE_BienesServicios_v1.00.xsd',
    simpleType: 'catBienes',
    module: 'cpbs-segments',
    constant: 'CPBS_SEGMENTS',
  },
  {
    file: 'FE_BienesServicios_v1.00.xsd',
    simpleType: 'descBienes',
    module: 'cpbs-codes',
    constant: 'CPBS_CODES',
  },
] as const;

/**
 * Reads `<xs:enumeration value="…">` entries (with their documentation as the label) of one named
 * simpleType. The catalog schemas are flat, so a scan of the text is enough and needs no XML library.
 */
export function readCatalogEnumerations(xsd: string, simpleType: string): Array<[string, string]> {
  const entries = enumerationsAfter(xsd, `<xs:simpleType name="${simpleType}"`);
  if (!entries) throw new Error(`simpleType ${simpleType} not found`);
  return entries;
}

/** The codes of the inline simpleType of element `name` (FE_v1.00.xsd's iDoc, iNatOp…), or [] if none. */
export function readElementEnumerations(xsd: string, name: string): string[] {
  return (enumerationsAfter(xsd, `<xs:element name="${name}"`) ?? []).map(([code]) => code);
}

/** Enumerations of the first simpleType after `anchor` (undefined when the anchor is absent). */
function enumerationsAfter(xsd: string, anchor: string): Array<[string, string]> | undefined {
  const start = xsd.indexOf(anchor);
  if (start < 0) return undefined;
  const end = xsd.indexOf('</xs:simpleType>', start);
  const block = xsd.slice(start, end);
  const entries: Array<[string, string]> = [];
  const seen = new Set<string>();
  const pattern = /<xs:enumeration\s+value="([^"]*)"\s*(?:\/>|>([\s\S]*?)<\/xs:enumeration>)/g;
  for (const match of block.matchAll(pattern)) {
    const code = decodeEntities(match[1]!);
    if (seen.has(code)) continue;
    seen.add(code);
    const doc = /<xs:documentation>([\s\S]*?)<\/xs:documentation>/.exec(match[2] ?? '');
    entries.push([code, decodeEntities((doc?.[1] ?? '').trim().replace(/\s+/g, ' '))]);
  }
  return entries;
}

function decodeEntities(text: string): string {
  return text
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&apos;', "'")
    .replaceAll('&amp;', '&');
}

/**
 * Field ids from `FE_v1.00.xsd` annotations ("B07: Número…", "ID: B04 …", "C02:…"). Keys are element
 * names, or `parent/name` where one name carries different ids in different groups.
 */
export function readFieldIds(xsd: string): Record<string, string> {
  const byName = new Map<string, Set<string>>();
  const byParent: Record<string, string> = {};
  const stack: string[] = [];
  // Walk element open/close tags in document order, remembering the enclosing named element or type.
  const token =
    /<(\/?)xs:(element|complexType)\b([^>]*?)(\/?)>|<xs:documentation>([\s\S]*?)<\/xs:documentation>/g;
  let current: string | undefined;
  const withoutComments = xsd.replace(/<!--[\s\S]*?-->/g, '');
  for (const m of withoutComments.matchAll(token)) {
    const [, closing, kind, attrs, selfClosing, documentation] = m;
    if (documentation !== undefined) {
      const id = /(?:^|\s|ID:\s*)([A-G]{1,2}[0-9]{2,4}|ZZ[0-9]{2})\s*[:-]/.exec(documentation.trim());
      if (current && id?.[1] && !byParent[`${stack.at(-2) ?? ''}/${current}`]) {
        byParent[`${stack.at(-2) ?? ''}/${current}`] = id[1];
        const ids = byName.get(current) ?? new Set<string>();
        ids.add(id[1]);
        byName.set(current, ids);
      }
      continue;
    }
    const name = /name\s*=\s*"([^"]+)"/.exec(attrs ?? '')?.[1];
    if (closing) {
      if (kind === 'element' || (kind === 'complexType' && stack.at(-1)?.startsWith('type:'))) stack.pop();
      current = undefined;
      continue;
    }
    if (kind === 'complexType') {
      if (name) stack.push(`type:${name}`);
      continue;
    }
    current = name;
    if (name && !selfClosing) stack.push(name);
  }
  const result: Record<string, string> = {};
  for (const [key, id] of Object.entries(byParent)) {
    const name = key.split('/')[1]!;
    if (byName.get(name)?.size === 1) result[name] = id;
    else result[key.replace(/type:(\w+)Type/, '$1').replace('type:', '')] = id;
  }
  return result;
}
