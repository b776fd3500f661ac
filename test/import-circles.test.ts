import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * No import circles anywhere in lib/ (the generated lib/imports aside), read with the TypeScript
 * compiler's own import scanner (`import`, `import type`, `export ... from`, `require`).
 */
const LIB = path.join(__dirname, '..', 'lib');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return e.name === 'imports' ? [] : sources(path.join(dir, e.name));
    return e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [];
  });
}

/** Every file of lib/ with the files of lib/ it imports. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sources(LIB)) {
    const scanned = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    const deps: string[] = [];
    for (const ref of scanned.importedFiles) {
      if (!ref.fileName.startsWith('.')) continue;
      const base = path.resolve(path.dirname(file), ref.fileName);
      const target = [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
      if (target) deps.push(target);
    }
    graph.set(file, deps);
  }
  return graph;
}

/** The strongly connected components of more than one file (Tarjan): each is an import circle. */
function circles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(path.relative(LIB, w));
      } while (w !== v);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

const rel = (f: string) => path.relative(LIB, f);

describe('the import graph of lib/', () => {
  const graph = importGraph();

  test('the reader finds imports (a broken reader cannot pass)', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get(path.join(LIB, 'pod-networks.ts'))!.map(rel)).toEqual(expect.arrayContaining(['topology-validation.ts', 'pod-template.ts', 'network-target.ts']));
    // a circle is found when there is one
    expect(circles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]))).toEqual([['a', 'b', 'c'].map((f) => path.relative(LIB, f)).sort()]);
  });

  test('has no circles', () => {
    expect(circles(graph)).toEqual([]);
  });

  test('the whole-topology check does not reach the constructs that attach (it reads PodNetworks through a symbol)', () => {
    const seen = new Set<string>();
    const todo = [path.join(LIB, 'topology-validation.ts')];
    while (todo.length > 0) for (const d of graph.get(todo.pop()!) ?? []) if (!seen.has(d)) { seen.add(d); todo.push(d); }
    expect([...seen].map(rel).filter((f) => ['network-function.ts', 'pod-networks.ts', 'pod-template.ts'].includes(f))).toEqual([]);
  });
});
