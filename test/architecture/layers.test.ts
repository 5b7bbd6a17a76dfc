import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { cruise, type ICruiseOptions, type IModule } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import { beforeAll, describe, expect, it } from 'vitest';

// The floor plan in .dependency-cruiser.cjs, held to src/ as it is, and shown
// to refuse the arrows it is there to refuse.

const root = resolve(import.meta.dirname, '../..');
let options: ICruiseOptions;

beforeAll(async () => {
  options = (await extractDepcruiseOptions(join(root, '.dependency-cruiser.cjs'))) as ICruiseOptions;
});

async function modulesOf(baseDir: string): Promise<{ modules: IModule[]; violations: string[] }> {
  const result = await cruise(['src'], { ...options, baseDir, validate: true });
  if (typeof result.output === 'string') throw new Error('expected a cruise result, not a report');
  return {
    modules: result.output.modules,
    violations: result.output.summary.violations.map(
      (violation) => `${violation.rule.name}: ${violation.from} → ${violation.to}`,
    ),
  };
}

function folderOf(path: string): string | null {
  const match = /^src\/([^/]+)\//.exec(path);
  return match === null ? null : match[1]!;
}

// A cycle among src/'s folders, as the folders it passes through, or null.
function folderCycle(modules: readonly IModule[]): string[] | null {
  const edges = new Map<string, Set<string>>();
  for (const module of modules) {
    const from = folderOf(module.source);
    if (from === null) continue;
    for (const dependency of module.dependencies) {
      const to = folderOf(dependency.resolved);
      if (to === null || to === from) continue;
      edges.set(from, (edges.get(from) ?? new Set()).add(to));
    }
  }
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (folder: string): string[] | null => {
    if (state.get(folder) === 'open') return [...path.slice(path.indexOf(folder)), folder];
    if (state.get(folder) === 'done') return null;
    state.set(folder, 'open');
    path.push(folder);
    for (const next of edges.get(folder) ?? []) {
      const cycle = visit(next);
      if (cycle !== null) return cycle;
    }
    path.pop();
    state.set(folder, 'done');
    return null;
  };
  for (const folder of edges.keys()) {
    const cycle = visit(folder);
    if (cycle !== null) return cycle;
  }
  return null;
}

describe('the layers of src/', () => {
  it('breaks no dependency rule and has no import cycle between folders', async () => {
    const { modules, violations } = await modulesOf(root);
    expect(modules.filter((module) => module.source.startsWith('src/')).length).toBeGreaterThan(150);
    expect(violations).toEqual([]);
    expect(folderCycle(modules)).toBeNull();
  });

  it('refuses a wrong arrow and names the rule it breaks', async () => {
    const scratch = await mkdtemp(join(tmpdir(), 'askesos-layers-'));
    const files: Record<string, string> = {
      'src/ledger/post.ts': "import { findParticipant } from '../registry/store.ts';\nexport const post = findParticipant;\n",
      'src/registry/store.ts': "import { claim } from '../claims/model.ts';\nexport const findParticipant = claim;\n",
      'src/registry/index.ts': "export { findParticipant } from './store.ts';\n",
      'src/claims/model.ts':
        "import { findParticipant } from '../registry/index.ts';\nexport const claim = () => findParticipant;\n",
      'src/shared/http/route.ts': "import { claim } from '../../claims/model.ts';\nexport const route = claim;\n",
    };
    try {
      for (const [path, text] of Object.entries(files)) {
        await mkdir(dirname(join(scratch, path)), { recursive: true });
        await writeFile(join(scratch, path), text);
      }
      const { modules, violations } = await modulesOf(scratch);
      expect(violations).toEqual(
        expect.arrayContaining([
          'core-not-to-features: src/ledger/post.ts → src/registry/store.ts',
          'registry-only-through-its-index: src/ledger/post.ts → src/registry/store.ts',
          'registry-not-to-higher-features: src/registry/store.ts → src/claims/model.ts',
          'claims-only-through-its-index: src/registry/store.ts → src/claims/model.ts',
          'shared-not-to-features: src/shared/http/route.ts → src/claims/model.ts',
        ]),
      );
      expect(violations.some((violation) => violation.startsWith('no-circular:'))).toBe(true);
      const cycle = folderCycle(modules);
      expect(cycle?.[0]).toBe(cycle?.at(-1));
      expect(new Set(cycle)).toEqual(new Set(['registry', 'claims']));
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  });
});
