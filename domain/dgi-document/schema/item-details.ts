import { z } from 'zod';
import { amount, code, integerText, text } from './primitives.js';

/** gVehicNuevo (E05): new vehicles. Fields in schema order. */
export const NewVehicleSchema = z.strictObject({
  iModOpVN: code(['01', '02', '03', '04', '99'], { width: 2 }),
  dModOpVNDesc: text(10, 50).optional(),
  dChasi: text(17, 17),
  dColorCod: text(1, 4),
  dColorNomb: text(1, 40).optional(),
  dPotVeh: integerText({ maxDigits: 4, min: 1 }).optional(),
  dCilin: integerText({ maxDigits: 4, min: 1 }).optional(),
  dPesoNet: amount('measure').optional(),
  dPesoBruto: amount('measure').optional(),
  iCombust: code(['01', '02', '03', '08', '09', '99'], { width: 2 }),
  dCombustDesc: text(10, 50).optional(),
  dNroMotor: text(1, 21),
  dCapTracc: amount('measure').optional(),
  dEntreEj: amount('measure').optional(),
  dAnoMod: integerText({ maxDigits: 4 }).optional(),
  dAnoFab: integerText({ maxDigits: 4 }).optional(),
  iTipoPintura: code(['1', '2', '3', '4', '9']).optional(),
  dTipoPinturaDesc: text(10, 50).optional(),
  cTipoVehic: code(['1', '2', '3', '4', '5', '6']),
  cUsoVehic: code(['1', '2']),
  iCondVehic: code(['1', '2', '3']).optional(),
  dLotac: integerText({ maxDigits: 3, min: 1 }).optional(),
});

/** gMedicina (E10): medicines and materials, by lot. */
export const MedicineSchema = z.strictObject({
  dNroLote: text(5, 35),
  dCtLote: integerText({ maxDigits: 18 }),
});

/** gPedComIr (E15): the purchase order line this item answers. */
export const ItemOrderSchema = z.strictObject({
  dNroPed: integerText({ maxDigits: 9, min: 1 }),
  dSecItemPed: integerText({ maxDigits: 3, min: 1 }),
  dInfEmPedIt: text(1, 5000),
});
