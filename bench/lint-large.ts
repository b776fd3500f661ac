/**
 * Part of `npm run bench`: `cdk8s-nfv lint` on a 50 MB file of NADs (issue 12, item 4) finishes
 * with memory bounded by a small multiple of the input.
 *
 * 1. Generates, in a temporary folder, one YAML file of about 50 MB holding distinct
 *    NetworkAttachmentDefinitions (macvlan or bridge with host-local IPAM, routes, a tuning
 *    plugin: about 1 KB each, every one valid).
 * 2. Lints it in a fresh Node process (the library loaded first, then measured): wall time, the
 *    process's peak resident set (getrusage maxRSS) and its resident set before the lint.
 * 3. Prints the result and writes bench/lint-results.json.
 *
 * Options: --mb <size> (default 50), --out <file> (default bench/lint-results.json).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

/** One NAD of about 1 KB, distinct by index (its own /24 in 10.0.0.0/8). */
function nad(i: number): string {
  const a = (i >> 8) & 0xff;
  const b = i & 0xff;
  const name = `net-${i}`;
  const main = i % 2 === 0
    ? { type: 'macvlan', master: `eth${i % 4}`, mode: 'bridge', mtu: 1500 }
    : { type: 'bridge', bridge: `br-${i % 1000}`, isGateway: false, ipMasq: false, mtu: 1500 };
  const config = {
    cniVersion: '1.0.0',
    name,
    plugins: [
      {
        ...main,
        ipam: {
          type: 'host-local',
          ranges: [[{ subnet: `10.${a}.${b}.0/24`, rangeStart: `10.${a}.${b}.10`, rangeEnd: `10.${a}.${b}.250`, gateway: `10.${a}.${b}.1` }]],
          routes: [{ dst: `172.${16 + (i % 16)}.0.0/16`, gw: `10.${a}.${b}.1` }, { dst: `192.168.${i % 256}.0/24`, gw: `10.${a}.${b}.1` }],
        },
      },
      { type: 'tuning', sysctl: { 'net.ipv4.conf.IFNAME.arp_notify': '1', 'net.ipv4.conf.IFNAME.arp_ignore': '1' } },
    ],
  };
  return [
    'apiVersion: k8s.cni.cncf.io/v1',
    'kind: NetworkAttachmentDefinition',
    'metadata:',
    `  name: ${name}`,
    `  namespace: tenant-${i % 50}`,
    '  labels:',
    '    app.kubernetes.io/part-of: bench-lint-large',
    `    nfv.example.com/segment: segment-${i % 1000}`,
    'spec:',
    `  config: '${JSON.stringify(config, null, 1).replace(/\n/g, ' ')}'`,
    '',
  ].join('\n');
}

/** Writes NADs until the file holds `bytes`; returns the count. */
function generate(file: string, bytes: number): number {
  const fd = fs.openSync(file, 'w');
  let written = 0;
  let i = 0;
  try {
    while (written < bytes) {
      const chunk: string[] = [];
      for (let j = 0; j < 1000 && written < bytes; j++, i++) {
        const doc = `---\n${nad(i)}`;
        chunk.push(doc);
        written += Buffer.byteLength(doc);
      }
      fs.writeSync(fd, chunk.join(''));
    }
  } finally {
    fs.closeSync(fd);
  }
  return i;
}

interface ChildResult {
  readonly ms: number;
  /** CPU time (user + system) of the lint: less sensitive than wall time to a busy machine. */
  readonly cpu_ms: number;
  readonly objects: number;
  readonly errors: number;
  readonly warnings: number;
  readonly read_problems: number;
  readonly rss_before_mb: number;
  readonly peak_rss_mb: number;
}

/** In the child: lint the file, print the measurement as JSON. */
function child(file: string): void {
  // loaded here, not at the top: the parent process only generates the file
  const { lintManifests } = require('../lib/cli/lint') as typeof import('../lib/cli/lint');
  // load the CNI model on a tiny input first, so the measurement is the lint, not module loading
  lintManifests([path.join(ROOT, 'test', 'fixtures', 'lint', 'clean')]);
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const report = lintManifests([file]);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  const result: ChildResult = {
    ms: Math.round(ms),
    cpu_ms: Math.round((cpu.user + cpu.system) / 1000),
    objects: report.objects,
    errors: report.errors,
    warnings: report.warnings,
    read_problems: report.readProblems.length,
    rss_before_mb: Math.round(rssBefore / 2 ** 20),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function main(): void {
  const mb = Number(option('mb', '50'));
  const out = option('out', path.join(ROOT, 'bench', 'lint-results.json'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nfv-lint-large-'));
  try {
    const file = path.join(dir, 'nads.yaml');
    const nads = generate(file, mb * 1e6);
    const bytes = fs.statSync(file).size;
    process.stdout.write(`lint-large: generated ${nads} NADs, ${(bytes / 1e6).toFixed(1)} MB\n`);
    const text = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', __filename, '--child', file], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 1024 * 1024,
    });
    const r = JSON.parse(text.trim().split('\n').pop()!) as ChildResult;
    const inputMb = bytes / 2 ** 20;
    const result = {
      date: new Date().toISOString(),
      machine: `${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} cores), Node ${process.version}`,
      /** The 1-minute load average when the lint ended: wall time means little on a busy machine. */
      load_average: Math.round(os.loadavg()[0] * 10) / 10,
      input_mb: Math.round(inputMb * 10) / 10,
      nads,
      ...r,
      /** (peak RSS - RSS before) / input size */
      rss_growth_over_input: Math.round(((r.peak_rss_mb - r.rss_before_mb) / inputMb) * 100) / 100,
      /** peak RSS / input size */
      peak_rss_over_input: Math.round((r.peak_rss_mb / inputMb) * 100) / 100,
    };
    process.stdout.write(`lint-large: ${result.objects} objects, ${result.errors} error(s), ${result.warnings} warning(s) in ${(r.ms / 1000).toFixed(1)} s (${(r.cpu_ms / 1000).toFixed(1)} s of CPU); `
      + `peak RSS ${r.peak_rss_mb} MB (${r.rss_before_mb} MB before the lint), ${result.peak_rss_over_input} x the input\n`);
    fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`lint-large: wrote ${path.relative(ROOT, out)}\n`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const at = process.argv.indexOf('--child');
if (at >= 0) child(process.argv[at + 1]);
else main();
