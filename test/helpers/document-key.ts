import type { DgiDocument } from '../../domain/dgi-document/index.js';
import type { DocumentKey } from '../../pac/pac-adapter.js';

/** The business key a PAC finds a document by, read from the document itself. */
export const documentKeyOf = (doc: DgiDocument): DocumentKey => ({
  environment: doc.gDGen.iAmb as '1' | '2',
  emitterRuc: doc.gDGen.gEmis.gRucEmi.dRuc,
  branch: doc.gDGen.gEmis.dSucEm,
  pointOfSale: doc.gDGen.dPtoFacDF,
  number: doc.gDGen.dNroDF,
  docType: doc.gDGen.iDoc,
  emissionType: doc.gDGen.iTpEmis,
});
