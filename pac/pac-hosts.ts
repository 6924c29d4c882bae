/**
 * Where each PAC answers, as published (../shared/spec/pac-apis.md; docs/pac/*.md). A company's `baseUrl`
 * must be on one of these hosts, or on one the operator allows (`FEPA_PAC_ALLOWED_HOSTS`). One table: add a
 * host here when a PAC publishes a new one.
 */
export const PAC_HOSTS = {
  aludra: {
    // pac-apis §3.1: production behind Azure API Management; `qa`/`dev` environments by prefix.
    production: ['apim.aludra.cloud'],
    test: ['qa-apim.aludra.cloud', 'dev-apim.aludra.cloud'],
    defaultBaseUrl: 'https://apim.aludra.cloud',
  },
  edoc: {
    // pac-apis §1.1: lab host used by several clients; production [UNCERTAIN: a secondary source only].
    production: ['pa.edocnube.com'],
    test: ['labpa.guru-soft.com'],
    defaultBaseUrl: 'https://pa.edocnube.com/4.0',
  },
  hka: {
    // pac-apis §2 and hka.md: SOAP demo and production (the REST host `demointegracion` is not used by fepa).
    production: ['emision.thefactoryhka.com.pa'],
    test: ['demoemision.thefactoryhka.com.pa'],
    defaultBaseUrl: 'https://emision.thefactoryhka.com.pa',
  },
  /** The sandbox is fepa's own simulator, whose address is the operator's (FEPA_SIMULATOR_URL). */
  sandbox: { production: [], test: [], defaultBaseUrl: undefined },
} as const satisfies Record<
  string,
  { production: readonly string[]; test: readonly string[]; defaultBaseUrl: string | undefined }
>;

export type PacName = keyof typeof PAC_HOSTS;

/** Every host published for `pac`, production and test. */
export const knownPacHosts = (pac: PacName): readonly string[] => [
  ...PAC_HOSTS[pac].production,
  ...PAC_HOSTS[pac].test,
];

/** The outbound rule for a company's PAC address (platform/outbound/outbound-guard.ts). */
export const pacAddressRule = (pac: PacName, allowedHosts: readonly string[]) => ({
  what: 'PAC address',
  setting: 'FEPA_PAC_ALLOWED_HOSTS',
  knownHosts: knownPacHosts(pac),
  allowedHosts,
});
