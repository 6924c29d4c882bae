import { z } from 'zod';
import { LocationSchema, RucSchema } from './parties.js';
import { amount, code, integerText, oneOrMany, phone, text } from './primitives.js';

/** gPedComGl (F10): the purchase order of the whole document. */
export const OrderSchema = z.strictObject({
  dNroPed: integerText({ maxDigits: 12, min: 1 }),
  dNumAcept: oneOrMany(text(1, 12), 0, 50).optional(),
  dInfEmPedGl: text(1, 5000).optional(),
});

/** gInfoLog (F20): transport. */
export const LogisticsSchema = z.strictObject({
  dNroVols: integerText({ maxDigits: 3, min: 1 }).optional(),
  dPesoTot: amount('totalWeight').optional(),
  dUnPesoTot: code(['1', '2', '3', '4']).optional(),
  dLicCamion: text(6, 6).optional(),
  dNomTransp: text(5, 100),
  gRucTransp: RucSchema,
  dInfEmLog: text(1, 5000).optional(),
});

/** gLcEntr (F25): delivery place. */
export const DeliverySchema = z.strictObject({
  gRucLcEntr: RucSchema.optional(),
  dNombLcEntr: text(2, 100),
  dDirecLcEntr: text(1, 100),
  gUbiLcEntr: LocationSchema,
  dTfnLcEntr: phone.optional(),
  dTfnAdLcEntr: phone.optional(),
});
