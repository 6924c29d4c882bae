export interface ApiAnswer {
  status: number;
  body: any;
  headers: Headers;
  /** The body's bytes as received (PDFs and other binary answers). */
  bytes: Buffer;
}

export type ApiCall = (
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<ApiAnswer>;

/** JSON calls to the API with one API key (or none); the body is parsed when the answer is JSON. */
export function apiClient(baseUrl: string, key?: string): ApiCall {
  return async (method, path, body, headers = {}) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    const text = bytes.toString('utf8');
    return {
      status: res.status,
      body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text,
      headers: res.headers,
      bytes,
    };
  };
}
