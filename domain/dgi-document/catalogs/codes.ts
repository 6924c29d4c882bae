import { FORMAT_PROFILE } from '../format-profile.js';

/** Code lists of spec §9 ([XSD] unless noted), with their meanings for messages and documentation. */
export const DOCUMENT_TYPES = {
  '01': 'factura de operación interna',
  '02': 'factura de importación',
  '03': 'factura de exportación',
  '04': 'nota de crédito referente a una o varias FE',
  '05': 'nota de débito referente a una o varias FE',
  '06': 'nota de crédito genérica',
  '07': 'nota de débito genérica',
  '08': 'factura de zona franca',
  '09': 'reembolso',
  ...(FORMAT_PROFILE.acceptPost2025Codes ? { '10': 'factura de operación extranjera' } : {}),
} as Record<string, string>;

export const OPERATION_NATURES = {
  '01': 'venta',
  '02': 'exportación',
  '10': 'transferencia',
  '11': 'devolución',
  '12': 'consignación',
  '13': 'remesa',
  '14': 'entrega gratuita',
  '20': 'compra',
  '21': 'importación',
  ...(FORMAT_PROFILE.acceptPost2025Codes
    ? { '03': 're-exportación', '04': 'venta de fuente extranjera' }
    : {}),
} as Record<string, string>;

export const PAYMENT_METHODS = {
  '01': 'crédito',
  '02': 'contado/efectivo',
  '03': 'tarjeta crédito',
  '04': 'tarjeta débito',
  '05': 'tarjeta fidelización',
  '06': 'vale (devolución)',
  '07': 'vale/tarjeta de regalo',
  '08': 'transferencia/depósito a cuenta bancaria',
  '99': 'otro',
  ...(FORMAT_PROFILE.acceptPost2025Codes ? { '09': 'cheque' } : {}),
} as Record<string, string>;

export const OTHER_TAX_CODES = {
  '01': 'SUME 911',
  '02': 'tasa portabilidad numérica',
  ...(FORMAT_PROFILE.acceptPost2025Codes
    ? {
        '03': 'impuesto sobre seguro 5%',
        '04': 'ATTT seguro autos 1%',
        '05': 'tasa salida aeropuerto (FZ)',
        '06': 'cargo incentivo desarrollo aeropuerto (F3)',
        '07': 'cargo seguridad aeropuerto (AH)',
        '08': 'otros cargos (XT)',
        '09': 'combustible (YQ)',
        '10': 'FECI',
        '11': 'intereses',
      }
    : {}),
} as Record<string, string>;

/** `dTasaITBMS` code → rate. 10% is for alcohol, 15% for tobacco. */
export const ITBMS_RATES: Record<string, string> = { '00': '0', '01': '0.07', '02': '0.10', '03': '0.15' };

/** `dTasaISC` as enumerated by the XSD. [UNCERTAIN]: legal rates are product-specific. */
export const ISC_RATES = ['0.05', '0.06', '0.00', '0.1325', '0.325', '0.035'] as const;

export const codeList = (codes: Record<string, string>): [string, ...string[]] => {
  const keys = Object.keys(codes).sort();
  return [keys[0]!, ...keys.slice(1)];
};

/** Valid `iDoc` combinations ([PAC], HKA rules, consistent with the Ficha): spec §9. */
export const DOCUMENT_TYPE_RULES: Record<
  string,
  { natures: string[]; destinations: string[]; operationType: string; saleTransaction: 'required' | 'omit' }
> = {
  '01': {
    natures: ['01', '10', '12', '13', '14'],
    destinations: ['1'],
    operationType: '1',
    saleTransaction: 'required',
  },
  '02': { natures: ['21'], destinations: ['2'], operationType: '2', saleTransaction: 'omit' },
  '03': { natures: ['02', '03'], destinations: ['2'], operationType: '1', saleTransaction: 'required' },
  '04': { natures: ['11'], destinations: ['1', '2'], operationType: '1', saleTransaction: 'omit' },
  '05': { natures: ['01'], destinations: ['1', '2'], operationType: '1', saleTransaction: 'omit' },
  '06': { natures: ['11'], destinations: ['1', '2'], operationType: '1', saleTransaction: 'omit' },
  '07': { natures: ['01'], destinations: ['1', '2'], operationType: '1', saleTransaction: 'omit' },
  '08': {
    natures: ['01', '02', '10', '12', '13', '14'],
    destinations: ['1', '2'],
    operationType: '1',
    saleTransaction: 'required',
  },
  '09': { natures: ['01', '10'], destinations: ['1'], operationType: '1', saleTransaction: 'required' },
  '10': { natures: ['04'], destinations: ['2'], operationType: '1', saleTransaction: 'required' },
};
