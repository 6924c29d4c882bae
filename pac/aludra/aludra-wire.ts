/**
 * Aludra's wire format, in one module. Public sources show the emission endpoint and the response
 * envelope (spec pac-apis §3, [C]); the status query, annulment and download endpoints and the body of a
 * client-signed submission are not public ([U]): they follow the simulator's contract and change here only.
 */
export const ALUDRA_PATHS = {
  submit: '/mdl18/feRecepFEDGI',
  query: '/mdl18/feConsFE',
  annul: '/mdl18/feRecepEventoDGI',
  /** Any other signed event (the receiver's manifestation): the DGI's feRecepEvento passed through [U]. */
  event: '/mdl18/feRecepEventoDGI',
  download: '/mdl18/feDescFE',
} as const;

export interface AludraCredentials {
  apiKey: string;
  companyCode: string;
  /** Optional Azure APIM subscription key. */
  subscriptionKey?: string | undefined;
}

export interface AludraGResProc {
  dCodRes: string;
  dMsgRes: string;
}

/** Response envelope: `Status{Code, Message}` where Message is a string, or an object on A400. */
export interface AludraEnvelope {
  Status?: { Code?: string; Message?: string | AludraGResProc };
  Info?: { Datetime?: string; AcceptedUser?: string };
  Errors?: AludraGResProc[] | null;
  Data?: Array<{
    gResProc?: AludraGResProc;
    gResProcList?: AludraGResProc[];
    sendFail?: boolean;
    urlCufe?: string;
    xProtFe?: Array<{
      rProtFe?: {
        dCufe?: string;
        gInfProt?: {
          dCUFE?: string;
          dFecProc?: string;
          dProtAut?: string;
          dProAut?: string;
          dDigVal?: string;
          gResProc?: AludraGResProc[];
        };
      };
    }>;
    LoteFE?: Array<{ Xml?: string }>;
  }>;
}

export const aludraHeaders = (c: AludraCredentials): Record<string, string> => ({
  'api-key': c.apiKey,
  ...(c.subscriptionKey ? { 'ocp-apim-subscription-key': c.subscriptionKey } : {}),
});

/** Submission of a document signed by the client (fepa): the signed rFE as a string. */
export const aludraSubmitBody = (c: AludraCredentials, iAmb: string, signedXml: string) => ({
  dVerForm: '1.00',
  iAmb,
  xFe: signedXml,
  gExtra: { gCompanyCode: c.companyCode, isValidationsOn: true },
});

export const aludraCufeBody = (
  c: AludraCredentials,
  iAmb: string,
  cufe: string,
  extra: Record<string, string> = {},
) => ({
  iAmb,
  dCufe: cufe,
  ...extra,
  gExtra: { gCompanyCode: c.companyCode },
});

/** A signed event for the DGI's feRecepEvento (`rEnviEventoFe.dEvReg`), as fepa assumes Aludra takes it [U]. */
export const aludraEventBody = (c: AludraCredentials, iAmb: string, signedEvent: string) => ({
  dVerForm: '1.00',
  iAmb,
  dEvReg: signedEvent,
  gExtra: { gCompanyCode: c.companyCode },
});
