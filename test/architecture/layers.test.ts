// The import graph of src/ runs one way: reads every import (static, re-export, dynamic, type-only)
// and fails on an import from a lower layer to a higher one, or on a cycle between folders.
// The layer order is defined here (and drawn in the README's Architecture section).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../../src/', import.meta.url));

/**
 * Low → high; a module may import its own layer or lower ones only. Units are top-level folders of
 * src/ (or root files); inside one, folder cycles are still refused.
 */
export const LAYERS: readonly (readonly string[])[] = [
  ['schemas', 'config.ts'], // zod types and settings: import nothing of ours but each other
  ['engine'], // store, library, schedule, timeline, stream, ffmpeg, guide, services
  ['hw'], // encoder detection and verification: uses the engine's ffmpeg builders and events
  ['appliance.ts'], // engine + hw joined (the only place that knows both)
  ['server', 'discovery'], // HTTP (Fastify) and the network announcements (UDP, SSDP)
  ['daemon'], // how a daemon is found and held: runtime file, single-daemon lock
  ['main.ts'], // the daemon: engine → server → discovery → listen
  ['client'], // the API client of the CLI and TUI (HTTP or in-process inject), finding the daemon
  ['cli', 'tui'], // the user's commands and the terminal UI
];

export interface Edge { from: string; to: string; spec: string }

const IMPORT_RE = /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?'([^']+)'|import\(\s*'([^']+)'\s*\)/g;

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** Every import of one of our own modules in src/: file → file (paths relative to src/, .ts). */
export function importEdges(root = SRC): Edge[] {
  const edges: Edge[] = [];
  for (const file of walk(root)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(IMPORT_RE)) {
      const spec = m[1] ?? m[2]!;
      if (!spec.startsWith('.')) continue;
      const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
      edges.push({ from: relative(root, file), to: relative(root, target), spec });
    }
  }
  return edges;
}

/** The layer unit of a path under src/: its first segment (a folder or a root file). */
export const unitOf = (path: string): string => path.split('/')[0]!;
export const layerOf = (path: string): number => LAYERS.findIndex((l) => l.includes(unitOf(path)));

/** Imports that point up the layer order. */
export function upwardImports(edges: readonly Edge[]): string[] {
  return edges.filter((e) => layerOf(e.to) > layerOf(e.from)).map((e) => `${e.from} → ${e.to} (${unitOf(e.from)} may not import ${unitOf(e.to)})`);
}

/**
 * Folder-level cycles between sibling folders at every depth (engine/schedule ⇄ engine/timeline,
 * cli ⇄ tui): an import from a/x/… to a/y/… is an edge a/x → a/y. A folder's own files (engine/errors.ts,
 * engine/engine.ts) may be used by and may use its subfolders. Each cycle as a path, first = last.
 */
export function folderCycles(edges: readonly Edge[]): string[][] {
  const graph = new Map<string, Set<string>>();
  for (const e of edges) {
    const a = e.from.split('/'), b = e.to.split('/');
    let i = 0;
    while (i < a.length - 1 && i < b.length - 1 && a[i] === b[i]) i++;
    if (i >= a.length - 1 || i >= b.length - 1) continue; // one side is a file of the common folder
    const x = a.slice(0, i + 1).join('/'), y = b.slice(0, i + 1).join('/');
    if (!graph.has(x)) graph.set(x, new Set());
    graph.get(x)!.add(y);
  }
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): void => {
    state.set(n, 'open');
    stack.push(n);
    for (const m of graph.get(n) ?? []) {
      if (state.get(m) === 'open') cycles.push([...stack.slice(stack.indexOf(m)), m]);
      else if (!state.has(m)) visit(m);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of [...graph.keys()].sort()) if (!state.has(n)) visit(n);
  return cycles;
}

describe('the import graph of src/', () => {
  const edges = importEdges();

  test('reads the imports (the parser sees static, type-only, re-export and dynamic imports)', () => {
    assert.ok(edges.length > 300, `${edges.length} imports`);
    const from = (f: string) => edges.filter((e) => e.from === f).map((e) => e.to);
    assert.ok(from('engine/engine.ts').includes('engine/hardware.ts'), 'a type-only import');
    assert.ok(edges.some((e) => e.spec.startsWith('../tui/') && e.from.startsWith('cli/')), 'a dynamic import');
  });

  test('every file of src/ is in a layer', () => {
    const unplaced = [...new Set([...edges.map((e) => e.from), ...edges.map((e) => e.to)].filter((f) => layerOf(f) < 0).map(unitOf))];
    assert.deepEqual(unplaced, [], 'add new top-level folders to LAYERS');
  });

  test('no import from a lower layer to a higher one', () => {
    assert.deepEqual(upwardImports(edges), []);
  });

  test('no cycle between folders', () => {
    assert.deepEqual(folderCycles(edges).map((c) => c.join(' → ')), []);
  });

  test('HTTP talks to services: no route reaches into engine.store, no error body built by hand', () => {
    const offenders: string[] = [];
    for (const file of walk(join(SRC, 'server'))) {
      const rel = relative(SRC, file);
      const text = readFileSync(file, 'utf8');
      if (/\.store\b/.test(text)) offenders.push(`${rel}: reads the store`);
      if (/statusCode: \d{3}, error:/.test(text)) offenders.push(`${rel}: builds an error body (throw an AppError)`);
      // Routes throw; only the one error handler (errors.ts) answers with an error body.
      if (rel.startsWith('server/routes/') && /\berrorBody\(/.test(text)) offenders.push(`${rel}: answers an error by hand (throw an AppError)`);
    }
    assert.deepEqual(offenders, []);
  });

  test('the checks can fail: an upward import and a cycle are caught', () => {
    const bad: Edge[] = [
      { from: 'schemas/a.ts', to: 'engine/b.ts', spec: '' },
      { from: 'engine/x/a.ts', to: 'engine/y/b.ts', spec: '' },
      { from: 'engine/y/b.ts', to: 'engine/z/c.ts', spec: '' },
      { from: 'engine/z/c.ts', to: 'engine/x/d.ts', spec: '' },
      { from: 'engine/e.ts', to: 'engine/x/a.ts', spec: '' }, // a folder's own file and its subfolder: no cycle
      { from: 'engine/x/a.ts', to: 'engine/e.ts', spec: '' },
    ];
    assert.equal(upwardImports(bad).length, 1);
    assert.deepEqual(folderCycles(bad).map((c) => c.join(' → ')), ['engine/x → engine/y → engine/z → engine/x']);
  });
});
