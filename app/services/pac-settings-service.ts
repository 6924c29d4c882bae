import type { SecretBox } from '../../platform/secrets/secret-box.js';
import type { Sql } from '../../platform/storage/database.js';
import {
  findPacSettings,
  savePacSettings,
  type PacCredentials,
  type PacName,
  type PacSettings,
} from '../../platform/storage/pac-settings-store.js';
import { checkOutboundUrl } from '../../platform/outbound/outbound-guard.js';
import { pacAddressRule } from '../../pac/pac-hosts.js';

/**
 * A company's PAC choice: its address checked against the PACs' published hosts and the operator's list
 * (FEPA_PAC_ALLOWED_HOSTS) before anything is saved; credentials sealed by the store.
 */
export class PacSettingsService {
  constructor(private readonly deps: { sql: Sql; box: SecretBox; pacAllowedHosts: readonly string[] }) {}

  find(companyId: string): Promise<PacSettings> {
    return findPacSettings(this.deps.sql, companyId);
  }

  async save(input: {
    companyId: string;
    pac: PacName;
    baseUrl?: string | undefined;
    autoSubmit: boolean;
    credentials?: PacCredentials | undefined;
  }): Promise<{ saved: PacSettings } | { refused: { field: 'baseUrl'; rule: string; message: string } }> {
    if (input.baseUrl) {
      const check = checkOutboundUrl(input.baseUrl, pacAddressRule(input.pac, this.deps.pacAllowedHosts));
      if (!check.ok) return { refused: { field: 'baseUrl', rule: check.rule, message: check.message } };
    }
    await savePacSettings(this.deps.sql, this.deps.box, input);
    return { saved: await this.find(input.companyId) };
  }
}
