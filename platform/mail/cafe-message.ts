import type { CafeModel } from '../../domain/cafe/cafe-model.js';

/** One e-mail to a document's receiver: its CAFE (PDF) and its signed XML, as nodemailer takes it. */
export interface CafeMessage {
  from: { name: string; address: string };
  replyTo?: string;
  to: string;
  subject: string;
  text: string;
  attachments: Array<{ filename: string; content: Buffer | string; contentType: string }>;
}

/**
 * The receiver's e-mail: subject and body in Spanish (what Panamanian receivers expect), the CAFE as
 * `CAFE-<branch>-<point>-<number>.pdf` and the signed XML as `<CUFE>.xml` (the name PACs give it).
 */
export function cafeMessage(input: {
  cafe: CafeModel;
  pdf: Buffer;
  signedXml: string;
  to: string;
  senderName: string;
  from: string;
  replyTo?: string | undefined;
}): CafeMessage {
  const { cafe } = input;
  const number = `${cafe.number.branch}-${cafe.number.pointOfSale}-${cafe.number.number}`;
  const title = cafe.title.charAt(0) + cafe.title.slice(1).toLowerCase();
  return {
    from: { name: input.senderName, address: input.from },
    ...(input.replyTo ? { replyTo: input.replyTo } : {}),
    to: input.to,
    subject: `${title} ${number} de ${cafe.emitter.name}`,
    text: [
      `Estimado cliente:`,
      ``,
      `${cafe.emitter.name} (RUC ${cafe.emitter.rucDv}) le envía su ${title.toLowerCase()} ${number}`,
      `del ${cafe.issuedAt}, por un total de ${cafe.totals.total}.`,
      ``,
      `CUFE: ${cafe.cufe}`,
      ...(cafe.authorization ? [`Protocolo de autorización: ${cafe.authorization.protocol}`] : []),
      ``,
      `Adjuntamos la representación impresa (CAFE, PDF) y el documento electrónico firmado (XML).`,
      `Puede verificarlo en la DGI: ${cafe.consultUrl}`,
    ].join('\n'),
    attachments: [
      { filename: `CAFE-${number}.pdf`, content: input.pdf, contentType: 'application/pdf' },
      { filename: `${cafe.cufe}.xml`, content: input.signedXml, contentType: 'application/xml' },
    ],
  };
}
