import * as fs from 'fs';
import * as path from 'path';

/**
 * The import graph of lib/ (relative imports, `import type` and `export ... from` included), read
 * from the sources: the model floor has no circles, and a NAD does not reach the installers.
 */
const LIB = path.join(__dirname, '..', '..', 'lib');

function resolve(from: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(from), spec);
  for (const f of [`${base}.ts`, path.join(base, 'index.ts')]) if (fs.existsSync(f)) return f;
  return undefined;
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const out: string[] = [];
  const re = /(?:^|\n)\s*(?:import|export)\b[^'";]*?(?:from\s*)?['"](\.[^'"]+)['"]|require\(['"](\.[^'"]+)['"]\)/g;
  for (const m of text.matchAll(re)) {
    const target = resolve(file, m[1] ?? m[2]);
    if (target) out.push(target);
  }
  return out;
}

function reachable(start: string): Set<string> {
  const seen = new Set<string>();
  const todo = [start];
  while (todo.length > 0) {
    const f = todo.pop()!;
    for (const t of importsOf(f)) if (!seen.has(t)) { seen.add(t); todo.push(t); }
  }
  return seen;
}

const rel = (f: string) => path.relative(LIB, f);

test('the reader finds imports, exports-from and requires', () => {
  const parse = importsOf(path.join(LIB, 'cni', 'parse.ts')).map(rel);
  expect(parse).toEqual(expect.arrayContaining(['cni/config.ts', 'cni/read.ts']));
});

test('no file of lib/cni reaches itself through its imports (no import circle in the CNI model)', () => {
  const files = fs.readdirSync(path.join(LIB, 'cni')).filter((f) => f.endsWith('.ts')).map((f) => path.join(LIB, 'cni', f));
  const circles = files.filter((f) => reachable(f).has(f)).map(rel);
  expect(circles).toEqual([]);
});

test('config.ts and parse.ts: parse imports config, config does not import parse', () => {
  expect(reachable(path.join(LIB, 'cni', 'parse.ts')).has(path.join(LIB, 'cni', 'config.ts'))).toBe(true);
  expect([...reachable(path.join(LIB, 'cni', 'config.ts'))].map(rel).filter((f) => f === 'cni/parse.ts')).toEqual([]);
});

test('a NetworkAttachmentDefinition, a Network and an ExternalNetwork do not import the installers floor', () => {
  for (const f of ['network-attachment-definition.ts', 'network.ts', 'external-network.ts']) {
    const installers = [...reachable(path.join(LIB, f))].map(rel).filter((r) => r.startsWith('installers/'));
    expect({ file: f, installers }).toEqual({ file: f, installers: [] });
  }
});
