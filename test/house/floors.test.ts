import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * House rule: the floors of DESIGN.md point one way (the pure model imports nothing above it,
 * and neither cdk8s nor Pulumi). Imports are read with the TypeScript pre-processor (type-only
 * imports included). Circles are checked by test/import-circles.test.ts.
 */

const LIB = path.resolve(__dirname, '../../lib');

function sourcesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sourcesUnder(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out.sort();
}

function resolveImport(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourcesUnder(LIB)) {
    const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    const targets = info.importedFiles.map((f) => resolveImport(file, f.fileName)).filter((t): t is string => t !== undefined);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

describe('lib/ imports', () => {
  const graph = importGraph();

  test('the graph was read (a test that cannot pass empty)', () => {
    expect(graph.size).toBeGreaterThan(50);
    expect(graph.get(path.join(LIB, 'index.ts'))!.length).toBeGreaterThan(10);
  });

  test('the pure model (cni/, addressing/, multus/, topology/) imports nothing above it', () => {
    const model = ['cni', 'addressing', 'multus', 'topology'];
    const offending: string[] = [];
    for (const [file, targets] of graph) {
      const floor = path.relative(LIB, file).split(path.sep)[0];
      if (!model.includes(floor)) continue;
      for (const t of targets) {
        const target = path.relative(LIB, t).split(path.sep);
        if (target.length === 1 || !model.includes(target[0])) offending.push(`${path.relative(LIB, file)} -> ${path.relative(LIB, t)}`);
      }
    }
    expect(offending).toEqual([]);
  });

  test('the model imports neither cdk8s nor Pulumi', () => {
    const model = ['cni', 'addressing', 'multus', 'topology'];
    const offending: string[] = [];
    for (const file of graph.keys()) {
      if (!model.includes(path.relative(LIB, file).split(path.sep)[0])) continue;
      const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
      for (const f of info.importedFiles) {
        if (/^(cdk8s|cdk8s-plus-\d+|constructs|@pulumi\/)/.test(f.fileName)) offending.push(`${path.relative(LIB, file)} -> ${f.fileName}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
