import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { versionFolderHash } from '../../src/rules/load.ts';
import { publicationFile, readPublicationRecord, writePublicationRecord } from '../../src/rules/publication.ts';

// A scratch copy of shipped rule sets to break or extend, one per test. It is
// a history of its own: editing a published version there re-records the
// hash it was published with (editPublished leaves the record as it was, to
// see an edit refused), and a copied version is a draft until published.
export interface ScratchRules {
  readonly dir: string;
  edit(file: string, change: (json: Record<string, unknown>) => void): void;
  editPublished(file: string, change: (json: Record<string, unknown>) => void): void;
  publish(scheme: string, version: string): void;
  write(file: string, text: string): void;
  remove(path: string): void;
  copyVersion(scheme: string, from: string, to: string): void;
  dispose(): void;
}

export function scratchRules(schemes: readonly string[]): ScratchRules {
  const dir = mkdtempSync(join(tmpdir(), 'askesos-rules-'));
  for (const scheme of schemes) cpSync(join('rules', scheme), join(dir, scheme), { recursive: true });
  const editFile = (file: string, change: (json: Record<string, unknown>) => void) => {
    const path = join(dir, file);
    const json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    change(json);
    writeFileSync(path, `${JSON.stringify(json, null, 2)}\n`);
  };
  const restamp = (versionDir: string) => {
    if (!existsSync(join(versionDir, publicationFile))) return;
    const record = readPublicationRecord(versionDir) as Record<string, unknown>;
    const manifest = JSON.parse(readFileSync(join(versionDir, 'manifest.json'), 'utf8')) as { effectiveFrom: string };
    writeFileSync(
      join(versionDir, publicationFile),
      `${JSON.stringify({ ...record, hash: versionFolderHash(versionDir), effectiveFrom: manifest.effectiveFrom }, null, 2)}\n`,
    );
  };
  return {
    dir,
    edit: (file, change) => {
      editFile(file, change);
      if (!file.includes('cases')) restamp(dirname(join(dir, file)));
    },
    editPublished: editFile,
    publish: (scheme, version) => {
      const versionDir = join(dir, scheme, version);
      const manifest = JSON.parse(readFileSync(join(versionDir, 'manifest.json'), 'utf8')) as { effectiveFrom: string };
      writePublicationRecord(versionDir, {
        scheme,
        version,
        hash: versionFolderHash(versionDir),
        publishedAt: `${manifest.effectiveFrom}T00:00:00+07:00`,
        publishedBy: 'a test',
        effectiveFrom: manifest.effectiveFrom,
        ended: [],
      });
    },
    write: (file, text) => writeFileSync(join(dir, file), text),
    remove: (path) => rmSync(join(dir, path), { recursive: true, force: true }),
    copyVersion: (scheme, from, to) => {
      cpSync(join(dir, scheme, from), join(dir, scheme, to), { recursive: true });
      rmSync(join(dir, scheme, to, 'cases'), { recursive: true, force: true });
      rmSync(join(dir, scheme, to, publicationFile), { force: true });
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

// Reaches into parsed rule JSON by a path of keys and indexes.
export function at(json: unknown, ...path: (string | number)[]): Record<string, unknown> {
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], json) as Record<string, unknown>;
}
