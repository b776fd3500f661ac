/**
 * One measurement in a fresh process (started by bench/run.ts with --expose-gc):
 *
 *   node --expose-gc child.js measure <way> <n>   -> one JSON line: times and heap
 *   node child.js verify <n>                      -> one JSON line: whether the three ways agree
 *
 * The time covers building the constructs and `app.synthYaml()` (validation included), after
 * every module is loaded: no compilation, no module loading. The heap is the used heap after a
 * forced GC once synth is done, with the App and the YAML text still referenced, minus the used
 * heap after a forced GC before building: what the topology and its output retain.
 */
import { performance } from 'perf_hooks';
import { App } from 'cdk8s';
import { WAYS, Way, build } from './topology';

const MB = 1024 * 1024;

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (!g) throw new Error("'gc' is not exposed: got no global gc(); run the child with node --expose-gc");
  g();
  g();
}

function measure(way: Way, n: number): void {
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const app = new App();
  build(app, way, n);
  const t1 = performance.now();
  const yaml = app.synthYaml();
  const t2 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const peakCommitted = process.memoryUsage().heapTotal;
  gc();
  const heap1 = process.memoryUsage().heapUsed;
  const result = {
    way, n,
    ms: t2 - t0,
    build_ms: t1 - t0,
    synth_ms: t2 - t1,
    // CPU time of the process (every thread, GC helpers included): less sensitive than the wall
    // time to other processes competing for the cores
    cpu_ms: (cpu.user + cpu.system) / 1000,
    heap_mb: (heap1 - heap0) / MB,
    heap_abs_mb: heap1 / MB,
    heap_committed_mb: peakCommitted / MB,
    // keeps the App and the output alive until after the measurement
    bytes: yaml.length,
    objects: app.charts.reduce((s, c) => s + c.node.findAll().length, 0),
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

/** The construct-address selector label differs by construct path; everything else must match. */
function normalize(yaml: string): string {
  return yaml.replace(/(cdk8s\.io\/metadata\.addr: ).*/g, '$1<addr>');
}

function verify(n: number): void {
  const out: Record<string, string> = {};
  for (const way of WAYS) {
    const app = new App();
    build(app, way, n);
    out[way] = normalize(app.synthYaml());
  }
  const docs = out.ours.split('\n---\n').length;
  const differences: string[] = [];
  for (const way of WAYS) {
    if (way === 'ours' || out[way] === out.ours) continue;
    const a = out.ours.split('\n');
    const b = out[way].split('\n');
    const i = a.findIndex((line, j) => line !== b[j]);
    differences.push(`${way} differs from ours at line ${i + 1}: ${JSON.stringify(a[i])} vs ${JSON.stringify(b[i])}`);
  }
  // the fields that matter, explicitly: every NAD config and every networks annotation
  const configs = (y: string) => y.match(/^ {2}config: .*$/gm) ?? [];
  const annotations = (y: string) => y.match(/k8s\.v1\.cni\.cncf\.io\/networks: .*$/gm) ?? [];
  const checked = { nadConfigs: configs(out.ours).length, annotations: annotations(out.ours).length };
  for (const way of WAYS) {
    if (JSON.stringify(configs(out[way])) !== JSON.stringify(configs(out.ours))) differences.push(`${way}: NAD configs differ`);
    if (JSON.stringify(annotations(out[way])) !== JSON.stringify(annotations(out.ours))) differences.push(`${way}: networks annotations differ`);
  }
  process.stdout.write(JSON.stringify({ n, docs, ...checked, same: differences.length === 0, differences }) + '\n');
}

const [mode, a, b] = process.argv.slice(2);
if (mode === 'measure' && (WAYS as readonly string[]).includes(a) && Number.isInteger(Number(b))) {
  measure(a as Way, Number(b));
} else if (mode === 'verify' && Number.isInteger(Number(a))) {
  verify(Number(a));
} else {
  throw new Error(`'arguments' are not a bench command: got ${JSON.stringify(process.argv.slice(2))}; use "measure <ours|baseline|floor> <n>" or "verify <n>"`);
}
