import type { Request } from 'express';
import multer from 'multer';
import { z } from 'zod';
import { CertificateError } from '../../domain/certificates/certificate-error.js';
import { CompanyNotFoundError, type CertificateService } from '../../app/services/certificate-service.js';
import { companyNotFound, HttpProblem } from '../problem.js';
import { defineRoute, type AnyRoute } from '../route-definition.js';
import { CertificateStatusSchema } from '../response-schemas.js';
import { parseBody } from '../validation.js';
import { invalidRequest } from '../validation.js';

const MAX_P12_BYTES = 256 * 1024;
const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: MAX_P12_BYTES, files: 1, fields: 2 },
});

const JsonUpload = z.strictObject({
  p12Base64: z
    .string()
    .min(1)
    .max(Math.ceil((MAX_P12_BYTES * 4) / 3) + 4)
    .describe('The P12 (PFX) file, base64'),
  password: z.string().max(1000),
});

const MultipartUpload = z.object({
  file: z.string().meta({ format: 'binary' }).describe('The P12 (PFX) file'),
  password: z.string(),
});

/** The uploaded P12 and password, from multipart (`file`, `password`) or JSON (`p12Base64`, `password`). */
function readUpload(req: Request): { p12: Buffer; password: string } {
  if (req.file) {
    const password: unknown = (req.body as Record<string, unknown> | undefined)?.password;
    if (typeof password !== 'string') {
      throw invalidRequest(
        [{ path: 'password', rule: 'required', message: 'is required' }],
        'The form needs a `password` field next to the `file`.',
      );
    }
    return { p12: req.file.buffer, password };
  }
  const body = parseBody(JsonUpload, req.body);
  return { p12: Buffer.from(body.p12Base64, 'base64'), password: body.password };
}

/** A CertificateError as a 422 a person understands; the message never contains secrets. */
function certificateProblem(err: CertificateError): HttpProblem {
  return new HttpProblem({
    type: `certificate-${err.code}`,
    title: 'The certificate cannot be used',
    status: 422,
    detail: err.message,
    code: err.code,
    ...(err.facts ? { certificate: err.facts } : {}),
  });
}

/** A company's signing certificate: upload (or replace), status ("green indicator"), delete. */
export function certificateRoutes(deps: {
  certificates: CertificateService;
  onCertificateChange?: (companyId: string) => void;
}): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/companies/:companyId/certificate',
      access: 'admin',
      tag: 'Certificate',
      summary: 'Upload (or replace) the signing certificate',
      description:
        'Multipart (`file`, `password`) or JSON (`p12Base64`, `password`). Both are sealed at rest.',
      documentedBody: JsonUpload,
      multipart: MultipartUpload,
      before: [upload.single('file')],
      responses: { 201: { description: 'Stored and active', schema: CertificateStatusSchema } },
      async handle({ req, res, params }) {
        const companyId = params.companyId!;
        const { p12, password } = readUpload(req);
        try {
          const result = await deps.certificates.upload(companyId, p12, password);
          deps.onCertificateChange?.(companyId);
          const status = await deps.certificates.status(companyId);
          res.status(201).json({ ...status, facts: result.facts, warnings: result.warnings });
        } catch (err) {
          if (err instanceof CertificateError) throw certificateProblem(err);
          if (err instanceof CompanyNotFoundError) throw companyNotFound(companyId);
          throw err;
        }
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/companies/:companyId/certificate',
      access: 'admin',
      tag: 'Certificate',
      summary: 'Certificate status (ready, expiring, expired, missing)',
      responses: { 200: { description: 'Status', schema: CertificateStatusSchema } },
      async handle({ res, params }) {
        res.json(await deps.certificates.status(params.companyId!));
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/v1/companies/:companyId/certificate',
      access: 'admin',
      tag: 'Certificate',
      summary: 'Remove the active certificate',
      responses: { 204: { description: 'Removed; signing stops until a new one is uploaded' } },
      async handle({ res, params }) {
        if (!(await deps.certificates.delete(params.companyId!))) {
          throw new HttpProblem({
            type: 'not-found',
            title: 'No certificate',
            status: 404,
            detail: 'The company has no active certificate.',
          });
        }
        deps.onCertificateChange?.(params.companyId!);
        res.status(204).end();
      },
    }),
  ];
}
