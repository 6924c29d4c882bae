/**
 * Gurusoft eDoc's wire format (API 4.0), in one module. Authentication, emission and annulment follow
 * public clients ([C]/[S]); the status query and XML download paths are not public for Panama ([U]) and
 * follow the simulator's contract. `CodigoRespuesta` (sub-code of Estado 15) is fepa's assumption too:
 * it lets state 15 be classified by code instead of by message text.
 */
export const EDOC_SERVICE = {
  emission: 1,
  reception: 2,
  query: 3,
  receptionQuery: 4,
  manifest: 15,
  annulment: 16,
} as const;
export type EdocService = keyof typeof EDOC_SERVICE;

export const EDOC_PATHS = {
  token: (serviceId: number) => `/Autenticacion/Api/ServicioEDOC?Id=${serviceId}`,
  invoice: '/Emision/Api/Factura',
  creditNote: '/Emision/Api/NotaCredito',
  debitNote: '/Emision/Api/NotaDebito',
  /**
   * The "…FirmadaEnte" variants (emp docs [S]): a document the emitter built and signed, which eDoc only
   * transmits, so its CUFE stays. Used for contingency copies fepa signed [U: meaning inferred, body below].
   */
  signedInvoice: '/Emision/Api/FacturaFirmadaEnte',
  signedCreditNote: '/Emision/Api/NotaCreditoFirmadaEnte',
  signedDebitNote: '/Emision/Api/NotaDebitoFirmadaEnte',
  annul: '/Emision/Eventos/API/Anulacion',
  status: '/Emision/Consulta/Estado/Api/Documento',
  xml: '/Emision/Consulta/Api/DocumentoXml',
  /** Service 2, reception: the documents the DGI holds for the company as receiver [U: path and shape]. */
  receptionInbox: '/Recepcion/Api/Documentos',
  /** Service 4, reception query: the DGI's status of any emitter's document by CUFE [U: path and shape]. */
  receptionStatus: '/Recepcion/Consulta/Api/Documento',
  /** Service 15, receiver manifest (`ManifiestoReceptor` in the emp docs) [U: path and body]. */
  manifest: '/Recepcion/Eventos/Api/ManifiestoReceptor',
} as const;

/** Emission endpoint by document type: notes have their own; `signed` for a document the emitter signed. */
export function edocEmissionPath(iDoc: string, signed = false): string {
  if (iDoc === '04' || iDoc === '06') return signed ? EDOC_PATHS.signedCreditNote : EDOC_PATHS.creditNote;
  if (iDoc === '05' || iDoc === '07') return signed ? EDOC_PATHS.signedDebitNote : EDOC_PATHS.debitNote;
  return signed ? EDOC_PATHS.signedInvoice : EDOC_PATHS.invoice;
}

/** The body of a "…FirmadaEnte" call: the signed rFE as text, beside eDoc's extras [U]. */
export const edocSignedBody = (signedXml: string, extras: Record<string, unknown> = {}) => ({
  ...extras,
  XmlFirmado: signedXml,
});

export interface EdocCredentials {
  user: string;
  password: string;
}

export interface EdocToken {
  token: string;
  expedido: string;
  expira: string;
  codigoError?: string | null;
  mensajeRespuesta?: string | null;
}

export interface RespuestaEdoc {
  Estado?: string | number;
  Cufe?: string | null;
  MensajeRespuesta?: string | null;
  CodigoRespuesta?: string | null;
  XML?: string | null;
  UrlCodeQR?: string | null;
  Protocolo?: string | null;
  FechaAutorizacion?: string | null;
  ErroresDGI?: Array<{ Codigo: string; Mensaje: string }> | null;
}

export interface RespuestaAnulacion {
  estado?: string | number;
  fechaAutorizacion?: string | null;
  codigoRespuestaDGI?: string | null;
  mensajeRespuesta?: string | null;
}

/** eDoc's extra emission fields (product documentation): passed through when the company sets them. */
export const EDOC_EXTRA_FIELDS = [
  'CorreoResponsable',
  'CodigoDocumentoERP',
  'CodigoUnicoERP',
  'Usuario',
  'NombreIntegracion',
  'IpOrigen',
  'AutorizacionPrevia',
  ...Array.from({ length: 10 }, (_, i) => `Campo${i + 1}`),
] as const;

export const basicAuth = (c: EdocCredentials) =>
  `Basic ${Buffer.from(`${c.user}:${c.password}`).toString('base64')}`;

/** Service 2's answer, as fepa assumes it [U]: the documents addressed to the company, each with its XML. */
export interface RecepcionDocumentos {
  Estado?: string | number;
  MensajeRespuesta?: string | null;
  Documentos?: Array<{ Cufe?: string; XML?: string }> | null;
}
