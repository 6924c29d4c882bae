import { Router, type Request } from 'express';
import multer from 'multer';
import { z } from 'zod';
import { CertificateError } from '../../certificates/certificate-error.js';
import { CompanyNotFoundError, type CertificateService } from '../../services/certificate-service.js';
import { HttpProblem } from '../problem.js';
import { parseBody } from '../validation.js';
import { companyNotFound } from './companies.js';

const MAX_P12_BYTES = 256 * 1024;
const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: MAX_P12_BYTES, files: 1, fields: 2 },
});

const JsonUpload = z.strictObject({
  p12Base64: z
    .string()
    .min(1)
    .max(Math.ceil((MAX_P12_BYTES * 4) / 3) + 4),
  password: z.string().max(1000),
});

/** The uploaded P12 and password, from multipart (`file`, `password`) or JSON (`p12Base64`, `password`). */
function readUpload(req: Request): { p12: Buffer; password: string } {
  if (req.file) {
    const password: unknown = (req.body as Record<string, unknown> | undefined)?.password;
    if (typeof password !== 'string') {
      throw new HttpProblem({
        type: 'validation',
        title: 'The request is not valid',
        status: 400,
        detail: 'The form needs a `password` field next to the `file`.',
        issues: [{ path: 'password', rule: 'required', message: 'is required' }],
      });
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
}): Router {
  const router = Router();
  router.post('/v1/companies/:companyId/certificate', upload.single('file'), async (req, res) => {
    const companyId = String(req.params.companyId);
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
  });
  router.get('/v1/companies/:companyId/certificate', async (req, res) => {
    res.json(await deps.certificates.status(req.params.companyId));
  });
  router.delete('/v1/companies/:companyId/certificate', async (req, res) => {
    if (!(await deps.certificates.delete(req.params.companyId))) {
      throw new HttpProblem({
        type: 'not-found',
        title: 'No certificate',
        status: 404,
        detail: 'The company has no active certificate.',
      });
    }
    deps.onCertificateChange?.(req.params.companyId);
    res.status(204).end();
  });
  return router;
}
