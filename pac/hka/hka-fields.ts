/**
 * The Factory HKA's field names for fepa's DGI model, in one table (spec hka.md §2–§3). HKA builds and
 * signs the rFE itself from these names, so every DGI field a document carries must be here, or in one
 * of the lists below that say why HKA does not need it; anything else is a validation issue for HKA
 * companies (hka-mapping.ts), never a silent drop.
 *
 * Paths: `[]` is "each position", kept the same on both sides; `[0]` is a fixed position (HKA numbers
 * repeated scalars: telefono1..3). Entries marked [ASSUMED] follow the DGI's structure where the public
 * sources list HKA's group without its inner names; docs/pac/hka.md says how to check each one.
 */
export const HKA_FIELDS: ReadonlyArray<readonly [dgi: string, hka: string]> = [
  // Document header: the branch, then datosTransaccion.
  ['gDGen.gEmis.dSucEm', 'codigoSucursalEmisor'],
  ['gDGen.iTipoSuc', 'tipoSucursal'],
  ['gDGen.iTpEmis', 'datosTransaccion.tipoEmision'],
  ['gDGen.dFechaCont', 'datosTransaccion.fechaInicioContingencia'],
  ['gDGen.dMotCont', 'datosTransaccion.motivoContingencia'],
  ['gDGen.iDoc', 'datosTransaccion.tipoDocumento'],
  ['gDGen.dNroDF', 'datosTransaccion.numeroDocumentoFiscal'],
  ['gDGen.dPtoFacDF', 'datosTransaccion.puntoFacturacionFiscal'],
  ['gDGen.dFechaEm', 'datosTransaccion.fechaEmision'],
  ['gDGen.dFechaSalida', 'datosTransaccion.fechaSalida'],
  ['gDGen.iNatOp', 'datosTransaccion.naturalezaOperacion'],
  ['gDGen.iTipoOp', 'datosTransaccion.tipoOperacion'],
  ['gDGen.iDest', 'datosTransaccion.destinoOperacion'],
  ['gDGen.iFormCAFE', 'datosTransaccion.formatoCAFE'],
  ['gDGen.iEntCAFE', 'datosTransaccion.entregaCAFE'],
  ['gDGen.dEnvFE', 'datosTransaccion.envioContenedor'],
  ['gDGen.iProGen', 'datosTransaccion.procesoGeneracion'],
  ['gDGen.iTipoTranVenta', 'datosTransaccion.tipoVenta'],
  ['gDGen.dInfEmFE', 'datosTransaccion.informacionInteres'],
  // The receiver (cliente).
  ['gDGen.gDatRec.iTipoRec', 'datosTransaccion.cliente.tipoClienteFE'],
  ['gDGen.gDatRec.gRucRec.dTipoRuc', 'datosTransaccion.cliente.tipoContribuyente'],
  ['gDGen.gDatRec.gRucRec.dRuc', 'datosTransaccion.cliente.numeroRUC'],
  ['gDGen.gDatRec.gRucRec.dDV', 'datosTransaccion.cliente.digitoVerificadorRUC'],
  ['gDGen.gDatRec.dNombRec', 'datosTransaccion.cliente.razonSocial'],
  ['gDGen.gDatRec.dDirecRec', 'datosTransaccion.cliente.direccion'],
  ['gDGen.gDatRec.gUbiRec.dCodUbi', 'datosTransaccion.cliente.codigoUbicacion'],
  ['gDGen.gDatRec.gUbiRec.dProv', 'datosTransaccion.cliente.provincia'],
  ['gDGen.gDatRec.gUbiRec.dDistr', 'datosTransaccion.cliente.distrito'],
  ['gDGen.gDatRec.gUbiRec.dCorreg', 'datosTransaccion.cliente.corregimiento'],
  ['gDGen.gDatRec.gIdExt.dIdExt', 'datosTransaccion.cliente.nroIdentificacionExtranjero'],
  ['gDGen.gDatRec.gIdExt.dPaisExt', 'datosTransaccion.cliente.paisExtranjero'],
  ['gDGen.gDatRec.dTfnRec[0]', 'datosTransaccion.cliente.telefono1'],
  ['gDGen.gDatRec.dTfnRec[1]', 'datosTransaccion.cliente.telefono2'],
  ['gDGen.gDatRec.dTfnRec[2]', 'datosTransaccion.cliente.telefono3'],
  ['gDGen.gDatRec.dCorElectRec[0]', 'datosTransaccion.cliente.correoElectronico1'],
  ['gDGen.gDatRec.dCorElectRec[1]', 'datosTransaccion.cliente.correoElectronico2'],
  ['gDGen.gDatRec.dCorElectRec[2]', 'datosTransaccion.cliente.correoElectronico3'],
  ['gDGen.gDatRec.cPaisRec', 'datosTransaccion.cliente.pais'],
  ['gDGen.gDatRec.dPaisRecDesc', 'datosTransaccion.cliente.paisOtro'],
  // Referenced documents (notes).
  [
    'gDGen.gDFRef[].dFechaDFRef',
    'datosTransaccion.listaDocsFiscalReferenciados.docFiscalReferenciado[].fechaEmisionDocFiscalReferenciado',
  ],
  [
    'gDGen.gDFRef[].gDFRefNum.gDFRefFE.dCUFERef',
    'datosTransaccion.listaDocsFiscalReferenciados.docFiscalReferenciado[].cufeFEReferenciada',
  ],
  [
    'gDGen.gDFRef[].gDFRefNum.gDFRefFacPap.dNroFacPap',
    'datosTransaccion.listaDocsFiscalReferenciados.docFiscalReferenciado[].nroFacturaPapel',
  ],
  [
    'gDGen.gDFRef[].gDFRefNum.gDFRefFacIE.dNroFacIE',
    'datosTransaccion.listaDocsFiscalReferenciados.docFiscalReferenciado[].nroFacturaImpFiscal',
  ],
  // Exports.
  ['gDGen.gFExp.cCondEntr', 'datosTransaccion.datosFacturaExportacion.condicionesEntrega'],
  ['gDGen.gFExp.cMoneda', 'datosTransaccion.datosFacturaExportacion.monedaOperExportacion'],
  ['gDGen.gFExp.cMonedaDesc', 'datosTransaccion.datosFacturaExportacion.monedaOperExportacionNonDef'],
  ['gDGen.gFExp.dCambio', 'datosTransaccion.datosFacturaExportacion.tipoDeCambio'],
  ['gDGen.gFExp.dVTotEst', 'datosTransaccion.datosFacturaExportacion.montoMonedaExtranjera'],
  ['gDGen.gFExp.dPuertoEmbarq', 'datosTransaccion.datosFacturaExportacion.puertoEmbarque'],
  // Who may download the document [ASSUMED: inner names].
  [
    'gDGen.gAutXML[].gRucAutXML.dTipoRuc',
    'listaAutorizadosDescargaFEyEventos.autorizado[].tipoContribuyente',
  ],
  ['gDGen.gAutXML[].gRucAutXML.dRuc', 'listaAutorizadosDescargaFEyEventos.autorizado[].numeroRUC'],
  ['gDGen.gAutXML[].gRucAutXML.dDV', 'listaAutorizadosDescargaFEyEventos.autorizado[].digitoVerificadorRUC'],
  // Items.
  ['gItem[].dDescProd', 'listaItems.item[].descripcion'],
  ['gItem[].dCodProd', 'listaItems.item[].codigo'],
  ['gItem[].cUnidad', 'listaItems.item[].unidadMedida'],
  ['gItem[].dCantCodInt', 'listaItems.item[].cantidad'],
  ['gItem[].dFechaFab', 'listaItems.item[].fechaFabricacion'],
  ['gItem[].dFechaCad', 'listaItems.item[].fechaCaducidad'],
  ['gItem[].dCodCPBSabr', 'listaItems.item[].codigoCPBSAbrev'],
  ['gItem[].dCodCPBScmp', 'listaItems.item[].codigoCPBS'],
  ['gItem[].cUnidadCPBS', 'listaItems.item[].unidadMedidaCPBS'],
  ['gItem[].dInfEmFE', 'listaItems.item[].infoItem'],
  ['gItem[].gPrecios.dPrUnit', 'listaItems.item[].precioUnitario'],
  ['gItem[].gPrecios.dPrUnitDesc', 'listaItems.item[].precioUnitarioDescuento'],
  ['gItem[].gPrecios.dPrItem', 'listaItems.item[].precioItem'],
  ['gItem[].gPrecios.dPrAcarItem', 'listaItems.item[].precioAcarreo'],
  ['gItem[].gPrecios.dPrSegItem', 'listaItems.item[].precioSeguro'],
  ['gItem[].gPrecios.dValTotItem', 'listaItems.item[].valorTotal'],
  ['gItem[].gCodItem.dGTINCom', 'listaItems.item[].codigoGTIN'],
  ['gItem[].gCodItem.dCantGTINCom', 'listaItems.item[].cantGTINCom'],
  ['gItem[].gCodItem.dGTINInv', 'listaItems.item[].codigoGTINInv'],
  ['gItem[].gCodItem.dCantComInvent', 'listaItems.item[].cantGTINComInv'],
  ['gItem[].gITBMSItem.dTasaITBMS', 'listaItems.item[].tasaITBMS'],
  ['gItem[].gITBMSItem.dValITBMS', 'listaItems.item[].valorITBMS'],
  ['gItem[].gISCItem.dTasaISC', 'listaItems.item[].tasaISC'],
  ['gItem[].gISCItem.dValISC', 'listaItems.item[].valorISC'],
  ['gItem[].gOTIItem[].dCodOTI', 'listaItems.item[].listaItemOTI.oti[].tasaOTI'],
  ['gItem[].gOTIItem[].dValOTI', 'listaItems.item[].listaItemOTI.oti[].valorTasa'],
  // Totals.
  ['gTot.dTotNeto', 'totalesSubTotales.totalPrecioNeto'],
  ['gTot.dTotITBMS', 'totalesSubTotales.totalITBMS'],
  ['gTot.dTotISC', 'totalesSubTotales.totalISC'],
  ['gTot.dTotGravado', 'totalesSubTotales.totalMontoGravado'],
  ['gTot.dTotDesc', 'totalesSubTotales.totalDescuento'],
  ['gTot.dTotAcar', 'totalesSubTotales.totalAcarreoCobrado'],
  ['gTot.dTotSeg', 'totalesSubTotales.valorSeguroCobrado'],
  ['gTot.dVTot', 'totalesSubTotales.totalFactura'],
  ['gTot.dTotRec', 'totalesSubTotales.totalValorRecibido'],
  ['gTot.dVuelto', 'totalesSubTotales.vuelto'],
  ['gTot.iPzPag', 'totalesSubTotales.tiempoPago'],
  ['gTot.dNroItems', 'totalesSubTotales.nroItems'],
  ['gTot.dVTotItems', 'totalesSubTotales.totalTodosItems'],
  ['gTot.gFormaPago[].iFormaPago', 'totalesSubTotales.listaFormaPago.formaPago[].formaPagoFact'],
  ['gTot.gFormaPago[].dFormaPagoDesc', 'totalesSubTotales.listaFormaPago.formaPago[].descFormaPago'],
  ['gTot.gFormaPago[].dVlrCuota', 'totalesSubTotales.listaFormaPago.formaPago[].valorCuotaPagada'],
  ['gTot.gPagPlazo[].dFecItPlazo', 'totalesSubTotales.listaPagoPlazo.pagoPlazo[].fechaVenceCuota'],
  ['gTot.gPagPlazo[].dValItPlazo', 'totalesSubTotales.listaPagoPlazo.pagoPlazo[].valorCuota'],
  ['gTot.gPagPlazo[].dInfPagPlazo', 'totalesSubTotales.listaPagoPlazo.pagoPlazo[].infoPagoCuota'],
  ['gTot.gOTITotal[].dCodOTITotal', 'totalesSubTotales.listaTotalOTI.totalOti[].codigoTotalOTI'],
  ['gTot.gOTITotal[].dValOTITotal', 'totalesSubTotales.listaTotalOTI.totalOti[].valorTotalOTI'],
  // [ASSUMED: repeated] the DGI allows five discounts; HKA's group is read as repeatable.
  ['gTot.gDescBonif[].dDetalDesc', 'totalesSubTotales.descuentoBonificacion[].descDescuento'],
  ['gTot.gDescBonif[].dValDesc', 'totalesSubTotales.descuentoBonificacion[].montoDescuento'],
  ['gTot.gRetenc.cCodRetenc', 'datosTransaccion.retencion.codigoRetencion'],
  ['gTot.gRetenc.cValRetenc', 'datosTransaccion.retencion.montoRetencion'],
];

/**
 * DGI fields HKA takes from the company's registration with HKA (the account behind `tokenEmpresa`),
 * not from the request: the emitter and the environment (demo or production credentials). After
 * authorization fepa reads the emitter back from HKA's signed XML.
 */
export const HKA_ACCOUNT_FIELDS: readonly string[] = [
  'gDGen.iAmb',
  'gDGen.gEmis.gRucEmi.dTipoRuc',
  'gDGen.gEmis.gRucEmi.dRuc',
  'gDGen.gEmis.gRucEmi.dDV',
  'gDGen.gEmis.dNombEm',
  'gDGen.gEmis.dCoordEm',
  'gDGen.gEmis.dDirecEm',
  'gDGen.gEmis.gUbiEm.dCodUbi',
  'gDGen.gEmis.gUbiEm.dCorreg',
  'gDGen.gEmis.gUbiEm.dDistr',
  'gDGen.gEmis.gUbiEm.dProv',
  'gDGen.gEmis.dTfnEm[]',
  'gDGen.gEmis.dCorElectEmi[]',
];

/** DGI fields HKA computes: the format version, the CUFE and its security code. */
export const HKA_COMPUTED_FIELDS: readonly string[] = ['dVerForm', 'dId', 'gDGen.dSeg'];

/** Sequence numbers HKA gives by position (1…n): carried only when they are exactly that. */
export const HKA_POSITIONAL_FIELDS: readonly string[] = ['gItem[].dSecItem', 'gTot.gPagPlazo[].dSecItem'];

/**
 * DGI fields HKA derives from the emitter: a referenced document's emitter RUC and name. HKA's
 * reference group has no place for them, so fepa carries them only when they are the emitter's own
 * (a note on the company's own invoice); a reference to another emitter's document is an issue.
 */
export const HKA_EMITTER_DERIVED_FIELDS: ReadonlyArray<readonly [dgi: string, emitter: string]> = [
  ['gDGen.gDFRef[].gRucEmDFRef.dTipoRuc', 'gDGen.gEmis.gRucEmi.dTipoRuc'],
  ['gDGen.gDFRef[].gRucEmDFRef.dRuc', 'gDGen.gEmis.gRucEmi.dRuc'],
  ['gDGen.gDFRef[].gRucEmDFRef.dDV', 'gDGen.gEmis.gRucEmi.dDV'],
  ['gDGen.gDFRef[].dNombEmRef', 'gDGen.gEmis.dNombEm'],
];
