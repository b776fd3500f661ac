import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { dataplaneTest } from '../cli/dataplane/gate';
import { shellCommands, ShownCommand } from './shell-commands';

/**
 * Every shell command the README shows (```sh/```bash/```console blocks, and code spans that read
 * as commands) is either run here, as written, or mapped to the place where CI runs it (a line of
 * .ci/run, or another test), and that place must still contain the evidence named in the table.
 * A command in neither table fails the first test; an entry no longer in the README fails too.
 *
 * Where the commands run, offline (npm_config_offline=true, CDK8S_CHECK_UPGRADE=false):
 * - "project": a fresh folder laid out as a user's project after the README's Install: its
 *   node_modules has this checkout built (tsc, emit only) and laid out as the package is
 *   (build/, bin/, crds/, package.json), next to links to this checkout's dependencies
 *   (cdk8s, cdk8s-plus-27, constructs, ...); `npx cdk8s-nfv` finds node_modules/.bin/cdk8s-nfv,
 *   which runs the compiled command. The README quick start is its main.ts, synthesized first;
 *   the files the commands name are put there (the 5G example's manifests as dist/five-g.k8s.yaml,
 *   the talk's as chart.yaml, a chart/ folder using a NAD of kube-system, the fog05 descriptor);
 *   its cdk8s.yaml (`app: npx ts-node main.ts`) and tsconfig.json are those of the cdk8s CLI's
 *   typescript-app template.
 * - "clone": a copy of this working tree (without .git, dist/, build/) with this checkout's
 *   node_modules, as a contributor's clone after `npm ci`.
 * Plain commands (`cdk8s synth`, `cdk8s-nfv verify --cleanup`) run with node_modules/.bin on the
 * PATH, as npm scripts run them. `sudo` is dropped when the test already runs as root; commands
 * that need root and the CNI plugins are gated with test/cli/dataplane/gate.ts.
 */

const ROOT = path.join(__dirname, '..', '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const shown = shellCommands(README);

type Where = 'project' | 'clone';

interface Run {
  readonly where: Where;
  /** Needs root and the plugins (gated). */
  readonly dataplane?: boolean;
  /** The exit code. */
  readonly exit: number;
  /** What the run must show (stdout), or a check of its output and folder. */
  readonly expect: RegExp | ((stdout: string, dir: string) => void);
}

interface Mapped {
  /** The file that runs it (relative to the repository). */
  readonly file: string;
  /** Text that file must contain: the command, or the call that does what it does. */
  readonly evidence: string;
  /** Why this is where the command runs. */
  readonly why: string;
}

const PULUMI_TEST = 'test/real/pulumi-engine.test.ts';

/** Commands run here, as written. */
const RUN: Readonly<Record<string, Run>> = {
  'npx cdk8s-nfv --help': { where: 'project', exit: 0, expect: /^Usage: cdk8s-nfv \[options\] \[command\]$/m },
  'CDK8S_CHECK_UPGRADE=false npx cdk8s synth': { where: 'project', exit: 0, expect: (out, dir) => {
    expect(out).toMatch(/dist\/quickstart\.k8s\.yaml/);
    const objects = parseAllDocuments(fs.readFileSync(path.join(dir, 'dist', 'quickstart.k8s.yaml'), 'utf8'))
      .map((d) => d.toJS() as { kind: string; metadata: { name: string }; spec: { template?: { metadata: { annotations: Record<string, string> } } } });
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(['Deployment/router', 'NetworkAttachmentDefinition/data', 'NetworkAttachmentDefinition/mgmt']);
    const networks = objects.find((o) => o.kind === 'Deployment')!.spec.template!.metadata.annotations['k8s.v1.cni.cncf.io/networks'];
    expect(JSON.parse(networks)).toEqual([
      { name: 'data', namespace: 'demo', interface: 'data0', ips: ['10.10.0.10/24'] },
      { name: 'mgmt', namespace: 'demo', interface: 'mgmt0' },
    ]);
  } },
  'npx cdk8s synth': { where: 'clone', exit: 0, expect: (out, dir) => {
    expect(out).toMatch(/dist\/talk\.k8s\.yaml/);
    expect(fs.readFileSync(path.join(dir, 'dist', 'talk.k8s.yaml'), 'utf8')).toBe(fs.readFileSync(path.join(ROOT, 'examples', 'talk', 'dist', 'talk.k8s.yaml'), 'utf8'));
  } },
  'cdk8s synth': { where: 'clone', exit: 0, expect: /dist\/five-g\.k8s\.yaml/ },
  'npx cdk8s-nfv lint dist/': { where: 'project', exit: 0, expect: /^\d+ objects checked: 0 error\(s\), 0 warning\(s\)$/m },
  'npx cdk8s-nfv lint chart.yaml --format json --profile debian-1.1.1': { where: 'project', exit: 0, expect: (out) => {
    expect(JSON.parse(out)).toEqual({ objects: 4, errors: 0, warnings: 0, findings: [], readProblems: [] });
  } },
  'npx cdk8s-nfv lint chart/ --external kube-system/macvlan-conf': { where: 'project', exit: 0, expect: /^1 objects checked: 0 error\(s\), 0 warning\(s\)$/m },
  'sudo npx cdk8s-nfv verify dist/': { where: 'project', dataplane: true, exit: 0, expect: /checks: \d+ passed, 0 failed/ },
  'sudo npx cdk8s-nfv verify dist/five-g.k8s.yaml --nodes 3 --format json': { where: 'project', dataplane: true, exit: 0, expect: (out) => {
    const report = JSON.parse(out) as { ok: boolean; nodes: number; pods: number };
    expect(report).toMatchObject({ ok: true, nodes: 3, pods: 5 });
  } },
  'cdk8s-nfv verify --cleanup': { where: 'project', dataplane: true, exit: 0, expect: /^\d+ dead run\(s\) cleaned, \d+ live run\(s\) left alone$/m },
  'npx cdk8s-nfv diagram dist --format svg -o topology.svg': { where: 'project', exit: 0, expect: (_out, dir) => {
    // the quick start (2 networks, 1 workload) and the 5G example (4 networks, 5 workloads)
    expect(fs.readFileSync(path.join(dir, 'topology.svg'), 'utf8')).toMatch(/^<svg[\s\S]*>Networks and attachments: 6 networks, 6 workloads<\/text>[\s\S]*<\/svg>\s*$/);
  } },
  'npx cdk8s-nfv convert fog05 examples/fog05/ubuntu-host.json --rename-eth0 net-eth0': { where: 'project', exit: 0, expect: (out) => {
    const objects = parseAllDocuments(out).map((d) => d.toJS() as { kind: string; metadata: { name: string } });
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['NetworkAttachmentDefinition/lan01', 'Deployment/ubuntu-host']);
  } },
  'npm run diagrams': { where: 'clone', exit: 0, expect: (out, dir) => {
    expect(out).toMatch(/^wrote docs\/diagrams\/talk\.svg$/m);
    expect(fs.readFileSync(path.join(dir, 'docs', 'diagrams', 'talk.svg'), 'utf8')).toBe(fs.readFileSync(path.join(ROOT, 'docs', 'diagrams', 'talk.svg'), 'utf8'));
  } },
  'npm run examples-yaml': { where: 'clone', exit: 0, expect: /^wrote examples\/talk\/dist\/talk\.k8s\.yaml$/m },
  'node bin/cdk8s-nfv.js lint dist/': { where: 'clone', exit: 0, expect: /^\d+ objects checked: 0 error\(s\), \d+ warning\(s\)$/m },
};

/** Commands CI runs elsewhere. */
const MAPPED: Readonly<Record<string, Mapped>> = {
  'npm install cdk8s-nfv cdk8s cdk8s-plus-27 constructs': {
    file: 'test/consumer/consumer.test.ts', evidence: "install('plain', peers)",
    why: 'installs the packed checkout with cdk8s, cdk8s-plus-27 and constructs into fresh projects (the registry\'s cdk8s-nfv is not this checkout)',
  },
  'npm ci': { file: '.ci/run', evidence: 'npm ci --no-audit --no-fund', why: 'CI installs with it' },
  'npm test': { file: '.ci/run', evidence: 'npm test -- --json', why: 'CI runs the tests with it' },
  'npm run toolchain': { file: '.ci/run', evidence: 'npm run --silent toolchain', why: 'CI builds the toolchain with it' },
  'npm run toolchain pulumi pulumi-resource-kubernetes': { file: '.ci/run', evidence: 'npm run --silent toolchain', why: 'CI builds every component, these two included' },
  'apt-get install containernetworking-plugins iproute2 iputils-ping': {
    file: '.ci/run', evidence: 'apt-get install -y -qq --no-install-recommends containernetworking-plugins iproute2 iputils-ping', why: 'CI installs these packages (and more)',
  },
  'npm run docs': { file: 'test/api/api-report.test.ts', evidence: "'--options', 'typedoc.config.mjs'", why: 'runs typedoc with the options `npm run docs` uses and compares with docs/api' },
  'pulumi stack init': { file: PULUMI_TEST, evidence: 'LocalWorkspace.createOrSelectStack(', why: 'the Automation API creates the stack' },
  'pulumi preview': { file: PULUMI_TEST, evidence: 'stack.preview(', why: 'the real engine previews the example' },
  'pulumi up': { file: PULUMI_TEST, evidence: 'stack.up(', why: 'the real engine deploys the example' },
  'pulumi destroy': { file: PULUMI_TEST, evidence: 'stack.destroy(', why: 'the real engine destroys the example' },
};

const ENV: NodeJS.ProcessEnv = {
  ...process.env,
  CDK8S_CHECK_UPGRADE: 'false',
  npm_config_offline: 'true',
  npm_config_update_notifier: 'false',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  NO_COLOR: '1',
};

describe('README shell commands', () => {
  test('every command shown is run here or mapped to where CI runs it', () => {
    expect(shown.length).toBeGreaterThanOrEqual(10);
    const unknown = shown.filter((c) => RUN[c.command] === undefined && MAPPED[c.command] === undefined).map((c) => `README line ${c.line}: ${c.command}`);
    expect(unknown).toEqual([]);
  });

  test('every entry of the tables is still shown in the README', () => {
    const commands = new Set(shown.map((c) => c.command));
    expect([...Object.keys(RUN), ...Object.keys(MAPPED)].filter((c) => !commands.has(c))).toEqual([]);
  });

  test('the extraction: shell blocks line by line, console prompts, inline commands, && and comments', () => {
    const md = [
      'Run `npm run x` or `cdk8s-nfv`, see `lib/x.ts`, then `FOO=1 npx a',
      'b`.', '```sh', 'npm ci && npx cdk8s synth   # both', '# a comment', 'npx a \\', '  --flag', '```',
      '```console', '$ pulumi up', 'output', '```', '```ts', 'npm run nope', '```', '```', 'npm run output', '```',
    ].join('\n');
    expect(shellCommands(md).map((c: ShownCommand) => [c.line, c.from, c.command])).toEqual([
      [1, 'inline', 'npm run x'],
      [1, 'inline', 'FOO=1 npx a b'],
      [4, 'block', 'npm ci'],
      [4, 'block', 'npx cdk8s synth'],
      [6, 'block', 'npx a --flag'],
      [10, 'block', 'pulumi up'],
    ]);
  });

  test.each(Object.entries(MAPPED))('%s: mapped, and the place still runs it', (_command, m) => {
    const text = fs.readFileSync(path.join(ROOT, m.file), 'utf8');
    expect(text).toContain(m.evidence);
  });
});

// ---- the folders the commands run in ----

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-nfv-readme-commands-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function run(argv: readonly string[], cwd: string, extraEnv: NodeJS.ProcessEnv = {}, timeout = 300_000): SpawnSyncReturns<string> {
  const binDir = path.join(cwd, 'node_modules', '.bin');
  return spawnSync(argv[0], argv.slice(1), {
    cwd, encoding: 'utf8', timeout, shell: false,
    env: { ...ENV, ...extraEnv, PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ''}` },
  });
}

function ok(r: SpawnSyncReturns<string>, what: string): string {
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** node_modules of a folder: links to this checkout's dependencies, and their bins. */
function linkDependencies(dir: string): void {
  const modules = path.join(dir, 'node_modules');
  const bin = path.join(modules, '.bin');
  fs.mkdirSync(bin, { recursive: true });
  const source = path.join(ROOT, 'node_modules');
  for (const name of fs.readdirSync(source)) {
    if (name === '.bin' || name === '.cache' || name === '.package-lock.json') continue;
    fs.symlinkSync(path.join(source, name), path.join(modules, name));
  }
  for (const name of fs.readdirSync(path.join(source, '.bin'))) {
    fs.symlinkSync(fs.realpathSync(path.join(source, '.bin', name)), path.join(bin, name));
  }
}

/** A user's project after the README's Install, with this checkout built as the installed package. */
function makeProject(): string {
  const dir = path.join(work, 'project');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'readme-project', version: '1.0.0', private: true }, null, 2)}\n`);
  linkDependencies(dir);
  const pkg = path.join(dir, 'node_modules', 'cdk8s-nfv');
  fs.mkdirSync(pkg);
  // the package as `files` lays it out: build/ (emit only: a test of the commands, not of the types), bin/, crds/
  ok(run([process.execPath, path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(ROOT, 'tsconfig.build.json'), '--noCheck', '--outDir', path.join(pkg, 'build')], ROOT), 'tsc');
  for (const f of ['package.json', 'README.md', 'LICENSE']) fs.copyFileSync(path.join(ROOT, f), path.join(pkg, f));
  fs.cpSync(path.join(ROOT, 'crds'), path.join(pkg, 'crds'), { recursive: true });
  fs.mkdirSync(path.join(pkg, 'bin'));
  fs.copyFileSync(path.join(ROOT, 'bin', 'cdk8s-nfv.js'), path.join(pkg, 'bin', 'cdk8s-nfv.js'));
  fs.chmodSync(path.join(pkg, 'bin', 'cdk8s-nfv.js'), 0o755);
  fs.symlinkSync(path.join('..', 'cdk8s-nfv', 'bin', 'cdk8s-nfv.js'), path.join(dir, 'node_modules', '.bin', 'cdk8s-nfv'));
  // the quick start as the project's app, synthesized as the README says
  const quickStart = /## Quick start[^\n]*\n[\s\S]*?```ts\n([\s\S]*?)\n```/.exec(README)![1];
  fs.writeFileSync(path.join(dir, 'main.ts'), `${quickStart}\n`);
  // cdk8s.yaml (`app: npx ts-node main.ts`) and tsconfig.json of the cdk8s CLI's typescript-app template
  const template = path.join(ROOT, 'node_modules', 'cdk8s-cli', 'templates', 'typescript-app');
  for (const f of ['cdk8s.yaml', 'tsconfig.json']) fs.copyFileSync(path.join(template, f), path.join(dir, f));
  ok(run(['npx', 'cdk8s', 'synth'], dir), 'npx cdk8s synth of the quick start');
  placeInputs(dir);
  return dir;
}

/** The files the project's commands name, put there again before each (a synth empties dist/). */
function placeInputs(dir: string): void {
  fs.mkdirSync(path.join(dir, 'dist'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'examples', 'five-g', 'dist', 'five-g.k8s.yaml'), path.join(dir, 'dist', 'five-g.k8s.yaml'));
  fs.copyFileSync(path.join(ROOT, 'examples', 'talk', 'dist', 'talk.k8s.yaml'), path.join(dir, 'chart.yaml'));
  fs.mkdirSync(path.join(dir, 'chart'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'chart', 'probe.yaml'), [
    'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: probe', '  namespace: edge', '  annotations:',
    "    k8s.v1.cni.cncf.io/networks: '[{\"name\":\"macvlan-conf\",\"namespace\":\"kube-system\",\"interface\":\"net1\"}]'",
    'spec:', '  containers:', '    - name: probe', '      image: docker.io/library/busybox:1.37', '',
  ].join('\n'));
  fs.mkdirSync(path.join(dir, 'examples', 'fog05'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'examples', 'fog05', 'ubuntu-host.json'), path.join(dir, 'examples', 'fog05', 'ubuntu-host.json'));
}

/** A contributor's clone after `npm ci`: this working tree without .git, dist/ and build/. */
function makeClone(): string {
  const dir = path.join(work, 'clone');
  const skip = new Set(['.git', 'node_modules', 'dist', 'build', '.cdk8s-nfv-tmp', 'coverage']);
  fs.cpSync(ROOT, dir, { recursive: true, filter: (src) => !skip.has(path.relative(ROOT, src).split(path.sep)[0]) });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

const folders: Partial<Record<Where, string>> = {};
function folder(where: Where): string {
  folders[where] ??= where === 'project' ? makeProject() : makeClone();
  return folders[where]!;
}

/** The argv of a command as written: assignments become the environment; sudo is dropped for root. */
function argvOf(command: string): { argv: string[]; env: NodeJS.ProcessEnv } {
  const words = command.split(' ');
  const env: NodeJS.ProcessEnv = {};
  while (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0])) {
    const [k, ...v] = words.shift()!.split('=');
    env[k] = v.join('=');
  }
  if (words[0] === 'sudo' && process.getuid?.() === 0) words.shift();
  return { argv: words, env };
}

function runShown(command: string, r: Run): void {
  const dir = folder(r.where);
  if (r.where === 'project') placeInputs(dir);
  const { argv, env } = argvOf(command);
  const result = run(argv, dir, env);
  if (result.status !== r.exit) throw new Error(`\`${command}\` in the ${r.where}: exit ${result.status}, expected ${r.exit}:\n${result.stdout}\n${result.stderr}`);
  if (r.expect instanceof RegExp) expect(result.stdout).toMatch(r.expect);
  else r.expect(result.stdout, dir);
}

const DATAPLANE_NEEDS = { plugins: ['bridge', 'macvlan', 'host-local', 'static'] };

describe('README shell commands, run as written', () => {
  // the clone's commands first (synth before the ones reading dist/), then the project's, in table order
  const ordered = Object.entries(RUN).sort(([, a], [, b]) => (a.where === b.where ? 0 : a.where === 'clone' ? -1 : 1));
  for (const [command, r] of ordered) {
    const name = `${command} (${r.where})`;
    if (r.dataplane) dataplaneTest(name, DATAPLANE_NEEDS, () => runShown(command, r), 600_000);
    else test(name, () => runShown(command, r), 600_000);
  }

  test('the project\'s lint of chart/ fails without --external (the flag is what makes it pass)', () => {
    const r = run(['npx', 'cdk8s-nfv', 'lint', 'chart/'], folder('project'));
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('chart/probe.yaml: Pod edge/probe: error: \'metadata.annotations["k8s.v1.cni.cncf.io/networks"][0].name\' does not resolve to a NetworkAttachmentDefinition of the App in namespace kube-system: got "macvlan-conf"');
  }, 600_000);
});
