import { ApplicationFailure, log } from '@temporalio/activity';
import { CafeError, cafeModel } from '../domain/cafe/cafe-model.js';
import { formatOfSignedXml, renderCafe } from '../domain/cafe/render-cafe.js';
import { receiverEmail } from '../domain/cafe/receiver-email.js';
import { cafeMessage } from '../platform/mail/cafe-message.js';
import { MailError, type MailSender, type MailSettings } from '../platform/mail/mail-sender.js';
import type { Sql } from '../platform/storage/database.js';
import {
  findDeliverySource,
  recordDeliveryAttempt,
  recordDeliveryResult,
} from '../platform/storage/delivery-store.js';

export interface DeliveryActivityDeps {
  sql: Sql;
  mail: MailSender;
  mailSettings: Pick<MailSettings, 'from' | 'replyTo'>;
  cafePacLegends?: Partial<Record<string, string>>;
}

export interface CafeDeliveryRequest {
  documentId: string;
  /** The delivery's own workflow: its row in document_deliveries. */
  workflowId: string;
  /** Another address (an operator's resend); else the receiver's (gDatRec/dCorElectRec). */
  to?: string;
  requestedBy: string;
}

export { receiverEmail };

export function createDeliveryActivities(deps: DeliveryActivityDeps) {
  return {
    /**
     * E-mails the CAFE and the signed XML. A refusal for good (no address, SMTP 5xx, nothing to print) is
     * not retried; anything else (server down, 4xx) throws and Temporal retries with backoff.
     */
    async sendCafeMail(input: CafeDeliveryRequest): Promise<{ address: string; messageId: string }> {
      const source = await findDeliverySource(deps.sql, input.documentId);
      if (!source?.signedXml)
        throw ApplicationFailure.nonRetryable('the document has no signed XML to send', 'NothingToSend');
      const address = input.to ?? receiverEmail(source.signedXml);
      if (!address)
        throw ApplicationFailure.nonRetryable(
          'the receiver has no e-mail address (gDatRec/dCorElectRec)',
          'NoAddress',
        );
      await recordDeliveryAttempt(deps.sql, { ...input, address });
      let message;
      try {
        const cafe = cafeModel(source.signedXml, {
          protocol: source.protocol ?? undefined,
          authorizedAt: source.authorizedAt ?? undefined,
          pacLegend: source.pac ? deps.cafePacLegends?.[source.pac] : undefined,
        });
        message = cafeMessage({
          cafe,
          pdf: await renderCafe(cafe, formatOfSignedXml(source.signedXml)),
          signedXml: source.signedXml,
          to: address,
          senderName: source.senderName,
          from: deps.mailSettings.from,
          replyTo: deps.mailSettings.replyTo,
        });
      } catch (err) {
        if (!(err instanceof CafeError)) throw err;
        await recordDeliveryResult(deps.sql, input.workflowId, { status: 'failed', error: err.message });
        throw ApplicationFailure.nonRetryable(err.message, 'NothingToSend');
      }
      try {
        const { messageId } = await deps.mail.send(message);
        await recordDeliveryResult(deps.sql, input.workflowId, { status: 'sent', messageId });
        log.info('CAFE e-mailed', { documentId: input.documentId, messageId });
        return { address, messageId };
      } catch (err) {
        if (!(err instanceof MailError)) throw err;
        await recordDeliveryResult(deps.sql, input.workflowId, {
          status: err.permanent ? 'failed' : 'sending',
          error: err.message,
        });
        if (err.permanent) throw ApplicationFailure.nonRetryable(err.message, 'MailRefused');
        throw ApplicationFailure.retryable(err.message, 'MailNotSentYet');
      }
    },

    /** The delivery was given up (retried for the configured time): recorded for support, with the reason. */
    async recordDeliveryGivenUp(input: {
      workflowId: string;
      documentId: string;
      reason: string;
    }): Promise<void> {
      await recordDeliveryResult(deps.sql, input.workflowId, { status: 'failed', error: input.reason });
      log.warn('CAFE e-mail given up: support must contact the receiver', {
        documentId: input.documentId,
        reason: input.reason,
      });
    },
  };
}

export type DeliveryActivities = ReturnType<typeof createDeliveryActivities>;
