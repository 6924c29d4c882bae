import nodemailer from 'nodemailer';
import type { CafeMessage } from './cafe-message.js';

export interface MailSettings {
  smtpUrl: string | undefined;
  user: string | undefined;
  password: string | undefined;
  from: string;
  replyTo: string | undefined;
}

/** A send that failed; `permanent` when the server refused for good (SMTP 5xx): retrying cannot help. */
export class MailError extends Error {
  override readonly name = 'MailError';
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

export interface MailSender {
  send(message: CafeMessage): Promise<{ messageId: string }>;
}

/**
 * Sends over SMTP with nodemailer. Errors keep the server's answer (code and text) and never the
 * credentials; `permanent` says whether a retry could succeed.
 */
export function smtpMailSender(settings: MailSettings, timeoutMs = 30_000): MailSender {
  if (!settings.smtpUrl) {
    return {
      send: () => Promise.reject(new MailError('no SMTP server is configured (FEPA_SMTP_URL)', true)),
    };
  }
  const url = new URL(settings.smtpUrl);
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 587)),
    secure: url.protocol === 'smtps:',
    ...(settings.user ? { auth: { user: settings.user, pass: settings.password ?? '' } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  return {
    async send(message) {
      try {
        const info = await transport.sendMail(message);
        return { messageId: String(info.messageId) };
      } catch (err) {
        const e = err as { responseCode?: number; response?: string; code?: string; message: string };
        const permanent = e.responseCode !== undefined && e.responseCode >= 500 && e.responseCode < 600;
        const detail = e.response ?? e.message;
        throw new MailError(
          `the SMTP server ${url.host} ${e.responseCode ? `answered ${detail}` : `failed: ${e.code ?? ''} ${detail}`.trim()}`,
          permanent,
        );
      }
    },
  };
}
