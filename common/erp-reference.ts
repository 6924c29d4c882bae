/**
 * What the integrator's ERP keeps to find its documents again (Gurusoft eDoc's document API carries the same
 * kind of fields beside the DGI ones). Outside the signed XML: fepa stores it, returns it wherever the document
 * appears (API, webhooks, `fepa doc show`) and makes `uniqueCode` unique per company and searchable.
 */
export interface ErpReference {
  /** The ERP's own unique id of this document: unique per company, a list filter and a search attribute. */
  uniqueCode?: string;
  /** The ERP's document code (its own numbering, which may repeat across series). */
  documentCode?: string;
  /** Who issued it in the ERP. */
  user?: string;
  /** The e-mail of the person responsible for it. */
  responsibleEmail?: string;
  /** Which integration sent it. */
  integration?: string;
  /** Up to ten free fields. */
  free?: string[];
}
