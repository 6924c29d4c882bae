import { z } from 'zod';
import { COUNTRIES } from '../catalogs/generated/countries.js';
import { LOCATIONS } from '../catalogs/generated/locations.js';
import { FORMAT_PROFILE } from '../format-profile.js';
import {
  branchCode,
  checkDigits,
  code,
  coordinates,
  email,
  oneOrMany,
  phone,
  ruc,
  text,
} from './primitives.js';

/** RucType: tipo (1 natural, 2 jurídica), RUC as registered, DV. */
export const RucSchema = z.strictObject({
  dTipoRuc: code(['1', '2']),
  dRuc: ruc,
  dDV: checkDigits,
});

/** RucRecType: as RucType, but the DV is optional (final consumers). */
export const ReceiverRucSchema = z.strictObject({
  dTipoRuc: code(['1', '2']),
  dRuc: ruc,
  dDV: checkDigits.optional(),
});

/** cCodUbicType: location code from the DGI catalog, then the corregimiento, district and province names. */
export const LocationSchema = z.strictObject({
  dCodUbi: code(Object.keys(LOCATIONS), { listName: 'locations (province-district-corregimiento)' }),
  dCorreg: text(1, 50),
  dDistr: text(1, 50),
  dProv: text(1, 50),
});

/** gEmis (B30): the emitter and the branch that issues. */
export const EmitterSchema = z.strictObject({
  gRucEmi: RucSchema,
  dNombEm: text(1, FORMAT_PROFILE.emitterNameMaxLength),
  dSucEm: branchCode,
  dCoordEm: coordinates,
  dDirecEm: text(1, 100),
  gUbiEm: LocationSchema,
  dTfnEm: oneOrMany(phone, 1, 3),
  dCorElectEmi: oneOrMany(email, 0, 3).optional(),
});

/** gDatRec (B40): the receiver. Which fields are required depends on iTipoRec (business rules). */
export const ReceiverSchema = z.strictObject({
  iTipoRec: code(['01', '02', '03', '04'], { width: 2 }),
  gRucRec: ReceiverRucSchema.optional(),
  dNombRec: text(2, FORMAT_PROFILE.receiverNameMaxLength).optional(),
  dDirecRec: text(1, 100).optional(),
  gUbiRec: LocationSchema.optional(),
  gIdExt: z.strictObject({ dIdExt: text(1, 50), dPaisExt: text(2, 100).optional() }).optional(),
  dTfnRec: oneOrMany(phone, 0, 3).optional(),
  dCorElectRec: oneOrMany(email, 0, 3).optional(),
  cPaisRec: code(Object.keys(COUNTRIES), { listName: 'countries' }),
  dPaisRecDesc: text(5, 50).optional(),
});
