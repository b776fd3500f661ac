import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { typescriptBlocks } from '../util/markdown';

/**
 * Every TypeScript block of the README runs as written: each is a whole program (imports
 * included) that a user can paste. The only change is where `cdk8s-nfv` resolves to (this
 * checkout's sources instead of the installed package). Each block is type-checked with
 * `--strict`, then run with tsx in a folder of its own; what it writes to dist/ must be
 * Kubernetes YAML, and a block that uses `cdk8s-nfv/pulumi` runs under Pulumi's mock engine and
 * must register resources.
 */

const root = path.join(__dirname, '..', '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

const blocks = typescriptBlocks(readme);
const work = path.join(root, '.cdk8s-nfv-tmp');
fs.mkdirSync(work, { recursive: true });
const tmp = fs.mkdtempSync(path.join(work, 'readme-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function localized(code: string, dir: string): string {
  const lib = path.relative(dir, path.join(root, 'lib')).split(path.sep).join('/');
  return code
    .replace(/from 'cdk8s-nfv\/pulumi'/g, `from '${lib}/pulumi'`)
    .replace(/from 'cdk8s-nfv'/g, `from '${lib}'`);
}

const files = blocks.map((b, i) => {
  const dir = path.join(tmp, `block${i}`);
  fs.mkdirSync(dir);
  const file = path.join(dir, 'main.ts');
  fs.writeFileSync(file, localized(b.code, dir));
  return { ...b, dir, file, pulumi: /from 'cdk8s-nfv\/pulumi'/.test(b.code) };
});

describe('README TypeScript blocks', () => {
  test('the README has TypeScript blocks, each a whole program with its imports', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    for (const b of blocks) expect(b.code).toMatch(/^import /m);
    expect(typescriptBlocks('x\n```ts\na\nb\n```\n```sh\nc\n```\n```ts\nd\n```\n')).toEqual([
      { line: 3, code: 'a\nb' },
      { line: 10, code: 'd' },
    ]);
  });

  test('every block type-checks with --strict', () => {
    const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = spawnSync(process.execPath, [tsc, '--noEmit', '--strict', '--esModuleInterop', '--skipLibCheck',
      '--module', 'commonjs', '--moduleResolution', 'node', '--target', 'ES2022', '--types', 'node',
      ...files.map((f) => f.file)], { cwd: root, encoding: 'utf8' });
    const report = `${r.stdout}${r.stderr}`.split(tmp).join('README');
    expect(report).toBe('');
    expect(r.status).toBe(0);
  });

  test.each(files.map((f) => [f.line, f] as const))('the block at README line %i runs and writes what it says', (_line, f) => {
    const record = path.join(f.dir, 'pulumi-resources.jsonl');
    const args = f.pulumi ? ['--require', path.join(__dirname, 'pulumi-mocks.js')] : [];
    const r = spawnSync(process.execPath, [...args, '--import', 'tsx', 'main.ts'], {
      cwd: f.dir,
      encoding: 'utf8',
      env: { ...process.env, README_PULUMI_RECORD: record },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    if (f.pulumi) {
      const registered = fs.readFileSync(record, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string });
      expect(registered.map((x) => x.type)).toContain('cdk8s-nfv:index:Cdk8sDeployment');
      expect(registered.map((x) => x.type)).toContain('kubernetes:k8s.cni.cncf.io/v1:NetworkAttachmentDefinition');
      return;
    }
    const dist = path.join(f.dir, 'dist');
    const written = fs.readdirSync(dist).filter((n) => n.endsWith('.k8s.yaml'));
    expect(written.length).toBeGreaterThan(0);
    for (const name of written) {
      const docs = parseAllDocuments(fs.readFileSync(path.join(dist, name), 'utf8'));
      for (const d of docs) {
        expect(d.errors).toEqual([]);
        const o = d.toJS();
        if (o === null) continue;
        expect(typeof o.apiVersion).toBe('string');
        expect(typeof o.kind).toBe('string');
      }
    }
  });
});
