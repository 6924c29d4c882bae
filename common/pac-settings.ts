/**
 * The PACs a company may choose and the credentials each takes (sealed at rest, opened only in the worker).
 * The shapes of the PAC settings every layer shares; what each PAC does with them is in pac/.
 */
export type PacName = 'sandbox' | 'aludra' | 'edoc' | 'hka';

export interface PacCredentials {
  aludra?: { apiKey: string; companyCode: string; subscriptionKey?: string | undefined };
  edoc?: { user: string; password: string };
  hka?: { tokenEmpresa: string; tokenPassword: string };
}
