/**
 * The element order of `rFE` (FE_v1.00.xsd), in one table that both the XML writer and the reader
 * follow. Every group is an `xs:sequence`; the DGI rejects elements out of order.
 */
export interface LayoutNode {
  name: string;
  /** Present for groups; absent for elements holding text. */
  children?: Layout;
  /** The element may repeat; the model holds an array. */
  repeated?: boolean;
}
export type Layout = readonly LayoutNode[];

const leaf = (name: string): LayoutNode => ({ name });
const leaves = (...names: string[]): LayoutNode[] => names.map(leaf);
const repeatedLeaf = (name: string): LayoutNode => ({ name, repeated: true });
const group = (name: string, children: Layout): LayoutNode => ({ name, children });
const repeatedGroup = (name: string, children: Layout): LayoutNode => ({ name, children, repeated: true });

const RUC = leaves('dTipoRuc', 'dRuc', 'dDV');
const LOCATION = leaves('dCodUbi', 'dCorreg', 'dDistr', 'dProv');

const EMITTER: Layout = [
  group('gRucEmi', RUC),
  ...leaves('dNombEm', 'dSucEm', 'dCoordEm', 'dDirecEm'),
  group('gUbiEm', LOCATION),
  repeatedLeaf('dTfnEm'),
  repeatedLeaf('dCorElectEmi'),
];

const RECEIVER: Layout = [
  leaf('iTipoRec'),
  group('gRucRec', RUC),
  ...leaves('dNombRec', 'dDirecRec'),
  group('gUbiRec', LOCATION),
  group('gIdExt', leaves('dIdExt', 'dPaisExt')),
  repeatedLeaf('dTfnRec'),
  repeatedLeaf('dCorElectRec'),
  ...leaves('cPaisRec', 'dPaisRecDesc'),
];

const REFERENCE: Layout = [
  group('gRucEmDFRef', RUC),
  ...leaves('dNombEmRef', 'dFechaDFRef'),
  group('gDFRefNum', [
    group('gDFRefFE', leaves('dCUFERef')),
    group('gDFRefFacPap', leaves('dNroFacPap')),
    group('gDFRefFacIE', leaves('dNroFacIE')),
  ]),
];

const GENERAL_DATA: Layout = [
  ...leaves('iAmb', 'iTpEmis', 'dFechaCont', 'dMotCont', 'iDoc', 'dNroDF', 'dPtoFacDF', 'dSeg', 'dFechaEm'),
  ...leaves('dFechaSalida', 'iNatOp', 'iTipoOp', 'iDest', 'iFormCAFE', 'iEntCAFE', 'dEnvFE', 'iProGen'),
  ...leaves('iTipoTranVenta', 'iTipoSuc', 'dInfEmFE'),
  group('gEmis', EMITTER),
  group('gDatRec', RECEIVER),
  group('gFExp', leaves('cCondEntr', 'cMoneda', 'cMonedaDesc', 'dCambio', 'dVTotEst', 'dPuertoEmbarq')),
  repeatedGroup('gDFRef', REFERENCE),
  repeatedGroup('gAutXML', [group('gRucAutXML', RUC)]),
];

const VEHICLE = leaves(
  ...[
    'iModOpVN',
    'dModOpVNDesc',
    'dChasi',
    'dColorCod',
    'dColorNomb',
    'dPotVeh',
    'dCilin',
    'dPesoNet',
    'dPesoBruto',
  ],
  ...['iCombust', 'dCombustDesc', 'dNroMotor', 'dCapTracc', 'dEntreEj', 'dAnoMod', 'dAnoFab', 'iTipoPintura'],
  ...['dTipoPinturaDesc', 'cTipoVehic', 'cUsoVehic', 'iCondVehic', 'dLotac'],
);

const ITEM: Layout = [
  ...leaves('dSecItem', 'dDescProd', 'dCodProd', 'cUnidad', 'dCantCodInt', 'dFechaFab', 'dFechaCad'),
  ...leaves('dCodCPBSabr', 'dCodCPBScmp', 'cUnidadCPBS', 'dInfEmFE'),
  group('gPrecios', leaves('dPrUnit', 'dPrUnitDesc', 'dPrItem', 'dPrAcarItem', 'dPrSegItem', 'dValTotItem')),
  group('gCodItem', leaves('dGTINCom', 'dCantGTINCom', 'dGTINInv', 'dCantComInvent')),
  group('gITBMSItem', leaves('dTasaITBMS', 'dValITBMS')),
  group('gISCItem', leaves('dTasaISC', 'dValISC')),
  repeatedGroup('gOTIItem', leaves('dCodOTI', 'dValOTI')),
  group('gVehicNuevo', VEHICLE),
  group('gMedicina', leaves('dNroLote', 'dCtLote')),
  group('gPedComIr', leaves('dNroPed', 'dSecItemPed', 'dInfEmPedIt')),
];

const TOTALS: Layout = [
  ...leaves('dTotNeto', 'dTotITBMS', 'dTotISC', 'dTotGravado', 'dTotDesc', 'dTotAcar', 'dTotSeg', 'dVTot'),
  ...leaves('dTotRec', 'dVuelto', 'iPzPag', 'dNroItems', 'dVTotItems'),
  repeatedGroup('gDescBonif', leaves('dDetalDesc', 'dValDesc')),
  repeatedGroup('gFormaPago', leaves('iFormaPago', 'dFormaPagoDesc', 'dVlrCuota')),
  group('gRetenc', leaves('cCodRetenc', 'cValRetenc')),
  repeatedGroup('gPagPlazo', leaves('dSecItem', 'dFecItPlazo', 'dValItPlazo', 'dInfPagPlazo')),
  repeatedGroup('gOTITotal', leaves('dCodOTITotal', 'dValOTITotal')),
];

/** Children of `rFE` before `Signature` (which the signer adds) and `gNoFirm` (the QR, added after signing). */
export const RFE_LAYOUT: Layout = [
  ...leaves('dVerForm', 'dId'),
  group('gDGen', GENERAL_DATA),
  repeatedGroup('gItem', ITEM),
  group('gTot', TOTALS),
  group('gPedComGl', [leaf('dNroPed'), repeatedLeaf('dNumAcept'), leaf('dInfEmPedGl')]),
  group('gInfoLog', [
    ...leaves('dNroVols', 'dPesoTot', 'dUnPesoTot', 'dLicCamion', 'dNomTransp'),
    group('gRucTransp', RUC),
    leaf('dInfEmLog'),
  ]),
  group('gLcEntr', [
    group('gRucLcEntr', RUC),
    ...leaves('dNombLcEntr', 'dDirecLcEntr'),
    group('gUbiLcEntr', LOCATION),
    ...leaves('dTfnLcEntr', 'dTfnAdLcEntr'),
  ]),
];

export const DGI_NAMESPACE = 'http://dgi-fep.mef.gob.pa';
export const XMLDSIG_NAMESPACE = 'http://www.w3.org/2000/09/xmldsig#';
