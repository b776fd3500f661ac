/**
 * Benchmark (not a test) of `cdk8s-nfv verify` on 50 pods with 3 interfaces each: where the time
 * goes, in particular the share spent inside the CNI plugin binaries versus the command's own
 * overhead. Needs root and the plugins (/opt/cni/bin or /usr/lib/cni).
 *
 *   npm run bench:verify            (or: node -r ts-node/register/transpile-only bench/verify.ts [--nodes N] [--runs N])
 *
 * Prints a table and writes bench/verify-results.json.
 */
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { probeEnvironment, runCommand } from '../lib/cli/dataplane';
import { ManifestObject } from '../lib/cli/manifests';
import { CheckResult, VerifyReport, verifyObjects } from '../lib/cli/verify';

const PODS = 50;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** 50 pods, each on three networks: macvlan + host-local, bridge + host-local, macvlan + static (ips). */
function topology(): ManifestObject[] {
  const nad = (name: string, plugin: object) => ({
    apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name, namespace: 'bench' },
    spec: { config: JSON.stringify({ cniVersion: '1.0.0', name, plugins: [plugin] }) },
  });
  const objects: unknown[] = [
    nad('data', { type: 'macvlan', master: 'eth1', mode: 'bridge', ipam: { type: 'host-local', ranges: [[{ subnet: '10.100.0.0/24' }]] } }),
    nad('mgmt', { type: 'bridge', bridge: 'br-mgmt', ipam: { type: 'host-local', ranges: [[{ subnet: '10.101.0.0/24' }]] } }),
    nad('ctrl', { type: 'macvlan', master: 'eth2', mode: 'bridge', ipam: { type: 'static' }, capabilities: { ips: true } }),
  ];
  for (let i = 0; i < PODS; i++) {
    objects.push({
      apiVersion: 'v1', kind: 'Pod',
      metadata: {
        name: `nf-${String(i).padStart(2, '0')}`, namespace: 'bench',
        annotations: { 'k8s.v1.cni.cncf.io/networks': JSON.stringify([{ name: 'data' }, { name: 'mgmt' }, { name: 'ctrl', ips: [`10.102.0.${10 + i}/24`] }]) },
      },
      spec: { containers: [{ name: 'nf', image: 'docker.io/library/busybox:1.36' }] },
    });
  }
  return objects.map((object, index) => ({ file: 'bench', index, object }));
}

/** Median time of entering a namespace for nothing (`ip netns exec <ns> true`): the wrapper every plugin call pays. */
function wrapperMs(): number {
  const ns = `nfvbench${process.pid.toString(16)}`;
  runCommand('ip', ['netns', 'add', ns]);
  try {
    const times: number[] = [];
    for (let i = 0; i < 21; i++) {
      const t = performance.now();
      runCommand('ip', ['netns', 'exec', ns, 'true']);
      times.push(performance.now() - t);
    }
    return times.sort((a, b) => a - b)[10];
  } finally {
    runCommand('ip', ['netns', 'delete', ns]);
  }
}

async function main(): Promise<void> {
  const env = probeEnvironment();
  if (!env.ok) {
    process.stderr.write(`bench:verify cannot run: ${env.reason}\n`);
    process.exitCode = 2;
    return;
  }
  const nodes = arg('--nodes', 1);
  const runs = arg('--runs', 3);
  const objects = topology();
  const reports: VerifyReport[] = [];
  for (let r = 0; r < runs; r++) {
    const report = await verifyObjects(objects, { nodes, progress: (l) => { if (!l.startsWith('attach ')) process.stderr.write(`  ${l}\n`); } });
    if (report.failed > 0) {
      process.stderr.write(`run ${r + 1}: ${report.failed} check(s) failed:\n${report.checks.filter((c) => c.result === CheckResult.FAILED).slice(0, 5).map((c) => `  ${c.check} ${c.from} ${c.to} ${c.reason}`).join('\n')}\n`);
    }
    reports.push(report);
  }
  const wrapper = wrapperMs();
  const median = (f: (r: VerifyReport) => number) => reports.map(f).sort((a, b) => a - b)[Math.floor(reports.length / 2)];
  const t = (r: VerifyReport) => r.timings;
  const total = median((r) => t(r).totalMs);
  const plugin = median((r) => t(r).pluginMs);
  const checks = median((r) => t(r).checkMs);
  const overhead = median((r) => t(r).totalMs - t(r).pluginMs - t(r).checkMs);
  const calls = reports[0].timings.pluginCalls;
  const rows: Array<[string, number, string]> = [
    ['total (wall clock)', total, ''],
    ['inside plugin processes (ADD + DEL)', plugin, `${calls} calls, ${(plugin / calls).toFixed(1)} ms each`],
    ['  of which entering the node namespace', wrapper * calls, `estimated: ${calls} x ${wrapper.toFixed(1)} ms (ip netns exec)`],
    ['reachability checks (pings)', checks, `${reports[0].timings.pings} pings`],
    ['command overhead (everything else)', overhead, 'plan, namespaces, uplinks, bookkeeping, teardown'],
    ['  setup', median((r) => t(r).setupMs), ''],
    ['  teardown', median((r) => t(r).teardownMs), ''],
    ['  plan', median((r) => t(r).planMs), ''],
  ];
  const ratio = overhead / plugin;
  const lines = [
    `verify benchmark: ${PODS} pods x 3 interfaces, ${nodes} node(s), median of ${runs} run(s)`,
    ...rows.map(([k, v, note]) => `${k.padEnd(42)} ${v.toFixed(0).padStart(7)} ms ${((v / total) * 100).toFixed(1).padStart(5)} %  ${note}`),
    `overhead / plugin time: ${ratio.toFixed(2)} (goal: under 0.50) -> ${ratio < 0.5 ? 'met' : 'NOT met'}`,
    `(overhead + checks) / plugin time: ${((overhead + checks) / plugin).toFixed(2)}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const result = {
    pods: PODS, interfacesPerPod: 3, nodes, runs,
    checks: { total: reports[0].checks.length, passed: reports[0].passed, failed: reports[0].failed, unsupported: reports[0].unsupported },
    medianMs: {
      total: Math.round(total), plugins: Math.round(plugin), checks: Math.round(checks), overhead: Math.round(overhead),
      setup: Math.round(median((r) => t(r).setupMs)), teardown: Math.round(median((r) => t(r).teardownMs)), plan: Math.round(median((r) => t(r).planMs)),
      namespaceEntryPerPluginCall: Number(wrapper.toFixed(2)),
    },
    pluginCalls: calls,
    pings: reports[0].timings.pings,
    pluginShare: Number((plugin / total).toFixed(3)),
    overheadToPluginRatio: Number(ratio.toFixed(3)),
    goalMet: ratio < 0.5,
    runsMs: reports.map((r) => Object.fromEntries(Object.entries(r.timings).map(([k, v]) => [k, Math.round(v)]))),
  };
  fs.writeFileSync(path.join(__dirname, 'verify-results.json'), `${JSON.stringify(result, null, 2)}\n`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
