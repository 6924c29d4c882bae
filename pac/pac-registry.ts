import { AludraAdapter } from './aludra/aludra-adapter.js';
import { EdocAdapter } from './edoc/edoc-adapter.js';
import { EdocTokenCache } from './edoc/edoc-token-cache.js';
import { HkaAdapter } from './hka/hka-adapter.js';
import { toHkaDocumento } from './hka/hka-mapping.js';
import type { DgiDocument, DocumentIssue } from '../domain/dgi-document/index.js';
import type { PacAdapter, PacCapabilities } from './pac-adapter.js';
import type { SecretBox } from '../platform/secrets/secret-box.js';
import type { Sql } from '../platform/storage/database.js';
import {
  findPacSettings,
  openPacCredentials,
  type PacSettings,
} from '../platform/storage/pac-settings-store.js';
import { PacConfigurationError } from '../common/fepa-error.js';
import { checkOutboundUrl, guardedFetch, type Resolver } from '../platform/outbound/outbound-guard.js';
import { PAC_HOSTS, pacAddressRule, type PacName } from './pac-hosts.js';
import { companyContingencyCopy, type ContingencyCopy } from './contingency-copy.js';
import { pacCapabilitiesOf } from './pac-capabilities.js';

/**
 * The adapter for a company, from its PAC settings, with its credentials opened here (inside the worker,
 * never passed through workflow history). `sandbox` is the PAC simulator's Aludra API.
 */
export class PacRegistry {
  readonly edocTokens: EdocTokenCache;

  constructor(
    private readonly deps: {
      sql: Sql;
      box: SecretBox;
      simulatorUrl: string;
      timeoutMs?: number;
      edocTokens?: EdocTokenCache;
      /** FEPA_PAC_ALLOWED_HOSTS: hosts a company's PAC address may use beside the PACs' published ones. */
      allowedHosts?: readonly string[];
      /** Name resolution for the address check (tests give their own). */
      resolve?: Resolver;
    },
  ) {
    this.edocTokens = deps.edocTokens ?? new EdocTokenCache();
  }

  /**
   * What the company's PAC does (who signs, annulment, download) and whether fepa submits on its own:
   * one settings read, no credentials opened.
   */
  async capabilities(companyId: string): Promise<{ capabilities: PacCapabilities; autoSubmit: boolean }> {
    const settings = await findPacSettings(this.deps.sql, companyId);
    return { capabilities: pacCapabilitiesOf(settings.pac), autoSubmit: settings.autoSubmit };
  }

  /** Whether the company can issue valid documents in contingency, and how (contingency-copy.ts). */
  contingencyCopy(companyId: string, now = new Date()): Promise<ContingencyCopy> {
    return companyContingencyCopy(this.deps.sql, companyId, now);
  }

  /** The company's adapter together with its PAC settings (one settings read for both). */
  async resolve(companyId: string): Promise<{ adapter: PacAdapter; settings: PacSettings }> {
    const settings = await findPacSettings(this.deps.sql, companyId);
    return { adapter: await this.adapterFrom(companyId, settings), settings };
  }

  /**
   * The address calls go to and how they go out. A company's own `baseUrl` is checked again at every call
   * (the operator's list may have narrowed since it was saved; its DNS may have changed): a refusal is a
   * PacConfigurationError and nothing is sent. The simulator's address is the operator's own.
   */
  private transport(settings: PacSettings): { baseUrl: string; fetch?: ReturnType<typeof guardedFetch> } {
    const fallback = PAC_HOSTS[settings.pac].defaultBaseUrl ?? this.deps.simulatorUrl;
    const baseUrl = settings.baseUrl ?? fallback;
    if (settings.pac === 'sandbox' && !settings.baseUrl) return { baseUrl };
    const rule = pacAddressRule(settings.pac, this.deps.allowedHosts ?? []);
    const check = checkOutboundUrl(baseUrl, rule);
    if (!check.ok)
      throw new PacConfigurationError(
        'PAC_ADDRESS_NOT_ALLOWED',
        `the company's PAC address: ${check.message}`,
      );
    return { baseUrl, fetch: guardedFetch(rule, this.deps.resolve) };
  }

  private async adapterFrom(companyId: string, settings: PacSettings): Promise<PacAdapter> {
    const timeout = this.deps.timeoutMs ? { timeoutMs: this.deps.timeoutMs } : {};
    const { baseUrl, fetch } = this.transport(settings);
    const via = fetch ? { fetch } : {};
    if (settings.pac === 'sandbox') {
      return new AludraAdapter({
        baseUrl: `${baseUrl}/aludra`,
        ...via,
        credentials: { apiKey: `sandbox-${companyId}`, companyCode: '*' },
        ...timeout,
      });
    }
    const credentials = await openPacCredentials(this.deps.sql, this.deps.box, companyId);
    if (settings.pac === 'aludra') {
      if (!credentials?.aludra)
        throw PacConfigurationError.missingCredentials('Aludra needs an api-key and a company code');
      return new AludraAdapter({
        baseUrl,
        ...via,
        credentials: credentials.aludra,
        ...timeout,
      });
    }
    if (settings.pac === 'hka') {
      if (!credentials?.hka)
        throw PacConfigurationError.missingCredentials(
          'The Factory HKA needs tokenEmpresa and tokenPassword',
        );
      return new HkaAdapter({
        baseUrl,
        ...via,
        credentials: credentials.hka,
        ...timeout,
      });
    }
    if (!credentials?.edoc)
      throw PacConfigurationError.missingCredentials('eDoc needs a user and a password');
    return new EdocAdapter({
      baseUrl,
      ...via,
      companyId,
      credentials: credentials.edoc,
      tokens: this.edocTokens,
      ...timeout,
    });
  }
}

/**
 * What a PAC cannot take of a valid document (checked before a number is spent): HKA builds the rFE from its
 * own field names, so a field it has no name for is refused (pac/hka/hka-fields.ts). The other PACs take
 * the DGI document as it is.
 */
export function documentIssuesForPac(pac: PacName, doc: DgiDocument): DocumentIssue[] {
  if (pac !== 'hka') return [];
  const mapped = toHkaDocumento(doc);
  return mapped.ok ? [] : mapped.issues;
}

/** Which PACs have account services (adapter `account`: prepaid folios, RUC registry), by name. */
const ACCOUNT_SERVICES: Readonly<Record<PacName, boolean>> = {
  sandbox: false,
  aludra: false,
  edoc: false,
  hka: true,
};

export const hasAccountServices = (pac: PacName): boolean => ACCOUNT_SERVICES[pac];

/** The PACs with account services (the daily folio watch reads their companies). */
export const PACS_WITH_ACCOUNT_SERVICES = (Object.keys(ACCOUNT_SERVICES) as PacName[]).filter(
  hasAccountServices,
);
