import { z } from 'zod';
import { FORMAT_PROFILE } from '../format-profile.js';
import { GeneralDataSchema } from './general-data.js';
import { ItemSchema } from './items.js';
import { DeliverySchema, LogisticsSchema, OrderSchema } from './logistics.js';
import { cufeText } from './primitives.js';
import { TotalsSchema } from './totals.js';

/**
 * The document as integrators send it: the DGI's own field names and groups (`gDGen`, `gItem[]`,
 * `gTot`…). `dVerForm`, `dId` (CUFE), `dSeg`, `dSecItem` and the computed amounts may be left out.
 */
export const DocumentSchema = z.strictObject({
  dVerForm: z.literal(FORMAT_PROFILE.formatVersion).optional(),
  dId: cufeText.optional(),
  gDGen: GeneralDataSchema,
  gItem: z.array(ItemSchema).min(1, 'must have at least one item').max(1000, 'must have at most 1000 items'),
  gTot: TotalsSchema,
  gPedComGl: OrderSchema.optional(),
  gInfoLog: LogisticsSchema.optional(),
  gLcEntr: DeliverySchema.optional(),
});

/** What an integrator may send (before normalisation). */
export type DocumentInput = z.input<typeof DocumentSchema>;
/** A parsed document: codes and amounts normalised, computed fields possibly still missing. */
export type ParsedDocument = z.output<typeof DocumentSchema>;
