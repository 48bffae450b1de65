// The TUI stays state + render: no function (view create(), a closure, a method) in src/tui runs
// over MAX_LINES lines; a view that grows past it moves its state and rows to a model file.
// Measured with the TypeScript parser on the sources, nested functions counted on their own too.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const TUI = fileURLToPath(new URL('../../../src/tui/', import.meta.url));
const MAX_LINES = 120;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

export function longFunctions(file: string, max: number): { line: number; lines: number; name: string }[] {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: { line: number; lines: number; name: string }[] = [];
  const visit = (n: ts.Node) => {
    if (ts.isFunctionLike(n) && (n as ts.FunctionLikeDeclarationBase).body) {
      const from = sf.getLineAndCharacterOfPosition(n.getStart(sf)).line;
      const lines = sf.getLineAndCharacterOfPosition(n.getEnd()).line - from + 1;
      if (lines > max) out.push({ line: from + 1, lines, name: (n as ts.FunctionLikeDeclarationBase).name?.getText(sf) ?? '(anonymous)' });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

test(`no function in src/tui over ${MAX_LINES} lines`, () => {
  const long = files(TUI).flatMap((f) => longFunctions(f, MAX_LINES).map((x) => `${relative(TUI, f)}:${x.line} ${x.name} (${x.lines} lines)`));
  assert.deepEqual(long, []);
});

test('the check finds a long function', () => {
  const file = join(TUI, 'views', 'schedule-forms.ts');
  assert.ok(longFunctions(file, 30).some((x) => x.name === 'mainForm'), 'a 30-line limit catches the main schedule form (40 lines)');
});
