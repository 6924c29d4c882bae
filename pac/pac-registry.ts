import { AludraAdapter } from './aludra/aludra-adapter.js';
import { EdocAdapter } from './edoc/edoc-adapter.js';
import { EdocTokenCache } from './edoc/edoc-token-cache.js';
import { HkaAdapter } from './hka/hka-adapter.js';
import type { PacAdapter, PacCapabilities } from './pac-adapter.js';
import type { SecretBox } from '../secrets/secret-box.js';
import type { Sql } from '../storage/database.js';
import { findPacSettings, openPacCredentials, type PacSettings } from '../storage/pac-settings-store.js';
import { PacConfigurationError } from '../common/fepa-error.js';

/** Production hosts (spec pac-apis §1.1, §3.1); a company may override them with its own base URL. */
const DEFAULT_BASE_URLS = {
  aludra: 'https://apim.aludra.cloud',
  edoc: 'https://pa.edocnube.com/4.0',
  hka: 'https://emision.thefactoryhka.com.pa',
} as const;

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
    const capabilities =
      settings.pac === 'edoc'
        ? EdocAdapter.CAPABILITIES
        : settings.pac === 'hka'
          ? HkaAdapter.CAPABILITIES
          : AludraAdapter.CAPABILITIES;
    return { capabilities, autoSubmit: settings.autoSubmit };
  }

  /** The company's adapter together with its PAC settings (one settings read for both). */
  async resolve(companyId: string): Promise<{ adapter: PacAdapter; settings: PacSettings }> {
    const settings = await findPacSettings(this.deps.sql, companyId);
    return { adapter: await this.adapterFrom(companyId, settings), settings };
  }

  private async adapterFrom(companyId: string, settings: PacSettings): Promise<PacAdapter> {
    const timeout = this.deps.timeoutMs ? { timeoutMs: this.deps.timeoutMs } : {};
    if (settings.pac === 'sandbox') {
      return new AludraAdapter({
        baseUrl: `${settings.baseUrl ?? this.deps.simulatorUrl}/aludra`,
        credentials: { apiKey: `sandbox-${companyId}`, companyCode: '*' },
        ...timeout,
      });
    }
    const credentials = await openPacCredentials(this.deps.sql, this.deps.box, companyId);
    if (settings.pac === 'aludra') {
      if (!credentials?.aludra)
        throw PacConfigurationError.missingCredentials('Aludra needs an api-key and a company code');
      return new AludraAdapter({
        baseUrl: settings.baseUrl ?? DEFAULT_BASE_URLS.aludra,
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
        baseUrl: settings.baseUrl ?? DEFAULT_BASE_URLS.hka,
        credentials: credentials.hka,
        ...timeout,
      });
    }
    if (!credentials?.edoc)
      throw PacConfigurationError.missingCredentials('eDoc needs a user and a password');
    return new EdocAdapter({
      baseUrl: settings.baseUrl ?? DEFAULT_BASE_URLS.edoc,
      companyId,
      credentials: credentials.edoc,
      tokens: this.edocTokens,
      ...timeout,
    });
  }
}
