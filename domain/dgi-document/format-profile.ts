/**
 * The two revisions of the DGI's technical sheet fepa writes, chosen per process by `FEPA_DGI_CODE_LISTS`
 * (`2025`, the default, or `2019`; API, worker and CLI alike). What differs between them, and where each value
 * comes from:
 *
 * | value | 2019 | 2025 | source |
 * | --- | --- | --- | --- |
 * | codes added after the XSD copy (`iDoc` 10, `iNatOp` 03/04, `iFormaPago` 09, `dCodOTI` 03–11) | no | yes | [PAC] sources (spec §16) |
 * | `dNombEm`, `dNombRec` length | 100 | 200 | 2019: the XSD copy (`FE_v1.00.xsd`, maxLength 100) [XSD]; 2025: the April 2025 revision, in force since 22 April 2025, per secondary sources only [UNCERTAIN] |
 * | `dCorElectRec` length | 100 | 100 | 2025 revision per secondary sources [UNCERTAIN]; the XSD copy has no limit, fepa kept 100 for both |
 *
 * Not carried yet, for want of a public source that gives them: the revision's new phone formats (the
 * phone pattern is the XSD's, `schema/primitives.ts`) and its "otros gastos" amount (no public source names its
 * DGI field or its place in `gTot`). A document with 101–200 character names fails the 2019 XSD copy's schema
 * check: that is the schema's age, as with the newer codes.
 */
const REVISIONS = {
  '2019': { emitterNameMaxLength: 100, receiverNameMaxLength: 100, acceptPost2025Codes: false },
  '2025': { emitterNameMaxLength: 200, receiverNameMaxLength: 200, acceptPost2025Codes: true },
} as const;

/** The revision this process writes and reads (`FEPA_DGI_CODE_LISTS`). */
export const FORMAT_REVISION: keyof typeof REVISIONS =
  (globalThis.process?.env?.FEPA_DGI_CODE_LISTS ?? '2025') === '2019' ? '2019' : '2025';

/**
 * Every choice the spec marks [UNCERTAIN] or newer than the XSD copy, in one place (spec §16).
 * Change a value here when your PAC or the DGI's current technical sheet says otherwise.
 */
export const FORMAT_PROFILE = {
  revision: FORMAT_REVISION,
  /** `dVerForm`. */
  formatVersion: '1.00',
  /** `dMotCont` length: 15–250 per the XSD and HKA (one TS model says 150). */
  contingencyReasonMaxLength: 250,
  /** `dNombEm` length: 100 in the XSD copy, 200 in the April 2025 revision (REVISIONS above). */
  emitterNameMaxLength: REVISIONS[FORMAT_REVISION].emitterNameMaxLength,
  /** `dNombRec` length: as `dNombEm`. */
  receiverNameMaxLength: REVISIONS[FORMAT_REVISION].receiverNameMaxLength,
  /** `dCorElectRec` length (raised to 100 in 2025 per secondary sources; the XSD copy has no limit). */
  receiverEmailMaxLength: 100,
  /**
   * Accept codes added after the XSD copy ([PAC] sources): `iDoc` 10, `iNatOp` 03/04, `iFormaPago` 09,
   * `dCodOTI` 03–11. Documents using them do not validate against the old XSD copy (the optional
   * schema check says "schema older than the document's codes"). `FEPA_DGI_CODE_LISTS=2019` turns them
   * off in every process (API, worker, CLI) for PACs still on the 2019 lists.
   */
  acceptPost2025Codes: REVISIONS[FORMAT_REVISION].acceptPost2025Codes,
  /** `dTotGravado` is the sum of taxes (ITBMS + ISC + OTI), as the DGI-authorized sample does (§6 note 1). */
  taxedTotalIsSumOfTaxes: true,
  /** `dVTot` adds invoice-level freight and insurance ([PAC], HKA); the sample has neither (§6 note 2). */
  totalAddsInvoiceFreightAndInsurance: true,
  /**
   * Decimals of the item amounts fepa computes (dPrItem, dValITBMS, dValISC, dValTotItem). 6, as the
   * documents the DGI authorizes in production carry (montoTipo06 allows 2–6); the DGI's 2019 test sample
   * rounded items to 2, which is still accepted on input. Totals are always 2 decimals (rounding.ts).
   */
  itemAmountDecimals: 6 as 2 | 6,
  /**
   * How far a sent item amount may be from its exact formula value: half a cent, the largest rounding a
   * 2-decimal writing carries (rounding.ts). The DGI's own tolerance is unpublished.
   */
  itemAmountTolerance: '0.005',
  /** Item total includes Σ dValOTI ([PAC]). */
  itemTotalIncludesOtherTaxes: true,
  /** Panama has one offset all year (no DST). */
  panamaUtcOffset: '-05:00',
  /** QR base URLs per environment (§12). The test host is [UNCERTAIN]: `dgi-fep-test…:40001` per the signed sample. */
  qrBaseUrl: {
    '1': 'https://dgi-fep.mef.gob.pa/Consultas/FacturasPorQR?',
    '2': 'https://dgi-fep-test.mef.gob.pa:40001/Consultas/FacturasPorQR?',
  },
  /**
   * Where anyone checks a document by its CUFE, printed on the CAFE (§12, no key needed). The test host
   * follows the QR's; one source writes `…/FacturasPorCUFE?CUFE=<CUFE>` instead [UNCERTAIN].
   */
  cufeConsultUrl: {
    '1': 'https://dgi-fep.mef.gob.pa/Consultas/FacturasPorCUFE/',
    '2': 'https://dgi-fep-test.mef.gob.pa:40001/Consultas/FacturasPorCUFE/',
  },
} as const;
