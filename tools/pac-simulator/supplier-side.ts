import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../platform/config/settings.js';
import { makeSelfSignedCertificate } from '../../domain/certificates/self-signed-certificate.js';
import {
  buildQrUrl,
  computeRucDv,
  validateDocument,
  writeCanonicalRfe,
} from '../../domain/dgi-document/index.js';
import { panamaDateTime } from '../../domain/dgi-document/panama-time.js';
import { assembleSignedRfe, signCanonicalRfe } from '../../domain/signing/sign-rfe.js';
import { verifySignedRfe } from '../../domain/signing/verify-rfe.js';
import type { SimDocument } from './sim-types.js';
import type { SimStore } from './sim-store.js';

const example = JSON.parse(
  readFileSync(join(PROJECT_ROOT, 'docs', 'examples', 'invoice-spec-example.json'), 'utf8'),
) as { gDGen: Record<string, unknown> };

/** An invoice with `count` items at mixed ITBMS rates, totals left for fepa's rules to compute. */
export function invoiceWithItems(
  count: number,
  gDGen: Record<string, unknown> = example.gDGen,
): Record<string, unknown> {
  const rates = ['00', '01', '02', '03'];
  return {
    gDGen: { ...gDGen, dSeg: undefined },
    gItem: Array.from({ length: count }, (_, i) => ({
      dDescProd: `Articulo de inventario numero ${i + 1} & accesorios <caja>`,
      dCodProd: `ART-${String(i + 1).padStart(5, '0')}`,
      cUnidad: 'und',
      dCantCodInt: String((i % 7) + 1),
      gPrecios: {
        dPrUnit: `${(i % 50) + 1}.${String(i % 100).padStart(2, '0')}`,
        ...(i % 5 === 0 ? { dPrUnitDesc: '0.50' } : {}),
      },
      gITBMSItem: { dTasaITBMS: rates[i % rates.length] },
    })),
    gTot: { iPzPag: '1', gFormaPago: [{ iFormaPago: '02' }] },
  };
}

export interface SupplierDocumentRequest {
  receiver: { ruc: string; dv: string; rucType?: '1' | '2' | undefined; name?: string | undefined };
  environment?: '1' | '2' | undefined;
  items?: number | undefined;
  /** `false`: the DGI never heard of it (a forged or never-sent document). */
  registered?: boolean | undefined;
}

export interface SupplierDocument {
  cufe: string;
  xml: string;
  protocol?: string;
  number: string;
}

/** A manifestation the simulated DGI registered. */
export interface RecordedManifestation {
  cufe: string;
  code: string;
  receiverRuc: string;
  via: 'aludra' | 'edoc';
  at: string;
}

/**
 * Other emitters, from the simulated DGI's side: suppliers that issue documents to fepa's companies (signed
 * with the supplier's own certificate, registered as authorized so status queries by CUFE find them), later
 * annulments, and the receivers' manifestation events the DGI registers.
 */
export class SupplierSide {
  readonly ruc = '155700001-2-2021';
  readonly dv = computeRucDv(this.ruc, '2');
  readonly key = makeSelfSignedCertificate({
    subject: [
      { shortName: 'CN', value: `PROVEEDOR SIMULADO ${this.ruc}` },
      { shortName: 'O', value: 'PROVEEDOR SIMULADO, S.A.' },
      { shortName: 'C', value: 'PA' },
    ],
    days: 3650,
  });
  readonly manifestations: RecordedManifestation[] = [];

  constructor(private readonly store: SimStore) {}

  async issue(request: SupplierDocumentRequest): Promise<SupplierDocument> {
    const environment = request.environment ?? '2';
    const number = String(randomInt(1, 2_000_000_000)).padStart(10, '0');
    const base = example.gDGen;
    const gDGen = {
      ...base,
      iAmb: environment,
      dNroDF: number,
      dFechaEm: panamaDateTime(new Date()),
      gEmis: {
        ...(base.gEmis as object),
        gRucEmi: { dTipoRuc: '2', dRuc: this.ruc, dDV: this.dv },
        dNombEm: 'PROVEEDOR SIMULADO, S.A.',
      },
      gDatRec: {
        ...(base.gDatRec as object),
        gRucRec: {
          dTipoRuc: request.receiver.rucType ?? '2',
          dRuc: request.receiver.ruc,
          dDV: request.receiver.dv,
        },
        dNombRec: request.receiver.name ?? 'EMPRESA RECEPTORA, S.A.',
      },
    };
    const built = validateDocument(invoiceWithItems(request.items ?? 3, gDGen));
    if (!built.ok) throw new Error(`supplier document: ${JSON.stringify(built.issues.slice(0, 3))}`);
    const canonical = writeCanonicalRfe(built.document);
    const { signature, digestValue } = signCanonicalRfe(canonical, this.key);
    const cufe = built.document.dId;
    const xml = assembleSignedRfe(
      canonical,
      signature,
      buildQrUrl({ cufe, iAmb: environment, digestValue, key: 'simulated-supplier-qr-key' }),
    );
    if (request.registered === false) return { cufe, xml, number };
    const protocol = Array.from({ length: 20 }, () => String(randomInt(10))).join('');
    const now = new Date().toISOString();
    const doc: SimDocument = {
      key: `supplier|${cufe}`,
      pac: 'aludra',
      account: 'simulated-supplier',
      environment,
      ruc: this.ruc,
      docType: '01',
      branch: '0000',
      pointOfSale: built.document.gDGen.dPtoFacDF,
      number,
      cufe,
      contentHash: digestValue,
      status: 'authorized',
      remaining: [],
      submissions: 1,
      queries: 0,
      signedXml: xml,
      protocol,
      receivedAt: now,
      authorizedAt: now,
    };
    await this.store.put(doc);
    return { cufe, xml, protocol, number };
  }

  /** The documents the simulated DGI holds for a receiver (what eDoc's reception service lists). */
  async issuedTo(receiverRuc: string, environment: string): Promise<Array<{ cufe: string; xml: string }>> {
    const receiver = new RegExp(
      `<gRucRec><dTipoRuc>[12]</dTipoRuc><dRuc>${receiverRuc.replace(/[^0-9A-Z-]/g, '')}</dRuc>`,
    );
    return (await this.store.list())
      .filter(
        (d) =>
          d.key.startsWith('supplier|') &&
          d.environment === environment &&
          d.signedXml &&
          receiver.test(d.signedXml),
      )
      .map((d) => ({ cufe: d.cufe, xml: d.signedXml! }));
  }

  /** The supplier annuls its document later (the DGI's records change; the receiver must notice). */
  async annul(cufe: string): Promise<boolean> {
    const doc = await this.store.byCufe(cufe);
    if (!doc || doc.status !== 'authorized') return false;
    await this.store.put({ ...doc, status: 'annulled' });
    return true;
  }

  /**
   * A receiver's manifestation as the DGI would judge it: a signed rEvManifRecep naming an authorized
   * document addressed to that receiver. Answers the DGI's result code and message.
   */
  async manifest(
    signedEvent: string,
    via: 'aludra' | 'edoc',
  ): Promise<{ code: string; message: string; cufe?: string }> {
    const signature = verifySignedRfe(signedEvent, { rootName: 'rEvManifRecep' });
    if (!signature.ok) return { code: '0990', message: `Firma del evento inválida: ${signature.reason}` };
    const field = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(signedEvent)?.[1];
    const protocol = field('dProtAut');
    const cufeField = field('dCufe');
    const doc = cufeField
      ? await this.store.byCufe(cufeField)
      : (await this.store.list()).find((d) => d.protocol !== undefined && d.protocol === protocol);
    if (!doc) return { code: '0991', message: 'Documento objeto de la manifestación no encontrado' };
    const receiverRuc = field('dRucRec') ?? '';
    if (!doc.signedXml?.includes(`<dRuc>${receiverRuc}</dRuc>`))
      return { code: '0992', message: 'El RUC del receptor no corresponde al documento', cufe: doc.cufe };
    const code = field('dManifRecep') ?? '';
    if (this.manifestations.some((m) => m.cufe === doc.cufe && m.code === code))
      return { code: '0622', message: 'Ya existe este evento para esta FE', cufe: doc.cufe };
    this.manifestations.push({ cufe: doc.cufe, code, receiverRuc, via, at: new Date().toISOString() });
    return { code: '0600', message: 'Evento registrado con éxito', cufe: doc.cufe };
  }
}
