import * as fs from 'fs';
import * as path from 'path';

/**
 * The shape of lib/policy/ read from its sources: small files, no import circle among them, no
 * call of cdk8s-plus internals, and the model's reference check below the constructs' floor.
 */

const LIB = path.join(__dirname, '..', '..', 'lib');
const POLICY = path.join(LIB, 'policy');
const files = fs.readdirSync(POLICY).filter((f) => f.endsWith('.ts')).map((f) => path.join(POLICY, f));

/** The relative imports of a file (`import`, `import type`, `export ... from`), resolved to files. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\b[^;]*?from\s*'(\.[^']+)'/gm)) {
    const base = path.resolve(path.dirname(file), m[1]);
    const target = [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
    if (target) out.push(target);
  }
  return out;
}

test('the reader sees the imports (a broken reader cannot pass)', () => {
  expect(importsOf(path.join(POLICY, 'multi-network-policy.ts')).map((f) => path.relative(LIB, f))).toEqual(expect.arrayContaining([
    path.join('policy', 'networks.ts'), path.join('policy', 'props.ts'), path.join('topology', 'policy-references.ts'),
  ]));
  expect(files.length).toBeGreaterThanOrEqual(8);
});

test('no import circle through lib/policy', () => {
  const circles: string[] = [];
  for (const start of files) {
    const seen = new Set<string>();
    const todo = importsOf(start);
    while (todo.length > 0) {
      const f = todo.pop()!;
      if (f === start) {
        circles.push(path.relative(LIB, start));
        break;
      }
      if (seen.has(f) || !f.startsWith(LIB)) continue;
      seen.add(f);
      todo.push(...importsOf(f));
    }
  }
  expect(circles).toEqual([]);
});

test('small files with one job each', () => {
  const long = files.filter((f) => fs.readFileSync(f, 'utf8').split('\n').length > 300).map((f) => path.basename(f));
  expect(long).toEqual([]);
});

test('cdk8s-plus is used through its public API only (no _toKube, _toLabelSelector, ...)', () => {
  const calls = [...files, path.join(LIB, 'multi-network-policy.ts')]
    .flatMap((f) => [...fs.readFileSync(f, 'utf8').matchAll(/\.\s*(_to[A-Z]\w*)\s*\(/g)].map((m) => `${path.basename(f)}: ${m[1]}`))
    // our own internal renderings (MultiNetworkPolicyPort._toJson, MultiNetworkPolicyPeer._toJson) are not cdk8s-plus's
    .filter((c) => !c.endsWith('_toJson'));
  expect(calls).toEqual([]);
});

test('the policy-for check is on the model: no construct, cdk8s or policy code below it', () => {
  const model = path.join(LIB, 'topology', 'policy-references.ts');
  const text = fs.readFileSync(model, 'utf8');
  expect(text).not.toMatch(/from '(cdk8s|cdk8s-plus-\d+|constructs)'/);
  expect(importsOf(model).map((f) => path.relative(LIB, path.dirname(f))).sort()).toEqual(['cni', 'multus', 'topology']);
});
