import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { startService } from '../src/app/server.ts';
import { type ServiceDatabase, openServiceDatabase } from './support/db.ts';

// The service as "npm start" runs it: configuration, database, first key,
// HTTP and scheduler, on a real port.
describe('startService', () => {
  let database: ServiceDatabase;
  const env: Record<string, string> = { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' };

  beforeAll(async () => {
    database = await openServiceDatabase();
    Object.assign(env, database.env);
  });
  afterAll(async () => {
    await database.close();
  });

  it('creates one directorate key on first start only, and serves with it', async () => {
    const said: string[] = [];
    const first = await startService(loadConfig(env), createLogger('silent'), (text) => said.push(text));
    let secret = '';
    try {
      expect(said).toHaveLength(1);
      secret = /(ask_[A-Za-z0-9_-]{43})/.exec(said[0] ?? '')?.[1] ?? '';
      expect(secret).not.toBe('');
      expect(said[0]).toContain('npx askesos keys create --role');

      const base = `http://127.0.0.1:${first.port}`;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      expect(((await (await fetch(`${base}/openapi.json`)).json()) as { openapi: string }).openapi).toBe('3.1.0');
      const whoami = await fetch(`${base}/v1/whoami`, { headers: { Authorization: `Bearer ${secret}` } });
      expect(((await whoami.json()) as { role: string }).role).toBe('directorate');
    } finally {
      await first.stop();
    }

    const again: string[] = [];
    const second = await startService(loadConfig(env), createLogger('silent'), (text) => again.push(text));
    try {
      expect(again).toEqual([]);
      const whoami = await fetch(`http://127.0.0.1:${second.port}/v1/whoami`, { headers: { Authorization: `Bearer ${secret}` } });
      expect(whoami.status).toBe(200);
    } finally {
      await second.stop();
    }
  });
});
