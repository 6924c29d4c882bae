/**
 * Every choice the spec marks [UNCERTAIN] or newer than the XSD copy, in one place (spec §16).
 * Change a value here when your PAC or the DGI's current technical sheet says otherwise.
 */
export const FORMAT_PROFILE = {
  /** `dVerForm`. */
  formatVersion: '1.00',
  /** `dMotCont` length: 15–250 per the XSD and HKA (one TS model says 150). */
  contingencyReasonMaxLength: 250,
  /** `dNombEm` length: 100 in the XSD copy (200 after the April 2025 change, per secondary sources). */
  emitterNameMaxLength: 100,
  /** `dCorElectRec` length (raised to 100 in 2025 per secondary sources; the XSD copy has no limit). */
  receiverEmailMaxLength: 100,
  /**
   * Accept codes added after the XSD copy ([PAC] sources): `iDoc` 10, `iNatOp` 03/04, `iFormaPago` 09,
   * `dCodOTI` 03–11. Documents using them do not validate against the old XSD copy (the optional
   * schema check says "schema older than the document's codes"). `FEPA_DGI_CODE_LISTS=2019` turns them
   * off in every process (API, worker, CLI) for PACs still on the 2019 lists.
   */
  acceptPost2025Codes: (globalThis.process?.env?.FEPA_DGI_CODE_LISTS ?? '2025') !== '2019',
  /** `dTotGravado` is the sum of taxes (ITBMS + ISC + OTI), as the DGI-authorized sample does (§6 note 1). */
  taxedTotalIsSumOfTaxes: true,
  /** `dVTot` adds invoice-level freight and insurance ([PAC], HKA); the sample has neither (§6 note 2). */
  totalAddsInvoiceFreightAndInsurance: true,
  /**
   * Decimals of the item amounts fepa computes (dPrItem, dValITBMS, dValISC, dValTotItem). 6, as the
   * documents the DGI authorizes in production carry (montoTipo06 allows 2–6); the DGI's 2019 test sample
   * rounded items to 2, which is still accepted on input. Totals are always 2 decimals (rounding.ts).
   */
  itemAmountDecimals: 6,
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
