import { Agent, request } from 'node:http';

// The HTTP API as the LPAs, dinsos offices, finance and the directorate call
// it, against whichever instance of the service is up. Connections are kept
// alive per instance and dropped with it: a restarted service may get the
// old port back, and a request must never go down a dead socket.

export interface Reply {
  readonly status: number;
  // Parsed JSON, or the text when the answer is not JSON.
  readonly body: unknown;
  readonly replayed: boolean;
}

export class ApiClient {
  requests = 0;
  private agent = new Agent({ keepAlive: true, maxSockets: 8 });

  constructor(private readonly baseUrl: () => string) {}

  dropConnections(): void {
    this.agent.destroy();
    this.agent = new Agent({ keepAlive: true, maxSockets: 8 });
  }

  call(
    key: string | null,
    method: 'GET' | 'POST',
    path: string,
    options: { body?: unknown; idempotencyKey?: string; contentType?: string } = {},
  ): Promise<Reply> {
    this.requests += 1;
    const headers: Record<string, string> = {};
    if (key !== null) headers.authorization = `Bearer ${key}`;
    if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
    let body: Buffer | undefined;
    if (options.body !== undefined) {
      headers['content-type'] = options.contentType ?? 'application/json';
      body = Buffer.from(typeof options.body === 'string' ? options.body : JSON.stringify(options.body), 'utf8');
      headers['content-length'] = String(body.length);
    }
    return new Promise((resolve, reject) => {
      const sent = request(`${this.baseUrl()}${path}`, { method, headers, agent: this.agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // Not JSON (CSV, an empty body): kept as text.
          }
          resolve({
            status: response.statusCode ?? 0,
            body: parsed,
            replayed: response.headers['idempotent-replayed'] === 'true',
          });
        });
      });
      sent.on('error', reject);
      sent.end(body);
    });
  }

  get(key: string, path: string): Promise<Reply> {
    return this.call(key, 'GET', path);
  }

  post(key: string, path: string, body: unknown, idempotencyKey?: string): Promise<Reply> {
    return this.call(key, 'POST', path, { body, ...(idempotencyKey === undefined ? {} : { idempotencyKey }) });
  }
}
