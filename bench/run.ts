/**
 * `npm run bench`: synthesis at telco scale, this library against cdk8s without it.
 *
 * 1. Compiles bench/child.ts and what it imports (bench/tsconfig.bench.json, emit only) into
 *    node_modules/.cache/cdk8s-nfv-bench, so that no measurement includes TypeScript compilation.
 * 2. For each N, checks once that the three ways (bench/topology.ts) synthesize the same objects.
 * 3. Measures each way for each N in a fresh `node --expose-gc` process, alternating the ways and
 *    rotating their order from round to round, and reports the medians.
 * 4. Prints a table and the targets, and writes bench/results.json.
 * 5. Runs bench/lint-large.ts (lint of a 50 MB file of NADs), which writes bench/lint-results.json.
 *
 * Options: --rounds <r> (default 7), --n <n,n,...> (default 100,1000,5000,10000),
 * --out <file> (default bench/results.json).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
const OUT_DIR = path.join(ROOT, 'node_modules', '.cache', 'cdk8s-nfv-bench');
const CHILD = path.join(OUT_DIR, 'bench', 'child.js');
const WAYS = ['ours', 'baseline', 'floor'] as const;
type Way = (typeof WAYS)[number];

/** The targets of issue 8. */
const TARGETS = {
  /** ours_ms / baseline_ms at every N >= 1,000. */
  timeRatio: 1.15,
  /** ours_ms at N = 10,000 over ours_ms at N = 1,000. */
  scaling: 11,
  /** ours_heap_mb / baseline_heap_mb. */
  heapRatio: 1.2,
};

interface Sample {
  readonly way: Way;
  readonly n: number;
  readonly ms: number;
  readonly build_ms: number;
  readonly synth_ms: number;
  readonly cpu_ms: number;
  readonly heap_mb: number;
  readonly heap_abs_mb: number;
  readonly heap_committed_mb: number;
  readonly bytes: number;
}

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const round3 = (x: number) => Math.round(x * 1000) / 1000;

function compile(): void {
  const t0 = Date.now();
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(ROOT, 'bench', 'tsconfig.bench.json')], { cwd: ROOT, stdio: 'inherit' });
  process.stdout.write(`compiled bench/child.ts and the library to ${path.relative(ROOT, OUT_DIR)} in ${Date.now() - t0} ms (not measured)\n`);
}

function child(args: string[], maxOldSpaceMb: number): string {
  return execFileSync(process.execPath, ['--expose-gc', `--max-old-space-size=${maxOldSpaceMb}`, CHILD, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
}

function machine(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model ?? 'unknown CPU'} (${cpus.length} cores), ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, `
    + `${os.type()} ${os.release()}, Node ${process.version}`;
}

function main(): void {
  const rounds = Number(option('rounds', '7'));
  const ns = option('n', '100,1000,5000,10000').split(',').map(Number);
  const out = path.resolve(ROOT, option('out', path.join('bench', 'results.json')));
  if (!Number.isInteger(rounds) || rounds < 1 || ns.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new Error(`'options' are not valid: got rounds ${rounds}, n ${ns.join(',')}; use --rounds 7 --n 100,1000,5000,10000`);
  }
  compile();

  // 1. the three ways produce the same manifests
  const verification: Record<number, unknown> = {};
  for (const n of ns) {
    const v = JSON.parse(child(['verify', String(n)], 8192)) as { docs: number; nadConfigs: number; annotations: number; same: boolean; differences: string[] };
    verification[n] = v;
    process.stdout.write(`n=${n}: ${v.docs} objects, ${v.nadConfigs} NAD configs, ${v.annotations} networks annotations: `
      + `${v.same ? 'the three ways agree (up to the cdk8s.io/metadata.addr selector label, which hashes the construct path)' : `DIFFER: ${v.differences.join('; ')}`}\n`);
    if (!v.same) process.exitCode = 1;
  }

  // 2. measurements: every way of every N in each round, the order of the ways rotated per round
  const samples: Sample[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const n of ns) {
      for (let k = 0; k < WAYS.length; k++) {
        const way = WAYS[(k + r) % WAYS.length];
        const s = JSON.parse(child(['measure', way, String(n)], 8192)) as Sample;
        samples.push(s);
        process.stdout.write(`round ${r + 1}/${rounds} n=${n} ${way}: ${s.ms.toFixed(0)} ms (cpu ${s.cpu_ms.toFixed(0)} ms), ${s.heap_abs_mb.toFixed(1)} MB\n`);
      }
    }
  }

  // 3. medians
  const med = (n: number, way: Way, key: keyof Sample) => median(samples.filter((s) => s.n === n && s.way === way).map((s) => s[key] as number));
  const cases = ns.map((n) => {
    const c = {
      n,
      ours_ms: round1(med(n, 'ours', 'ms')),
      baseline_ms: round1(med(n, 'baseline', 'ms')),
      floor_ms: round1(med(n, 'floor', 'ms')),
      ours_heap_mb: round1(med(n, 'ours', 'heap_abs_mb')),
      baseline_heap_mb: round1(med(n, 'baseline', 'heap_abs_mb')),
      floor_heap_mb: round1(med(n, 'floor', 'heap_abs_mb')),
      ours_vs_baseline: 0,
      ours_vs_floor: 0,
      heap_vs_baseline: 0,
      detail: {
        cpu_ms: Object.fromEntries(WAYS.map((w) => [w, round1(med(n, w, 'cpu_ms'))])),
        build_ms: Object.fromEntries(WAYS.map((w) => [w, round1(med(n, w, 'build_ms'))])),
        synth_ms: Object.fromEntries(WAYS.map((w) => [w, round1(med(n, w, 'synth_ms'))])),
        heap_topology_mb: Object.fromEntries(WAYS.map((w) => [w, round1(med(n, w, 'heap_mb'))])),
        heap_committed_mb: Object.fromEntries(WAYS.map((w) => [w, round1(med(n, w, 'heap_committed_mb'))])),
        yaml_bytes: Object.fromEntries(WAYS.map((w) => [w, med(n, w, 'bytes')])),
      },
    };
    c.ours_vs_baseline = round3(med(n, 'ours', 'ms') / med(n, 'baseline', 'ms'));
    c.ours_vs_floor = round3(med(n, 'ours', 'ms') / med(n, 'floor', 'ms'));
    c.heap_vs_baseline = round3(med(n, 'ours', 'heap_abs_mb') / med(n, 'baseline', 'heap_abs_mb'));
    return c;
  });

  // 4. report
  const header = ['n', 'ours ms', 'baseline ms', 'floor ms', 'ours/base', 'ours/floor', 'ours MB', 'base MB', 'floor MB', 'heap ours/base'];
  const rows = cases.map((c) => [c.n, c.ours_ms, c.baseline_ms, c.floor_ms, c.ours_vs_baseline.toFixed(3), c.ours_vs_floor.toFixed(3),
    c.ours_heap_mb, c.baseline_heap_mb, c.floor_heap_mb, c.heap_vs_baseline.toFixed(3)].map(String));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((x, i) => x.padStart(widths[i])).join('  ');
  process.stdout.write(`\n${machine()}\nmedians of ${rounds} rounds; time = build the constructs + app.synthYaml() (validation included), `
    + 'in a fresh process per measurement; heap = used heap after a forced GC once synth is done, App and YAML still referenced\n\n');
  process.stdout.write(`${line(header)}\n${rows.map(line).join('\n')}\n\n`);

  const checks: [string, boolean][] = [];
  for (const c of cases.filter((x) => x.n >= 1000)) {
    checks.push([`n=${c.n}: ours/baseline time ${c.ours_vs_baseline.toFixed(3)} <= ${TARGETS.timeRatio}`, c.ours_vs_baseline <= TARGETS.timeRatio]);
  }
  for (const c of cases) {
    checks.push([`n=${c.n}: ours/baseline heap ${c.heap_vs_baseline.toFixed(3)} <= ${TARGETS.heapRatio}`, c.heap_vs_baseline <= TARGETS.heapRatio]);
  }
  const c1k = cases.find((c) => c.n === 1000);
  const c10k = cases.find((c) => c.n === 10000);
  let scaling: number | undefined;
  if (c1k && c10k) {
    scaling = round3(c10k.ours_ms / c1k.ours_ms);
    checks.push([`ours time n=10,000 / n=1,000 ${scaling.toFixed(2)} <= ${TARGETS.scaling}`, scaling <= TARGETS.scaling]);
  }
  for (const [text, ok] of checks) process.stdout.write(`${ok ? 'MET   ' : 'MISSED'} ${text}\n`);

  const result = {
    machine: machine(),
    method: {
      rounds,
      statistic: 'median',
      time: 'milliseconds to build the constructs and run app.synthYaml() (dependencies, validation, toJson of every chart, YAML), after module loading, in a fresh precompiled node process per measurement',
      heap: 'MB of used V8 heap (process.memoryUsage().heapUsed) after a forced GC (--expose-gc) once synth is done, with the App and the YAML text still referenced; detail.heap_topology_mb is the same minus the used heap after a forced GC before building',
      topology: 'N Deployments of one replica, 4 attachments each over 4 macvlan networks (10.k.0.0/16, static IPAM with the ips capability), one static address per attachment, one chart and namespace',
    },
    targets: TARGETS,
    scaling_10k_over_1k: scaling,
    verification,
    cases,
  };
  fs.writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  process.stdout.write(`\nwrote ${path.relative(ROOT, out)}\n`);

  // lint of a 50 MB file of NADs, time and peak memory (bench/lint-large.ts writes bench/lint-results.json)
  execFileSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench', 'lint-large.ts')], { cwd: ROOT, stdio: 'inherit' });
}

main();
