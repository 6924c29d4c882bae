import type { DocumentKey } from '../pac-adapter.js';
import type { HkaTree } from './hka-mapping.js';
import { soapEnvelope, type SoapParameter } from './hka-soap.js';

/**
 * The Factory HKA's SOAP interface (spec hka.md §1–§2), in one module: path, actions, namespaces,
 * parameter shapes and the names of repeated elements. Where the public sources disagree, the choice is
 * a constant here.
 */
export const HKA_SERVICE_PATH = '/ws/obj/v1.0/Service.svc';
export const hkaSoapAction = (operation: HkaOperation) => `http://tempuri.org/IService/${operation}`;

export const HKA_OPERATIONS = [
  'Enviar',
  'EstadoDocumento',
  'AnulacionDocumento',
  'DescargaXML',
  'DescargaPDF',
  'FoliosRestantes',
  'EnvioCorreo',
  'RastreoCorreo',
  'ConsultarRucDV',
] as const;
export type HkaOperation = (typeof HKA_OPERATIONS)[number];

/** WCF data-contract namespaces (after `http://schemas.datacontract.org/2004/07/`). */
export const HKA_CONTENT_NAMESPACES = {
  documento: 'Services.ObjComprobante.v1_0',
  datosDocumento: 'Services.Model',
  consultarRucDVRequest: 'Services.ApiRest',
} as const;

/**
 * [UNCERTAIN] isfehka sends the annulment's parameters flat (tokens, motivoAnulacion, datosDocumento);
 * HKA-SDK wraps them in `anulacionDocumentoRequest`. fepa follows isfehka, which runs in production.
 */
export const HKA_ANNULMENT_WRAPPED = false;

/** Elements that are lists even when they hold one entry (requests and answers). */
export const HKA_LIST_ELEMENTS: ReadonlySet<string> = new Set([
  'item',
  'oti',
  'docFiscalReferenciado',
  'formaPago',
  'pagoPlazo',
  'totalOti',
  'descuentoBonificacion',
  'autorizado',
  'RastreoCorreo',
]);

export interface HkaCredentials {
  tokenEmpresa: string;
  tokenPassword: string;
}

/** `datosDocumento`: how HKA finds a document (branch, number, point, type, emission type). */
export function datosDocumento(key: DocumentKey): HkaTree {
  return {
    codigoSucursalEmisor: key.branch,
    numeroDocumentoFiscal: key.number,
    puntoFacturacionFiscal: key.pointOfSale,
    tipoDocumento: key.docType,
    tipoEmision: key.emissionType,
  };
}

/** What each operation takes besides the tokens. */
export type HkaRequest =
  | { operation: 'Enviar'; documento: HkaTree }
  | { operation: 'EstadoDocumento' | 'DescargaXML' | 'DescargaPDF'; key: DocumentKey }
  | { operation: 'AnulacionDocumento'; key: DocumentKey; motivoAnulacion: string }
  | { operation: 'EnvioCorreo'; key: DocumentKey; correo: string }
  | { operation: 'RastreoCorreo'; cufe: string }
  | { operation: 'FoliosRestantes' }
  | { operation: 'ConsultarRucDV'; tipoRuc: '1' | '2'; ruc: string };

/** The request envelope; `redact` writes the tokens as `[redacted]` (the copy kept for audit). */
export function hkaEnvelope(request: HkaRequest, credentials: HkaCredentials, redact = false): string {
  const tokens: SoapParameter[] = [
    { name: 'tokenEmpresa', value: redact ? '[redacted]' : credentials.tokenEmpresa },
    { name: 'tokenPassword', value: redact ? '[redacted]' : credentials.tokenPassword },
  ];
  const located = (key: DocumentKey): SoapParameter => ({
    name: 'datosDocumento',
    value: datosDocumento(key),
    contentNamespace: HKA_CONTENT_NAMESPACES.datosDocumento,
  });
  switch (request.operation) {
    case 'Enviar':
      return soapEnvelope('Enviar', [
        ...tokens,
        { name: 'documento', value: request.documento, contentNamespace: HKA_CONTENT_NAMESPACES.documento },
      ]);
    case 'EstadoDocumento':
    case 'DescargaXML':
    case 'DescargaPDF':
      return soapEnvelope(request.operation, [...tokens, located(request.key)]);
    case 'AnulacionDocumento': {
      const parameters = [
        ...tokens,
        { name: 'motivoAnulacion', value: request.motivoAnulacion },
        located(request.key),
      ];
      return HKA_ANNULMENT_WRAPPED
        ? soapEnvelope('AnulacionDocumento', [
            {
              name: 'anulacionDocumentoRequest',
              value: Object.fromEntries(parameters.map((p) => [p.name, p.value])),
              contentNamespace: HKA_CONTENT_NAMESPACES.datosDocumento,
            },
          ])
        : soapEnvelope('AnulacionDocumento', parameters);
    }
    case 'EnvioCorreo':
      return soapEnvelope('EnvioCorreo', [
        ...tokens,
        located(request.key),
        { name: 'correo', value: request.correo },
      ]);
    case 'RastreoCorreo':
      return soapEnvelope('RastreoCorreo', [...tokens, { name: 'cufe', value: request.cufe }]);
    case 'FoliosRestantes':
      return soapEnvelope('FoliosRestantes', tokens);
    case 'ConsultarRucDV':
      return soapEnvelope('ConsultarRucDV', [
        {
          name: 'consultarRucDVRequest',
          value: {
            tokenEmpresa: tokens[0]!.value,
            tokenPassword: tokens[1]!.value,
            tipoRuc: request.tipoRuc,
            ruc: request.ruc,
          },
          contentNamespace: HKA_CONTENT_NAMESPACES.consultarRucDVRequest,
        },
      ]);
  }
}

/** Every field HKA's answers carry (spec hka.md §2), all optional: the reader checks what it needs. */
export interface HkaAnswer {
  codigo?: string;
  resultado?: string;
  mensaje?: string;
  cufe?: string;
  qr?: string;
  fechaRecepcionDGI?: string;
  nroProtocoloAutorizacion?: string;
  fechaLimite?: string;
  fechaEmisionDocumento?: string;
  fechaRecepcionDocumento?: string;
  estatusDocumento?: string;
  mensajeDocumento?: string;
  documento?: string;
  licencia?: string;
  fechaLicencia?: string;
  ciclo?: string;
  fechaCiclo?: string;
  foliosTotalesCiclo?: string;
  foliosUtilizadosCiclo?: string;
  foliosDisponibleCiclo?: string;
  foliosTotales?: string;
  foliosTotalesDisponibles?: string;
  infoRuc?: { tipoRuc?: string; ruc?: string; dv?: string; razonSocial?: string; afiliadoFE?: string };
  RastreoCorreo?: Array<{ correo?: string; creadoEn?: string; estado?: string; messageId?: string }>;
}

/** `FoliosRestantes` may nest its figures one level down (`FoliosRestantesResult`): flattened here. */
export function answerOf(content: HkaTree): HkaAnswer {
  const result = Object.values(content)[0];
  if (!result || typeof result !== 'object' || Array.isArray(result)) return {};
  const nested = result.FoliosRestantesResult;
  const flat =
    nested && typeof nested === 'object' && !Array.isArray(nested) ? { ...result, ...nested } : result;
  return flat;
}
