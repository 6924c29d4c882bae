import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../platform/config/settings.js';

const base = JSON.parse(
  readFileSync(join(PROJECT_ROOT, 'docs', 'examples', 'invoice-spec-example.json'), 'utf8'),
) as {
  gDGen: Record<string, unknown>;
  gItem: unknown[];
  gTot: Record<string, unknown>;
};

/** An invoice with `count` items at mixed ITBMS rates, totals left for fepa to compute. */
export function invoiceWithItems(count: number): unknown {
  const rates = ['00', '01', '02', '03'];
  return {
    gDGen: { ...base.gDGen, dSeg: undefined },
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

export const ITEM_COUNTS = [1, 20, 500] as const;

/**
 * The spec's example invoice issued by the company with `ruc`: no number and no security code, so fepa
 * allocates both (the runs check numbers come out consecutive).
 */
export function exampleInvoiceFrom(ruc: string, dv: string): { gDGen: Record<string, unknown> } {
  const invoice = structuredClone(base);
  invoice.gDGen.gEmis = {
    ...(invoice.gDGen.gEmis as object),
    gRucEmi: { dTipoRuc: '2', dRuc: ruc, dDV: dv },
  };
  delete invoice.gDGen.dNroDF;
  delete invoice.gDGen.dSeg;
  return invoice;
}
