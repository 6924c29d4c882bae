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

/** An invoice with `count` items at mixed ITBMS rates (the simulator's suppliers issue the same). */
export { invoiceWithItems } from '../tools/pac-simulator/supplier-side.js';

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
