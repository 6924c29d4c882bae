import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import { describe, it } from 'node:test';
import { PROJECT_ROOT } from '../../platform/config/settings.js';

/** Every production module and the modules it imports (relative imports, types included). */
async function importGraph(): Promise<Map<string, string[]>> {
  const graph = new Map<string, string[]>();
  const folders = [
    'common',
    'domain',
    'platform',
    'pac',
    'activities',
    'workflows',
    'app',
    'api',
    'worker',
    'tools',
  ];
  for (const folder of folders) {
    for (const file of await readdir(join(PROJECT_ROOT, folder), { recursive: true })) {
      if (!file.endsWith('.ts')) continue;
      const path = join(folder, file);
      const text = await readFile(join(PROJECT_ROOT, path), 'utf8');
      const deps = [...text.matchAll(/(?:from|import\()\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) =>
        normalize(join(dirname(path), m[1]!)).replace(/\.js$/, '.ts'),
      );
      graph.set(path, deps);
    }
  }
  return graph;
}

/** The cycles of the graph (Tarjan's strongly connected components with more than one module). */
function cycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('the import graph (docs/architecture.md)', () => {
  it('has no cycle', async () => {
    assert.deepEqual(cycles(await importGraph()), []);
  });

  it('finds a cycle when there is one (the check itself)', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    assert.deepEqual(cycles(graph), [['a.ts', 'b.ts', 'c.ts']]);
  });

  it('has at most 14 top-level folders', async () => {
    const entries = await readdir(PROJECT_ROOT, { withFileTypes: true });
    const folders = entries
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !['node_modules', 'dist'].includes(e.name))
      .map((e) => e.name);
    assert.ok(folders.length <= 14, folders.join(', '));
  });

  it('keeps PAC names out of activities, workflows, services and storage (code, not comments)', async () => {
    const found: string[] = [];
    for (const folder of ['activities', 'workflows', 'app/services', 'platform/storage']) {
      for (const file of await readdir(join(PROJECT_ROOT, folder), { recursive: true })) {
        // Migrations are history: they keep the names they had.
        if (!file.endsWith('.ts') || file.startsWith('migrations')) continue;
        const lines = (await readFile(join(PROJECT_ROOT, folder, file), 'utf8')).split('\n');
        lines.forEach((line, i) => {
          const code = line
            .replace(/\/\/.*$/, '')
            .replace(/^\s*\*.*$/, '')
            .replace(/\/\*.*?\*\//g, '');
          if (/\b(aludra|edoc|hka)\b/i.test(code)) found.push(`${folder}/${file}:${i + 1}: ${line.trim()}`);
        });
      }
    }
    assert.deepEqual(found, []);
  });
});
