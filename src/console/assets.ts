import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Request, Response } from 'express';

// The console's static files, served as they are: our own CSS and scripts,
// and Chart.js's browser build straight from node_modules, so nothing is
// built or committed prebuilt. Each is read once at start; its URL carries
// a hash of its content, so a browser may keep it for a year and still
// fetches a changed file after an upgrade.

const chartJsDir = dirname(createRequire(import.meta.url).resolve('chart.js'));
const ownDir = join(import.meta.dirname, 'assets');

const files = {
  'console.css': { path: join(ownDir, 'console.css'), type: 'text/css; charset=utf-8' },
  'glance.js': { path: join(ownDir, 'glance.js'), type: 'text/javascript; charset=utf-8' },
  'policy.js': { path: join(ownDir, 'policy.js'), type: 'text/javascript; charset=utf-8' },
  'chart.umd.min.js': { path: join(chartJsDir, 'chart.umd.min.js'), type: 'text/javascript; charset=utf-8' },
} as const;

export type AssetName = keyof typeof files;

interface Asset {
  readonly body: Buffer;
  readonly type: string;
  readonly hash: string;
}

const yearSeconds = 365 * 24 * 60 * 60;

export interface Assets {
  href(name: AssetName): string;
  serve(request: Request, response: Response): void;
}

export function loadAssets(): Assets {
  const loaded = new Map<string, Asset>(
    Object.entries(files).map(([name, file]) => {
      const body = readFileSync(file.path);
      return [name, { body, type: file.type, hash: createHash('sha256').update(body).digest('hex').slice(0, 16) }];
    }),
  );
  const find = (name: string): Asset => {
    const asset = loaded.get(name);
    if (asset === undefined) throw new Error(`no console asset ${name}`);
    return asset;
  };
  return {
    href: (name) => `/assets/${name}?v=${find(name).hash}`,
    serve: (request, response) => {
      const asset = loaded.get(String(request.params.name));
      if (asset === undefined) {
        response.status(404).type('text/plain').send('Not found');
        return;
      }
      // An old page may still ask for an older hash: it gets today's file, not kept for long.
      const current = request.query.v === asset.hash;
      response
        .status(200)
        .type(asset.type)
        .set('Cache-Control', current ? `public, max-age=${yearSeconds}, immutable` : 'public, max-age=300')
        .set('ETag', `"${asset.hash}"`)
        .send(asset.body);
    },
  };
}
