import { z } from 'zod';
import { ISC_RATES, OTHER_TAX_CODES, codeList } from '../catalogs/codes.js';
import { CPBS_CODES } from '../catalogs/generated/cpbs-codes.js';
import { CPBS_SEGMENTS } from '../catalogs/generated/cpbs-segments.js';
import { UNITS } from '../catalogs/generated/units.js';
import { ItemOrderSchema, MedicineSchema, NewVehicleSchema } from './item-details.js';
import { amount, calendarDate, code, gtin, integerText, text } from './primitives.js';

const unit = code(Object.keys(UNITS), { listName: 'units of measure' });

/** gPrecios (C20). dPrItem and dValTotItem are computed by fepa when absent, checked when present. */
export const PricesSchema = z.strictObject({
  dPrUnit: amount('montoTipo06'),
  dPrUnitDesc: amount('montoTipo06').optional(),
  dPrItem: amount('montoTipo06').optional(),
  dPrAcarItem: amount('montoTipo02').optional(),
  dPrSegItem: amount('montoTipo02').optional(),
  dValTotItem: amount('montoTipo06').optional(),
});

/** gItem (C01): one line. `dSecItem` is numbered 1…n by fepa when absent. */
export const ItemSchema = z.strictObject({
  dSecItem: integerText({ maxDigits: 4, min: 1 }).optional(),
  dDescProd: text(2, 500),
  dCodProd: text(1, 20).optional(),
  cUnidad: unit.optional(),
  dCantCodInt: amount('montoTipo31'),
  dFechaFab: calendarDate.optional(),
  dFechaCad: calendarDate.optional(),
  dCodCPBSabr: code(Object.keys(CPBS_SEGMENTS), { listName: 'CPBS segments' }).optional(),
  dCodCPBScmp: code(Object.keys(CPBS_CODES), { listName: 'CPBS codes' }).optional(),
  cUnidadCPBS: unit.optional(),
  dInfEmFE: text(1, 5000).optional(),
  gPrecios: PricesSchema,
  gCodItem: z
    .strictObject({
      dGTINCom: gtin,
      dCantGTINCom: amount('montoTipo31'),
      dGTINInv: gtin,
      dCantComInvent: amount('montoTipo31'),
    })
    .optional(),
  gITBMSItem: z.strictObject({
    dTasaITBMS: code(['00', '01', '02', '03'], { width: 2 }),
    dValITBMS: amount('montoTipo06').optional(),
  }),
  gISCItem: z
    .strictObject({
      dTasaISC: code(ISC_RATES).optional(),
      dValISC: amount('montoTipo06').optional(),
    })
    .optional(),
  gOTIItem: z
    .array(
      z.strictObject({
        dCodOTI: code(codeList(OTHER_TAX_CODES), { width: 2 }),
        dValOTI: amount('montoTipo06'),
      }),
    )
    .optional(),
  gVehicNuevo: NewVehicleSchema.optional(),
  gMedicina: MedicineSchema.optional(),
  gPedComIr: ItemOrderSchema.optional(),
});
