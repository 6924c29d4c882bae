import { CliUsageError } from './command.js';

interface Problem {
  title?: string;
  detail?: string;
  issues?: Array<{ path: string; rule: string; message: string }>;
}

/** FEPA_API_KEY: the key is never taken on the command line (shell history, process lists). */
function apiKey(): string {
  const key = process.env.FEPA_API_KEY;
  if (!key) throw new CliUsageError('set FEPA_API_KEY to an API key of the company');
  return key;
}

/** An API problem answer as one line (and its issues below it). */
function problemText(what: string, status: number, problem: Problem): string {
  const issues = (problem.issues ?? []).map((i) => `\n  ${i.path}: ${i.message} (${i.rule})`).join('');
  return `${what}: ${status} ${problem.title ?? ''}${problem.detail ? `: ${problem.detail}` : ''}${issues}`;
}

/** The API's base URL: --api, else FEPA_API_URL, else the local API on FEPA_API_PORT. */
export const apiBase = (values: Record<string, unknown>): string =>
  (
    (values.api as string | undefined) ??
    process.env.FEPA_API_URL ??
    `http://127.0.0.1:${process.env.FEPA_API_PORT ?? '3000'}`
  ).replace(/\/$/, '');

/**
 * One call to fepa's API with the key in FEPA_API_KEY (never on the command line): the answer's body, or
 * an exit code after the problem was written to stderr.
 */
export async function callApi(
  what: string,
  request: { url: string; method?: 'GET' | 'POST'; body?: unknown; xml?: string; bytes?: boolean },
  err: (text: string) => void,
): Promise<{ ok: true; body: unknown } | { ok: false; exitCode: number }> {
  const key = apiKey();
  let response: Response;
  try {
    const sent =
      request.xml !== undefined
        ? { type: 'application/xml', text: request.xml }
        : request.body
          ? { type: 'application/json', text: JSON.stringify(request.body) }
          : undefined;
    response = await fetch(request.url, {
      method: request.method ?? (sent ? 'POST' : 'GET'),
      headers: { authorization: `Bearer ${key}`, ...(sent ? { 'content-type': sent.type } : {}) },
      ...(sent ? { body: sent.text } : {}),
    });
  } catch (e) {
    err(`${what}: cannot reach the API at ${new URL(request.url).origin}: ${(e as Error).message}`);
    return { ok: false, exitCode: 1 };
  }
  if (response.ok && request.bytes) return { ok: true, body: Buffer.from(await response.arrayBuffer()) };
  const body: unknown = await response.json().catch(() => ({}));
  if (!response.ok) {
    err(problemText(what, response.status, body as Problem));
    return { ok: false, exitCode: 1 };
  }
  return { ok: true, body };
}

/**
 * A download straight to a file (an archive may not fit memory): the bytes written, or an exit code after
 * the problem was written to stderr. The file is written whole or removed.
 */
export async function downloadApi(
  what: string,
  url: string,
  file: string,
  err: (text: string) => void,
): Promise<{ ok: true; bytes: number } | { ok: false; exitCode: number }> {
  const key = apiKey();
  let response: Response;
  try {
    response = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
  } catch (e) {
    err(`${what}: cannot reach the API at ${new URL(url).origin}: ${(e as Error).message}`);
    return { ok: false, exitCode: 1 };
  }
  if (!response.ok || !response.body) {
    err(problemText(what, response.status, (await response.json().catch(() => ({}))) as Problem));
    return { ok: false, exitCode: 1 };
  }
  const [{ createWriteStream }, { rm }, { pipeline }, { Readable }] = await Promise.all([
    import('node:fs'),
    import('node:fs/promises'),
    import('node:stream/promises'),
    import('node:stream'),
  ]);
  const sink = createWriteStream(file);
  try {
    await pipeline(Readable.fromWeb(response.body as never), sink);
  } catch (e) {
    await rm(file, { force: true });
    err(`${what}: the download broke off (${(e as Error).message}); nothing was kept`);
    return { ok: false, exitCode: 1 };
  }
  return { ok: true, bytes: sink.bytesWritten };
}

/** The company the key belongs to (one key, one company), unless --company says it. */
export async function companyOf(
  what: string,
  values: Record<string, unknown>,
  api: string,
  err: (text: string) => void,
): Promise<string | number> {
  if (typeof values.company === 'string') return values.company;
  const me = await callApi(what, { url: `${api}/v1/me` }, err);
  if (!me.ok) return me.exitCode;
  return (me.body as { company: { id: string } }).company.id;
}
