/**
 * `npm run bench:cold-start`: how long things take from a cold process.
 *
 * 1. synth: `npx cdk8s synth` of every example in a clone, for each way of running the TypeScript
 *    app of cdk8s.yaml, against an empty cdk8s app run the same way (bench/cold-start-empty.ts),
 *    so that the cost of the runner and the cost of the library and examples can be told apart.
 *    Every runner must write the same manifests as the reference (ts-node, transpile-only); each
 *    works on a fresh clone right after `npm ci`.
 * 2. command: the `cdk8s-nfv` command installed from the packed checkout (compiled) and in the
 *    clone (tsx), each called directly and through npx (bench/cold-start-command.ts).
 *
 * The machine is shared: the 1-minute load average is sampled before every run and written with
 * the results, with the load averages at the start and the end.
 *
 * Writes bench/cold-start.json. Options: --rounds <r> (default 5), --out <file>, --only synth|command
 * (measures one part and keeps the other part of the existing file).
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LINT_FILE, cloneHead, commandConditions, installPackage, measureCommand } from './cold-start-command';

const ROOT = path.resolve(__dirname, '..');
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'cdk8s-nfv-cold-start');
const EXAMPLES = 'examples/main.ts';
const EMPTY = 'bench/cold-start-empty.ts';

interface Runner {
  readonly name: string;
  readonly description: string;
  /** A package the runner needs beyond the project's dependencies; skipped when it is not installed. */
  readonly needs?: string;
  /** The `app` command of cdk8s.yaml for an entry file. */
  readonly app: (entry: string) => string;
}

/** The tsconfig that compiles one entry (and what it imports) for the precompiling runner. */
function precompileConfig(entry: string): string {
  const name = path.basename(entry, '.ts');
  const file = path.join(CACHE, `tsconfig.${name}.json`);
  fs.mkdirSync(CACHE, { recursive: true });
  fs.writeFileSync(file, JSON.stringify({
    extends: path.relative(CACHE, path.join(ROOT, 'tsconfig.json')),
    compilerOptions: { outDir: path.relative(CACHE, path.join(CACHE, 'out', name)), rootDir: path.relative(CACHE, ROOT), declaration: false, noCheck: true, incremental: false },
    files: [path.relative(CACHE, path.join(ROOT, entry))],
    include: [],
  }, null, 2));
  return path.relative(ROOT, file);
}

function installed(pkg: string): boolean {
  return fs.existsSync(path.join(ROOT, 'node_modules', pkg, 'package.json'));
}

const ALL_RUNNERS: readonly Runner[] = [
  {
    name: 'ts-node transpile-only',
    description: 'ts-node 10 compiling each file with the TypeScript compiler, without type checking (the command cdk8s init writes)',
    app: (entry) => `node -r ts-node/register/transpile-only ${entry}`,
  },
  {
    name: 'ts-node swc',
    description: 'ts-node 10 handing each file to @swc/core (native), without type checking (the variable prefix needs a POSIX shell); not a dependency of the project: `npm install --no-save @swc/core` to measure it',
    needs: '@swc/core',
    app: (entry) => `TS_NODE_SWC=true node -r ts-node/register/transpile-only ${entry}`,
  },
  {
    name: 'tsx',
    description: 'tsx (esbuild, native) registered into node with --import',
    app: (entry) => `node --import tsx ${entry}`,
  },
  {
    name: 'tsx cjs',
    description: 'tsx\'s CommonJS hook only, registered with --require',
    app: (entry) => `node --require tsx/cjs ${entry}`,
  },
  {
    name: 'tsc, then node',
    description: 'tsc emitting JavaScript without type checking (--noCheck), then node on the output: a build step on every synth, since a fresh clone has no build',
    app: (entry) => `node node_modules/typescript/bin/tsc -p ${precompileConfig(entry)} && node ${path.relative(ROOT, path.join(CACHE, 'out', path.basename(entry, '.ts'), entry.replace(/\.ts$/, '.js')))}`,
  },
];

const RUNNERS = ALL_RUNNERS.filter((r) => r.needs === undefined || installed(r.needs));
const SKIPPED = ALL_RUNNERS.filter((r) => !RUNNERS.includes(r));

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** A digest of every file of a directory (names and contents). */
function digest(dir: string): string {
  const h = createHash('sha256');
  for (const f of fs.readdirSync(dir).sort()) {
    h.update(f).update('\0').update(fs.readFileSync(path.join(dir, f))).update('\0');
  }
  return h.digest('hex');
}

/** Runs `npx cdk8s synth` with an app command into a fresh directory; returns ms, output digest and the load before. */
function synth(app: string): { ms: number; digest: string; files: number; load1: number } {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-nfv-cold-'));
  try {
    const load1 = os.loadavg()[0];
    const t0 = process.hrtime.bigint();
    const r = spawnSync('npx', ['cdk8s', 'synth', '--app', app, '--output', out, '--no-check-upgrade'], { cwd: ROOT, encoding: 'utf8', shell: false });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`'app' failed under npx cdk8s synth: got ${JSON.stringify(app)} (exit ${r.status}): ${r.stderr || r.stdout}; fix the runner`);
    return { ms, digest: digest(out), files: fs.readdirSync(out).length, load1 };
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

function machine(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model ?? 'unknown CPU'} (${cpus.length} cores), ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, `
    + `${os.type()} ${os.release()}, Node ${process.version}`;
}

function loadAverage(): { load1: number; load5: number; load15: number } {
  const [load1, load5, load15] = os.loadavg().map((x) => Math.round(x * 100) / 100);
  return { load1, load5, load15 };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Part 1: `npx cdk8s synth` of the examples and of an empty app, per runner. */
function synthPart(rounds: number): object {
  for (const r of SKIPPED) process.stdout.write(`skipping ${r.name}: ${r.needs} is not installed\n`);
  const times = new Map<string, { examples: number[]; empty: number[]; load1: number[] }>(RUNNERS.map((r) => [r.name, { examples: [], empty: [], load1: [] }]));
  // the output of each runner against the reference, compared within a round (the examples may
  // change between rounds in a working tree); a difference is confirmed by running both again
  const mismatches = new Map<string, number>(RUNNERS.map((r) => [r.name, 0]));
  let files = 0;
  for (let round = 0; round < rounds; round++) {
    const digests = new Map<string, string>();
    for (let k = 0; k < RUNNERS.length; k++) {
      const runner = RUNNERS[(k + round) % RUNNERS.length];
      const t = times.get(runner.name)!;
      const ex = synth(runner.app(EXAMPLES));
      const em = synth(runner.app(EMPTY));
      t.examples.push(ex.ms);
      t.empty.push(em.ms);
      t.load1.push(ex.load1, em.load1);
      digests.set(runner.name, ex.digest);
      files = ex.files;
      process.stdout.write(`round ${round + 1}/${rounds} ${runner.name}: examples ${ex.ms.toFixed(0)} ms (${ex.files} files, load ${ex.load1.toFixed(2)}), empty app ${em.ms.toFixed(0)} ms (load ${em.load1.toFixed(2)})\n`);
    }
    for (const r of RUNNERS.slice(1)) {
      if (digests.get(r.name) === digests.get(RUNNERS[0].name)) continue;
      const again = [synth(RUNNERS[0].app(EXAMPLES)).digest, synth(r.app(EXAMPLES)).digest];
      if (again[0] !== again[1]) {
        mismatches.set(r.name, mismatches.get(r.name)! + 1);
        process.stdout.write(`round ${round + 1}: ${r.name} writes other manifests than ${RUNNERS[0].name}\n`);
      }
    }
  }
  const results = RUNNERS.map((r) => {
    const t = times.get(r.name)!;
    const examples = Math.round(median(t.examples));
    const empty = Math.round(median(t.empty));
    return {
      runner: r.name,
      description: r.description,
      app: r.app(EXAMPLES),
      examples_ms: examples,
      examples_min_ms: Math.round(Math.min(...t.examples)),
      examples_max_ms: Math.round(Math.max(...t.examples)),
      empty_app_ms: empty,
      examples_minus_empty_ms: examples - empty,
      load1_median: round2(median(t.load1)),
      same_manifests_as_reference: mismatches.get(r.name) === 0,
    };
  });
  const correct = results.filter((r) => r.same_manifests_as_reference);
  const fastest = [...correct].sort((a, b) => a.examples_ms - b.examples_ms)[0];

  const header = ['runner', 'examples ms', 'empty app ms', 'difference', 'load', 'same output'];
  const rows = results.map((r) => [r.runner, String(r.examples_ms), String(r.empty_app_ms), String(r.examples_minus_empty_ms), r.load1_median.toFixed(2), r.same_manifests_as_reference ? 'yes' : 'NO']);
  process.stdout.write(`\nmedians of ${rounds} rounds of \`npx cdk8s synth --app <command>\` (${files} manifest files for the examples)\n\n`);
  process.stdout.write(`${table(header, rows)}\n\nfastest correct runner: ${fastest.runner} (${fastest.app})\n`);
  return {
    method: `wall time of \`npx cdk8s synth --app <command> --output <fresh temporary directory> --no-check-upgrade\` from the repository root, median of ${rounds} rounds, runners alternated; `
      + `examples = ${EXAMPLES}, empty app = ${EMPTY} (new App().synth() only); output compared in each round by a digest of every manifest file against the first runner; load1_median = median of the 1-minute load averages sampled before each run`,
    rounds,
    runners: results,
    skipped: SKIPPED.map((r) => ({ runner: r.name, reason: `${r.needs} is not installed` })),
    fastest: fastest.runner,
    cdk8s_yaml_app: fastest.app,
  };
}

/** Part 2: the `cdk8s-nfv` command, installed (compiled) and in the clone (tsx), direct and through npx. */
function commandPart(rounds: number): object {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-nfv-cold-command-'));
  try {
    const log = (l: string) => process.stdout.write(`${l}\n`);
    const clone = cloneHead(work, log);
    const project = installPackage(work, clone, log);
    const conditions = commandConditions(clone, project);
    const { samples, results } = measureCommand(conditions, rounds, log);
    const header = ['condition', 'command', 'median ms', 'min', 'max', 'first', 'load'];
    const rows = results.map((r) => ('failed' in r
      ? [r.condition, r.command, 'FAILED', '-', '-', '-', '-']
      : [r.condition, r.command, String(r.median_ms), String(r.min_ms), String(r.max_ms), String(r.first_ms), r.load1_median.toFixed(2)]));
    process.stdout.write(`\nthe cdk8s-nfv command, medians of ${rounds} rounds\n\n${table(header, rows)}\n`);
    return {
      method: `wall time of each command as a fresh process, ${rounds} rounds, conditions alternated and rotated; lint of ${LINT_FILE} must exit 0 with the same report everywhere; `
        + 'first_ms = the first run in that condition; load1 = 1-minute load average sampled before each run',
      rounds,
      results,
      samples,
    };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((x) => x[i].length)));
  const line = (cells: string[]) => cells.map((x, i) => (i < 2 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join('  ');
  return `${line(header)}\n${rows.map(line).join('\n')}`;
}

function main(): void {
  const rounds = Number(option('rounds', '5'));
  const only = option('only', 'all');
  if (!['all', 'synth', 'command'].includes(only)) throw new Error(`'--only' must be synth or command: got ${JSON.stringify(only)}; leave it out to measure both`);
  const out = path.resolve(ROOT, option('out', path.join('bench', 'cold-start.json')));
  const previous = only !== 'all' && fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, 'utf8')) as Record<string, unknown> : {};
  const start = loadAverage();
  process.stdout.write(`${machine()}\nload average at the start: ${start.load1} ${start.load5} ${start.load15}\n`);
  // written after each part, so that a failure in the second keeps the first
  const write = (synthResults: unknown, commandResults: unknown) => {
    const end = loadAverage();
    fs.writeFileSync(out, JSON.stringify({
      machine: machine(),
      date: new Date().toISOString(),
      load_average_start: start,
      load_average_end: end,
      synth: synthResults,
      command: commandResults,
    }, null, 2) + '\n');
    process.stdout.write(`load average now: ${end.load1} ${end.load5} ${end.load15}; wrote ${path.relative(ROOT, out)}\n`);
  };
  const synthResults = only === 'command' ? previous.synth : synthPart(rounds);
  if (only !== 'command') write(synthResults, previous.command);
  if (only !== 'synth') write(synthResults, commandPart(rounds));
}

main();
