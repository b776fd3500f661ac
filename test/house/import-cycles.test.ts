import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * House rule: no import circles in lib/, and the floors of DESIGN.md point one way (the pure
 * model imports nothing above it). Imports are read with the TypeScript pre-processor (type-only
 * imports included: a circle of types is still a circle for a reader).
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

/** The strongly connected components with more than one file (Tarjan), each sorted. */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    indices.set(v, index); low.set(v, index); index++;
    stack.push(v); onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indices.get(w)!));
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do { w = stack.pop()!; onStack.delete(w); component.push(w); } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(component.map((f) => path.relative(LIB, f)).sort());
    }
  };
  for (const v of graph.keys()) if (!indices.has(v)) visit(v);
  return out;
}

describe('lib/ imports', () => {
  const graph = importGraph();

  test('the graph was read (a test that cannot pass empty)', () => {
    expect(graph.size).toBeGreaterThan(50);
    expect(graph.get(path.join(LIB, 'index.ts'))!.length).toBeGreaterThan(10);
  });

  test('have no circles', () => {
    expect(cycles(graph)).toEqual([]);
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
