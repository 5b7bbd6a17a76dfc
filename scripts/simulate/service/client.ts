// The HTTP API as the LPAs, dinsos offices, finance and the directorate call
// it, against whichever instance of the service is up.

export interface Reply {
  readonly status: number;
  // Parsed JSON, or the text when the answer is not JSON.
  readonly body: unknown;
  readonly replayed: boolean;
}

export class ApiClient {
  requests = 0;

  constructor(private readonly baseUrl: () => string) {}

  async call(
    key: string | null,
    method: 'GET' | 'POST',
    path: string,
    options: { body?: unknown; idempotencyKey?: string; contentType?: string } = {},
  ): Promise<Reply> {
    this.requests += 1;
    const headers: Record<string, string> = {};
    if (key !== null) headers.authorization = `Bearer ${key}`;
    if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] = options.contentType ?? 'application/json';
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    }
    const response = await fetch(`${this.baseUrl()}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON (CSV, an empty body): kept as text.
    }
    return { status: response.status, body: parsed, replayed: response.headers.get('idempotent-replayed') === 'true' };
  }

  get(key: string, path: string): Promise<Reply> {
    return this.call(key, 'GET', path);
  }

  post(key: string, path: string, body: unknown, idempotencyKey?: string): Promise<Reply> {
    return this.call(key, 'POST', path, { body, ...(idempotencyKey === undefined ? {} : { idempotencyKey }) });
  }
}
