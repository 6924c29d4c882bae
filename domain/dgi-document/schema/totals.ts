import { z } from 'zod';
import { OTHER_TAX_CODES, PAYMENT_METHODS, codeList } from '../catalogs/codes.js';
import { amount, code, integerText, panamaDateTime, text } from './primitives.js';

const total = () => amount('montoTipo01').optional();

/**
 * gTot (D01). The sums are computed by fepa when absent and checked when present; iPzPag and the
 * payments (gFormaPago) come from the integrator. dTotAcar/dTotSeg are invoice-level freight and insurance.
 */
export const TotalsSchema = z.strictObject({
  dTotNeto: total(),
  dTotITBMS: total(),
  dTotISC: total(),
  dTotGravado: total(),
  dTotDesc: total(),
  dTotAcar: total(),
  dTotSeg: total(),
  dVTot: total(),
  dTotRec: total(),
  dVuelto: total(),
  iPzPag: code(['1', '2', '3']),
  dNroItems: integerText({ maxDigits: 11 }).optional(),
  dVTotItems: total(),
  gDescBonif: z
    .array(z.strictObject({ dDetalDesc: text(1, 500), dValDesc: amount('montoTipo01') }))
    .max(5, 'must have at most 5 discounts')
    .optional(),
  gFormaPago: z
    .array(
      z.strictObject({
        iFormaPago: code(codeList(PAYMENT_METHODS), { width: 2 }),
        dFormaPagoDesc: text(10, 100).optional(),
        dVlrCuota: total(),
      }),
    )
    .min(1, 'must have at least one payment')
    .max(10, 'must have at most 10 payments'),
  gRetenc: z
    .strictObject({ cCodRetenc: code(['1', '2', '3', '4', '7', '8']), cValRetenc: amount('montoTipo01') })
    .optional(),
  gPagPlazo: z
    .array(
      z.strictObject({
        dSecItem: integerText({ maxDigits: 2, max: 99 }),
        dFecItPlazo: panamaDateTime,
        dValItPlazo: amount('montoTipo01'),
        dInfPagPlazo: text(15, 1000).optional(),
      }),
    )
    .max(99, 'must have at most 99 instalments')
    .optional(),
  gOTITotal: z
    .array(
      z.strictObject({
        dCodOTITotal: code(codeList(OTHER_TAX_CODES), { width: 2 }),
        dValOTITotal: amount('montoTipo01'),
      }),
    )
    .optional(),
});
