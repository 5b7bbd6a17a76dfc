import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A scratch copy of shipped rule sets to break or extend, one per test.
export interface ScratchRules {
  readonly dir: string;
  edit(file: string, change: (json: Record<string, unknown>) => void): void;
  write(file: string, text: string): void;
  remove(path: string): void;
  copyVersion(scheme: string, from: string, to: string): void;
  dispose(): void;
}

export function scratchRules(schemes: readonly string[]): ScratchRules {
  const dir = mkdtempSync(join(tmpdir(), 'askesos-rules-'));
  for (const scheme of schemes) cpSync(join('rules', scheme), join(dir, scheme), { recursive: true });
  return {
    dir,
    edit: (file, change) => {
      const path = join(dir, file);
      const json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
      change(json);
      writeFileSync(path, `${JSON.stringify(json, null, 2)}\n`);
    },
    write: (file, text) => writeFileSync(join(dir, file), text),
    remove: (path) => rmSync(join(dir, path), { recursive: true, force: true }),
    copyVersion: (scheme, from, to) => {
      cpSync(join(dir, scheme, from), join(dir, scheme, to), { recursive: true });
      rmSync(join(dir, scheme, to, 'cases'), { recursive: true, force: true });
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

// Reaches into parsed rule JSON by a path of keys and indexes.
export function at(json: unknown, ...path: (string | number)[]): Record<string, unknown> {
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], json) as Record<string, unknown>;
}
