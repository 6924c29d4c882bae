import { HKA_DOCUMENTO_SHAPE, type HkaShape } from '../../pac/hka/hka-mapping.js';
import { DATACONTRACT, TEMPURI } from '../../pac/hka/hka-soap.js';
import { HKA_CONTENT_NAMESPACES, HKA_OPERATIONS, hkaSoapAction } from '../../pac/hka/hka-wire.js';

function elements(shape: HkaShape, indent: string): string {
  return [...shape.children]
    .map(([name, child]) => {
      const occurs = `minOccurs="0"${child.list ? ' maxOccurs="unbounded"' : ''}`;
      if (child.children.size === 0)
        return `${indent}<xs:element name="${name}" type="xs:string" ${occurs}/>`;
      return (
        `${indent}<xs:element name="${name}" ${occurs}><xs:complexType><xs:sequence>\n` +
        `${elements(child, `${indent}  `)}\n${indent}</xs:sequence></xs:complexType></xs:element>`
      );
    })
    .join('\n');
}

const strings = (names: string[], indent: string) =>
  names.map((n) => `${indent}<xs:element name="${n}" type="xs:string" minOccurs="0"/>`).join('\n');

const ANSWER_FIELDS = [
  'codigo',
  'resultado',
  'mensaje',
  'cufe',
  'qr',
  'fechaRecepcionDGI',
  'nroProtocoloAutorizacion',
  'fechaLimite',
  'fechaEmisionDocumento',
  'fechaRecepcionDocumento',
  'estatusDocumento',
  'mensajeDocumento',
  'documento',
  'licencia',
  'fechaLicencia',
  'ciclo',
  'fechaCiclo',
  'foliosTotalesCiclo',
  'foliosUtilizadosCiclo',
  'foliosDisponibleCiclo',
  'foliosTotales',
  'foliosTotalesDisponibles',
];

const DATOS_DOCUMENTO = [
  'codigoSucursalEmisor',
  'numeroDocumentoFiscal',
  'puntoFacturacionFiscal',
  'tipoDocumento',
  'tipoEmision',
];

/** The request parameters of each operation, after the two tokens (ConsultarRucDV wraps its own). */
const PARAMETERS: Record<(typeof HKA_OPERATIONS)[number], string> = {
  Enviar: `<xs:element name="documento" type="obj:documento"/>`,
  EstadoDocumento: `<xs:element name="datosDocumento" type="mod:datosDocumento"/>`,
  AnulacionDocumento: `<xs:element name="motivoAnulacion" type="xs:string"/><xs:element name="datosDocumento" type="mod:datosDocumento"/>`,
  DescargaXML: `<xs:element name="datosDocumento" type="mod:datosDocumento"/>`,
  DescargaPDF: `<xs:element name="datosDocumento" type="mod:datosDocumento"/>`,
  FoliosRestantes: '',
  EnvioCorreo: `<xs:element name="datosDocumento" type="mod:datosDocumento"/><xs:element name="correo" type="xs:string"/>`,
  RastreoCorreo: `<xs:element name="cufe" type="xs:string"/>`,
  ConsultarRucDV: `<xs:element name="consultarRucDVRequest" type="api:consultarRucDVRequest"/>`,
};

/**
 * The simulator's WSDL: the shapes fepa implements of HKA's service (spec hka.md §2), written from the
 * same table the adapter maps with. Not HKA's own WSDL: docs/pac/hka.md says how to compare the two.
 */
export function hkaWsdl(serviceUrl: string): string {
  const ops = HKA_OPERATIONS;
  const tokens =
    '<xs:element name="tokenEmpresa" type="xs:string"/><xs:element name="tokenPassword" type="xs:string"/>';
  const requestElements = ops
    .map(
      (op) =>
        `    <xs:element name="${op}"><xs:complexType><xs:sequence>${op === 'ConsultarRucDV' ? '' : tokens}${PARAMETERS[op]}</xs:sequence></xs:complexType></xs:element>\n` +
        `    <xs:element name="${op}Response"><xs:complexType><xs:sequence><xs:element name="${op}Result" type="res:respuesta"/></xs:sequence></xs:complexType></xs:element>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions name="Service" targetNamespace="${TEMPURI}"
  xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="${TEMPURI}"
  xmlns:obj="${DATACONTRACT}${HKA_CONTENT_NAMESPACES.documento}"
  xmlns:mod="${DATACONTRACT}${HKA_CONTENT_NAMESPACES.datosDocumento}"
  xmlns:api="${DATACONTRACT}${HKA_CONTENT_NAMESPACES.consultarRucDVRequest}"
  xmlns:res="${DATACONTRACT}Services.Response">
  <wsdl:documentation>fepa's PAC simulator: the shapes of The Factory HKA's SOAP service that fepa implements.</wsdl:documentation>
  <wsdl:types>
  <xs:schema elementFormDefault="qualified" targetNamespace="${DATACONTRACT}${HKA_CONTENT_NAMESPACES.documento}">
    <xs:complexType name="documento"><xs:sequence>
${elements(HKA_DOCUMENTO_SHAPE, '      ')}
    </xs:sequence></xs:complexType>
  </xs:schema>
  <xs:schema elementFormDefault="qualified" targetNamespace="${DATACONTRACT}${HKA_CONTENT_NAMESPACES.datosDocumento}">
    <xs:complexType name="datosDocumento"><xs:sequence>
${strings(DATOS_DOCUMENTO, '      ')}
    </xs:sequence></xs:complexType>
  </xs:schema>
  <xs:schema elementFormDefault="qualified" targetNamespace="${DATACONTRACT}${HKA_CONTENT_NAMESPACES.consultarRucDVRequest}">
    <xs:complexType name="consultarRucDVRequest"><xs:sequence>
${strings(['tokenEmpresa', 'tokenPassword', 'tipoRuc', 'ruc'], '      ')}
    </xs:sequence></xs:complexType>
  </xs:schema>
  <xs:schema elementFormDefault="qualified" targetNamespace="${DATACONTRACT}Services.Response">
    <xs:complexType name="respuesta"><xs:sequence>
${strings(ANSWER_FIELDS, '      ')}
      <xs:element name="infoRuc" minOccurs="0"><xs:complexType><xs:sequence>
${strings(['tipoRuc', 'ruc', 'dv', 'razonSocial', 'afiliadoFE'], '        ')}
      </xs:sequence></xs:complexType></xs:element>
      <xs:element name="RastreoCorreo" minOccurs="0" maxOccurs="unbounded"><xs:complexType><xs:sequence>
${strings(['correo', 'creadoEn', 'estado', 'messageId'], '        ')}
      </xs:sequence></xs:complexType></xs:element>
    </xs:sequence></xs:complexType>
  </xs:schema>
  <xs:schema elementFormDefault="qualified" targetNamespace="${TEMPURI}">
${requestElements}
  </xs:schema>
  </wsdl:types>
${ops.map((op) => `  <wsdl:message name="IService_${op}_InputMessage"><wsdl:part name="parameters" element="tns:${op}"/></wsdl:message>\n  <wsdl:message name="IService_${op}_OutputMessage"><wsdl:part name="parameters" element="tns:${op}Response"/></wsdl:message>`).join('\n')}
  <wsdl:portType name="IService">
${ops.map((op) => `    <wsdl:operation name="${op}"><wsdl:input message="tns:IService_${op}_InputMessage"/><wsdl:output message="tns:IService_${op}_OutputMessage"/></wsdl:operation>`).join('\n')}
  </wsdl:portType>
  <wsdl:binding name="BasicHttpBinding_IService" type="tns:IService">
    <soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>
${ops.map((op) => `    <wsdl:operation name="${op}"><soap:operation soapAction="${hkaSoapAction(op)}" style="document"/><wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>`).join('\n')}
  </wsdl:binding>
  <wsdl:service name="Service">
    <wsdl:port name="BasicHttpBinding_IService" binding="tns:BasicHttpBinding_IService"><soap:address location="${serviceUrl}"/></wsdl:port>
  </wsdl:service>
</wsdl:definitions>
`;
}
