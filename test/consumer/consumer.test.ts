import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { typescriptBlocks } from '../util/markdown';

/**
 * The package as a newcomer gets it: `npm pack` of this checkout, installed into fresh projects
 * outside the repository, next to the peers a cdk8s project has (and, in a second install,
 * Pulumi). Each consumer shape type-checks with `tsc --strict` and runs:
 * - CommonJS with node10 resolution (TypeScript 5's default for `module: commonjs`);
 * - the tsconfig `cdk8s init typescript-app` writes (CommonJS, lib es2016, no skipLibCheck);
 * - node16/nodenext resolution from CommonJS;
 * - an ES module project (`"type": "module"`, nodenext);
 * - bundler resolution (type check only);
 * - the Pulumi entry point `cdk8s-nfv/pulumi` under node10 and nodenext.
 * The README quick start is the program; the installed `cdk8s-nfv` command prints its version and
 * lints what the program wrote. Peer versions are the ones this repository develops against.
 */

const root = path.join(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const dev = pkg.devDependencies as Record<string, string>;
const quickStart = typescriptBlocks(fs.readFileSync(path.join(root, 'README.md'), 'utf8'))[0].code;

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-nfv-consumer-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function sh(command: string, args: readonly string[], cwd: string, timeout = 300_000): SpawnSyncReturns<string> {
  return spawnSync(command, [...args], { cwd, encoding: 'utf8', timeout, env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' } });
}

function ok(r: SpawnSyncReturns<string>, what: string): string {
  if (r.status !== 0) throw new Error(`${what} failed (status ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

let tarball = '';

/** A project folder with its own package.json and node_modules (installed once). */
function install(name: string, deps: readonly string[]): string {
  const dir = path.join(work, name);
  writeJson(path.join(dir, 'package.json'), { name: `consumer-${name}`, version: '1.0.0', private: true });
  ok(sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball, ...deps], dir, 600_000), `npm install in ${name}`);
  return dir;
}

const CDK8S_INIT_TSCONFIG = {
  compilerOptions: {
    alwaysStrict: true, declaration: true, experimentalDecorators: true, inlineSourceMap: true, inlineSources: true,
    lib: ['es2016'], module: 'CommonJS', noEmit: false, noEmitOnError: true, noFallthroughCasesInSwitch: true,
    noImplicitAny: true, noImplicitReturns: true, noImplicitThis: true, noUnusedLocals: true, noUnusedParameters: true,
    resolveJsonModule: true, strict: true, strictNullChecks: true, strictPropertyInitialization: true, stripInternal: true,
    target: 'ES2017',
  },
  include: ['**/*.ts'],
  exclude: ['node_modules'],
};

/** A consumer shape: a sub-folder of an install with its tsconfig and, optionally, a package type. */
function shape(base: string, name: string, tsconfig: object, code: string, type?: 'module' | 'commonjs'): string {
  const dir = path.join(base, name);
  fs.mkdirSync(dir, { recursive: true });
  writeJson(path.join(dir, 'tsconfig.json'), tsconfig);
  if (type) writeJson(path.join(dir, 'package.json'), { type });
  fs.writeFileSync(path.join(dir, 'main.ts'), code);
  return dir;
}

function tsc(base: string, dir: string): void {
  ok(sh(process.execPath, [path.join(base, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], dir), `tsc in ${path.relative(work, dir)}`);
}

function expectSynthesized(dir: string): void {
  const file = path.join(dir, 'dist', 'quickstart.k8s.yaml');
  const kinds = parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => (d.toJS() as { kind: string }).kind);
  expect(kinds.filter((k) => k === 'NetworkAttachmentDefinition')).toHaveLength(2);
  expect(kinds).toContain('Deployment');
}

const strict = (extra: object) => ({ compilerOptions: { strict: true, target: 'ES2022', ...extra }, include: ['*.ts'] });

describe('the packed package in fresh consumer projects', () => {
  let plain = '';
  let withPulumi = '';

  beforeAll(() => {
    const out = ok(sh('npm', ['pack', '--json', '--pack-destination', work], root, 600_000), 'npm pack');
    const info = JSON.parse(out.slice(out.indexOf('['))) as { filename: string; files: { path: string }[] }[];
    tarball = path.join(work, info[0].filename);
    const peers = ['cdk8s', 'cdk8s-plus-27', 'constructs', 'typescript', '@types/node'].map((n) => `${n}@${dev[n]}`);
    plain = install('plain', peers);
    withPulumi = install('pulumi', [...peers, `@pulumi/pulumi@${dev['@pulumi/pulumi']}`, `@pulumi/kubernetes@${dev['@pulumi/kubernetes']}`]);
  }, 1_200_000);

  test('the tarball holds the built JavaScript, declarations, bin, CRDs, README and LICENSE, and nothing else', () => {
    const out = ok(sh('tar', ['-tzf', tarball], work), 'tar');
    const files = out.trim().split('\n').map((f) => f.replace(/^package\//, ''));
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'bin/cdk8s-nfv.js',
      'build/lib/index.js', 'build/lib/index.d.ts', 'build/lib/pulumi/index.js', 'build/lib/pulumi/index.d.ts',
      'build/lib/cli/main.js', 'crds/network-attachment-definition.yaml', 'crds/multi-networkpolicy.yaml']));
    const stray = files.filter((f) => !['package.json', 'README.md', 'LICENSE', 'bin/cdk8s-nfv.js'].includes(f)
      && !/^build\/lib\/.*\.(js|d\.ts)$/.test(f) && !/^crds\/[^/]+\.yaml$/.test(f));
    expect(stray).toEqual([]);
    expect(files.some((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toBe(false);
  });

  test('CommonJS, node10 resolution: tsc --strict, synth of the README quick start', () => {
    const dir = shape(plain, 'cjs-node10', strict({ module: 'commonjs', moduleResolution: 'node10', esModuleInterop: true }), quickStart);
    tsc(plain, dir);
    ok(sh(process.execPath, ['main.js'], dir), 'node main.js');
    expectSynthesized(dir);
  });

  test('the tsconfig of cdk8s init (lib es2016, no skipLibCheck): tsc and synth', () => {
    const dir = shape(plain, 'cdk8s-init', CDK8S_INIT_TSCONFIG, quickStart);
    tsc(plain, dir);
    ok(sh(process.execPath, ['main.js'], dir), 'node main.js');
    expectSynthesized(dir);
  });

  test('node16/nodenext resolution from CommonJS: tsc --strict and synth', () => {
    const dir = shape(plain, 'cjs-nodenext', strict({ module: 'nodenext', moduleResolution: 'nodenext' }), quickStart, 'commonjs');
    tsc(plain, dir);
    ok(sh(process.execPath, ['main.js'], dir), 'node main.js');
    expectSynthesized(dir);
  });

  test('an ES module project: named imports from cdk8s-nfv work', () => {
    const dir = shape(plain, 'esm', strict({ module: 'nodenext', moduleResolution: 'nodenext' }), quickStart, 'module');
    tsc(plain, dir);
    ok(sh(process.execPath, ['main.js'], dir), 'node main.js (ESM)');
    expectSynthesized(dir);
  });

  test('bundler resolution type-checks', () => {
    const dir = shape(plain, 'bundler', strict({ module: 'esnext', moduleResolution: 'bundler', noEmit: true }), quickStart);
    tsc(plain, dir);
  });

  test('without Pulumi installed, the root loads and cdk8s-nfv/pulumi fails with a clear module error', () => {
    const r = sh(process.execPath, ['-e', "require('cdk8s-nfv'); try { require('cdk8s-nfv/pulumi'); } catch (e) { console.log(e.code, /@pulumi/.test(e.message)); }"], plain);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('MODULE_NOT_FOUND true');
  });

  test('npx cdk8s-nfv --version runs the compiled command, and lint checks what the quick start wrote', () => {
    expect(ok(sh('npx', ['--no-install', 'cdk8s-nfv', '--version'], plain), 'cdk8s-nfv --version')).toBe(`${pkg.version}\n`);
    const dist = path.join(plain, 'cjs-node10', 'dist');
    const lint = sh('npx', ['--no-install', 'cdk8s-nfv', 'lint', dist], plain);
    expect(lint.stderr).toBe('');
    expect(lint.stdout).toMatch(/^\d+ objects checked: 0 error\(s\), \d+ warning\(s\)\n$/m);
    expect(lint.status).toBe(0);
  });

  const PULUMI_PROGRAM = `import { App, Chart } from 'cdk8s';
import { Cdk8sDeployment, Cdk8sDeploymentArgs } from 'cdk8s-nfv/pulumi';
const app = new App();
const chart = new Chart(app, 'edge');
const props: Cdk8sDeploymentArgs = { charts: [chart] };
export const type: string = Cdk8sDeployment.TYPE;
console.log(type, props.charts?.length);
`;

  test.each([
    ['node10', { module: 'commonjs', moduleResolution: 'node10', esModuleInterop: true }, undefined],
    ['nodenext', { module: 'nodenext', moduleResolution: 'nodenext' }, 'commonjs'],
  ] as const)('the Pulumi entry point types and loads under %s resolution', (name, options, type) => {
    const dir = shape(withPulumi, `pulumi-${name}`, strict(options), PULUMI_PROGRAM, type);
    tsc(withPulumi, dir);
    expect(ok(sh(process.execPath, ['main.js'], dir), 'node main.js')).toBe('cdk8s-nfv:index:Cdk8sDeployment 1\n');
  });
});
