import { FORMAT_PROFILE } from '../dgi-document/format-profile.js';
import { ITBMS_RATES, PAYMENT_METHODS } from '../dgi-document/catalogs/codes.js';
import { money } from '../dgi-document/money.js';
import { panamaDateTime } from '../dgi-document/panama-time.js';
import { readRfe, type DocumentIssue, type ParsedDocument } from '../dgi-document/index.js';
import { taxLinesOf } from '../books/tax-lines.js';

/** What a CAFE shows, in print order, already worded: templates only lay it out. */
export interface CafeModel {
  /** "FACTURA ELECTRÓNICA", "NOTA DE CRÉDITO ELECTRÓNICA"… */
  title: string;
  /** Branch, point of sale and number, as the DGI numbers documents. */
  number: { branch: string; pointOfSale: string; number: string };
  /** dFechaEm, printed as Panama local time: "14/11/2025 13:42:10". */
  issuedAt: string;
  /** Documents of the test environment say so (they have no legal standing). */
  testEnvironment: boolean;
  emitter: { name: string; rucDv: string; address: string; branch: string; phones: string[] };
  receiver: { name: string; id: string | undefined };
  items: Array<{
    description: string;
    code: string | undefined;
    quantity: string;
    unitPrice: string;
    discount: string | undefined;
    itbmsRate: string;
    lineTotal: string;
  }>;
  totals: {
    net: string;
    discounts: string | undefined;
    /** ITBMS per rate: the taxed base and the tax. */
    itbmsByRate: Array<{ rate: string; base: string; tax: string }>;
    itbms: string;
    isc: string | undefined;
    total: string;
    received: string;
    change: string | undefined;
  };
  payments: Array<{ method: string; amount: string }>;
  /** Notes 04/05: the CUFE of the FE they correct; 06/07: the reference number. */
  references: Array<{ label: string; value: string; issuer: string; issuedAt: string }>;
  /** Empty on a provisional copy (nobody has signed the document yet). */
  cufe: string;
  /** A copy of a document not yet signed: no CUFE, no QR, and a legend saying it is not valid yet. */
  provisional: boolean;
  authorization: { protocol: string; at: string | undefined } | undefined;
  /** Legends printed in a box: pending authorization, contingency, the PAC's own. */
  legends: string[];
  /** gNoFirm/dQRCode, exactly as signed (the QR image encodes these bytes). */
  qrCode: string;
  /** Where anyone checks the document by its CUFE. */
  consultUrl: string;
}

export interface CafeFacts {
  /** The DGI's authorization, once known. */
  protocol?: string | undefined;
  authorizedAt?: string | undefined;
  /** Text the company's PAC requires on every CAFE (a setting per PAC). */
  pacLegend?: string | undefined;
}

export class CafeError extends Error {
  override readonly name = 'CafeError';
  constructor(
    message: string,
    readonly issues: DocumentIssue[] = [],
  ) {
    super(message);
  }
}

const TITLES: Record<string, string> = {
  '01': 'FACTURA ELECTRÓNICA',
  '02': 'FACTURA ELECTRÓNICA DE IMPORTACIÓN',
  '03': 'FACTURA ELECTRÓNICA DE EXPORTACIÓN',
  '04': 'NOTA DE CRÉDITO ELECTRÓNICA',
  '05': 'NOTA DE DÉBITO ELECTRÓNICA',
  '06': 'NOTA DE CRÉDITO ELECTRÓNICA GENÉRICA',
  '07': 'NOTA DE DÉBITO ELECTRÓNICA GENÉRICA',
  '08': 'FACTURA ELECTRÓNICA DE ZONA FRANCA',
  '09': 'REEMBOLSO',
  '10': 'FACTURA ELECTRÓNICA DE OPERACIÓN EXTRANJERA',
};

export const LEGEND_PENDING = 'Documento pendiente de autorización';
export const LEGEND_PROVISIONAL =
  'COPIA PROVISIONAL SIN VALOR FISCAL: su CUFE y su código QR se entregan al ser autorizado';
export const LEGEND_CONTINGENCY = 'Emitido en contingencia';
export const LEGEND_TEST = 'Ambiente de pruebas: sin validez fiscal';

/** An amount as printed: at least 2 decimals, no trailing zeros beyond them ("1.340000" → "1.34"). */
export function displayAmount(text: string): string {
  const [whole, fraction = ''] = text.split('.');
  return `${whole}.${fraction.replace(/0+$/, '').padEnd(2, '0')}`;
}

/**
 * "2025-11-14T13:42:10-05:00" → "14/11/2025 13:42:10", in Panama time (UTC-5, no daylight saving): a time
 * written with another offset (a PAC answering in UTC) is moved to Panama's clock first.
 */
export function displayDateTime(text: string): string {
  const offset = /(Z|[+-]\d{2}:\d{2})$/.exec(text)?.[1];
  const utc = Date.parse(text);
  const local = offset && offset !== '-05:00' && !Number.isNaN(utc) ? panamaDateTime(new Date(utc)) : text;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}:\d{2}:\d{2})/.exec(local);
  return m ? `${m[3]}/${m[2]}/${m[1]} ${m[4]}` : text;
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const percent = (code: string) => `${Math.round(Number(ITBMS_RATES[code] ?? 0) * 100)}%`;

function receiverOf(doc: ParsedDocument): CafeModel['receiver'] {
  const rec = doc.gDGen.gDatRec;
  // 02: consumidor final. Its placeholder identification is no one's: the CAFE says who it is.
  if (rec.iTipoRec === '02' && !rec.gRucRec?.dDV)
    return {
      name: rec.dNombRec && rec.dNombRec !== 'CONSUMIDOR FINAL' ? rec.dNombRec : 'Consumidor final',
      id: undefined,
    };
  const ruc = rec.gRucRec
    ? `RUC ${rec.gRucRec.dRuc}${rec.gRucRec.dDV ? ` DV ${rec.gRucRec.dDV}` : ''}`
    : undefined;
  const foreign = rec.gIdExt
    ? `ID ${rec.gIdExt.dIdExt}${rec.gIdExt.dPaisExt ? ` (${rec.gIdExt.dPaisExt})` : ''}`
    : undefined;
  return { name: rec.dNombRec ?? 'Consumidor final', id: ruc ?? foreign };
}

/** ITBMS per rate, as the books count it (books/tax-lines.ts). */
const itbmsByRate = (doc: ParsedDocument): CafeModel['totals']['itbmsByRate'] =>
  taxLinesOf(doc).map((line) => ({ rate: percent(line.rateCode), base: line.base, tax: line.tax }));

function referencesOf(doc: ParsedDocument): CafeModel['references'] {
  return (doc.gDGen.gDFRef ?? []).map((ref) => {
    const num = ref.gDFRefNum;
    const [label, value] = num.gDFRefFE
      ? ['CUFE de la factura referida', num.gDFRefFE.dCUFERef]
      : num.gDFRefFacPap
        ? ['Factura en papel referida', num.gDFRefFacPap.dNroFacPap]
        : ['Factura de impresora fiscal referida', num.gDFRefFacIE?.dNroFacIE ?? ''];
    return {
      label,
      value,
      issuer: `${ref.dNombEmRef} (RUC ${ref.gRucEmDFRef.dRuc} DV ${ref.gRucEmDFRef.dDV})`,
      issuedAt: displayDateTime(ref.dFechaDFRef),
    };
  });
}

const optional = (text: string | undefined) =>
  text !== undefined && !money(text).isZero() ? displayAmount(text) : undefined;

/**
 * The CAFE of a signed document, read from its stored XML with fepa's reader (never from the request that
 * created it), plus what only the PAC knows (the authorization) and the PAC's legend.
 */
export function cafeModel(signedXml: string, facts: CafeFacts = {}): CafeModel {
  const read = readRfe(signedXml);
  if (!read.ok) throw new CafeError('the stored XML cannot be read as an rFE', read.issues);
  if (!read.signed || !read.qrCode)
    throw new CafeError('a CAFE needs the signed document (Signature and gNoFirm/dQRCode)');
  const cufe = read.document.dId;
  if (!cufe) throw new CafeError('the document has no CUFE (dId)');
  return modelOf(read.document, facts, { cufe, qrCode: read.qrCode });
}

/**
 * The honest copy of a document nobody could sign yet (its PAC signs and cannot be reached, and no
 * contingency could be opened): what was sold, with no CUFE and no QR, saying it is not yet a fiscal
 * document. Read from the built, unsigned XML.
 */
export function provisionalCafeModel(unsignedXml: string, facts: CafeFacts = {}): CafeModel {
  const read = readRfe(unsignedXml);
  if (!read.ok) throw new CafeError('the stored XML cannot be read as an rFE', read.issues);
  return modelOf(read.document, facts, undefined);
}

function modelOf(
  doc: ParsedDocument,
  facts: CafeFacts,
  identification: { cufe: string; qrCode: string } | undefined,
): CafeModel {
  const g = doc.gDGen;
  const t = doc.gTot;
  const authorization =
    facts.protocol && identification
      ? { protocol: facts.protocol, at: facts.authorizedAt ? displayDateTime(facts.authorizedAt) : undefined }
      : undefined;
  const legends = [
    ...(identification ? [] : [LEGEND_PROVISIONAL]),
    ...(authorization ? [] : [LEGEND_PENDING]),
    ...(g.iTpEmis === '02' || g.iTpEmis === '04'
      ? [`${LEGEND_CONTINGENCY}${g.dFechaCont ? ` desde ${displayDateTime(g.dFechaCont)}` : ''}`]
      : []),
    ...(g.iAmb === '2' ? [LEGEND_TEST] : []),
    ...(facts.pacLegend ? [facts.pacLegend] : []),
  ];
  return {
    title: TITLES[g.iDoc] ?? `DOCUMENTO ELECTRÓNICO ${g.iDoc}`,
    number: { branch: g.gEmis.dSucEm, pointOfSale: g.dPtoFacDF, number: g.dNroDF },
    issuedAt: displayDateTime(g.dFechaEm),
    testEnvironment: g.iAmb === '2',
    emitter: {
      name: g.gEmis.dNombEm,
      rucDv: `${g.gEmis.gRucEmi.dRuc} DV ${g.gEmis.gRucEmi.dDV}`,
      address: `${g.gEmis.dDirecEm}, ${g.gEmis.gUbiEm.dCorreg}, ${g.gEmis.gUbiEm.dDistr}, ${g.gEmis.gUbiEm.dProv}`,
      branch: g.gEmis.dSucEm,
      phones: [g.gEmis.dTfnEm].flat(),
    },
    receiver: receiverOf(doc),
    items: doc.gItem.map((item) => ({
      description: item.dDescProd,
      code: item.dCodProd,
      quantity: displayAmount(item.dCantCodInt),
      unitPrice: displayAmount(item.gPrecios.dPrUnit),
      discount: optional(item.gPrecios.dPrUnitDesc),
      itbmsRate: percent(item.gITBMSItem.dTasaITBMS),
      lineTotal: displayAmount(item.gPrecios.dValTotItem ?? '0'),
    })),
    totals: {
      net: displayAmount(t.dTotNeto ?? '0'),
      discounts: optional(t.dTotDesc),
      itbmsByRate: itbmsByRate(doc),
      itbms: displayAmount(t.dTotITBMS ?? '0'),
      isc: optional(t.dTotISC),
      total: displayAmount(t.dVTot ?? '0'),
      received: displayAmount(t.dTotRec ?? t.dVTot ?? '0'),
      change: optional(t.dVuelto),
    },
    payments: t.gFormaPago.map((p) => ({
      method: capitalized(p.dFormaPagoDesc ?? PAYMENT_METHODS[p.iFormaPago] ?? p.iFormaPago),
      amount: displayAmount(p.dVlrCuota ?? '0'),
    })),
    references: referencesOf(doc),
    cufe: identification?.cufe ?? '',
    provisional: !identification,
    authorization,
    legends,
    qrCode: identification?.qrCode ?? '',
    consultUrl: `${FORMAT_PROFILE.cufeConsultUrl[g.iAmb as '1' | '2']}${identification?.cufe ?? ''}`,
  };
}
