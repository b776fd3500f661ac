/**
 * Benchmark (not a test) of `cdk8s-nfv verify` on 50 pods with 3 interfaces each, with both
 * engines on the same topology: the emulated one (plugins run by verify) and the real Multus (one
 * Multus ADD and DEL per pod, a private API server started once and shared by the runs). Per
 * engine: time per pod, the time inside the binaries (plugins, or Multus with the plugins it
 * calls) and the command's own overhead. Needs root and the plugins (/opt/cni/bin or
 * /usr/lib/cni); the Multus engine also the toolchain (`npm run toolchain`), else it is reported
 * as not run, with the reason.
 *
 *   npm run bench:verify            (or: node -r ts-node/register/transpile-only bench/verify.ts [--nodes N] [--runs N] [--engine emulated|multus|both])
 *
 * Prints a table and writes bench/verify-results.json.
 */
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { probeEnvironment, runCommand } from '../lib/cli/dataplane';
import { ManifestObject } from '../lib/cli/manifests';
import { CheckResult, VerifyOptions, VerifyReport, verifyObjects } from '../lib/cli/verify';
import { multusEngine } from '../lib/cli/verify/multus-engine';
import { findMultusToolchain } from '../lib/cli/verify/multus-engine/toolchain';
import { toolchainCacheDir } from '../lib/toolchain/cache-dir';
import { ControlPlane, startControlPlane } from '../lib/toolchain/control-plane';

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

/** The runs of one engine, summed up. */
async function benchEngine(name: string, objects: ManifestObject[], nodes: number, runs: number, options: VerifyOptions, wrapper: number): Promise<{ lines: string[]; result: object }> {
  const reports: VerifyReport[] = [];
  for (let r = 0; r < runs; r++) {
    const report = await verifyObjects(objects, { nodes, ...options, progress: (l) => { if (!l.startsWith('attach ')) process.stderr.write(`  [${name}] ${l}\n`); } });
    if (report.failed > 0) {
      process.stderr.write(`[${name}] run ${r + 1}: ${report.failed} check(s) failed:\n${report.checks.filter((c) => c.result === CheckResult.FAILED).slice(0, 5).map((c) => `  ${c.check} ${c.from} ${c.to} ${c.reason}`).join('\n')}\n`);
    }
    reports.push(report);
  }
  const median = (f: (r: VerifyReport) => number) => reports.map(f).sort((a, b) => a - b)[Math.floor(reports.length / 2)];
  const t = (r: VerifyReport) => r.timings;
  const total = median((r) => t(r).totalMs);
  const binaries = median((r) => t(r).pluginMs);
  const checks = median((r) => t(r).checkMs);
  const overhead = median((r) => t(r).totalMs - t(r).pluginMs - t(r).checkMs);
  const attachDetach = median((r) => t(r).attachMs + t(r).detachMs);
  const calls = reports[0].timings.pluginCalls;
  const inside = name === 'multus' ? 'inside Multus processes (ADD + DEL, plugins included)' : 'inside plugin processes (ADD + DEL)';
  const rows: Array<[string, number, string]> = [
    ['total (wall clock)', total, `${(total / PODS).toFixed(1)} ms per pod`],
    ['attach + detach phases', attachDetach, `${(attachDetach / PODS).toFixed(1)} ms per pod`],
    [inside, binaries, `${calls} calls, ${(binaries / calls).toFixed(1)} ms each, ${(binaries / PODS).toFixed(1)} ms per pod`],
    ['  of which entering the node namespace', wrapper * calls, `estimated: ${calls} x ${wrapper.toFixed(1)} ms (ip netns exec)`],
    ['reachability checks (pings)', checks, `${reports[0].timings.pings} pings`],
    ['command overhead (everything else)', overhead, `${(overhead / PODS).toFixed(1)} ms per pod: plan, namespaces, uplinks, API objects, bookkeeping, teardown`],
    ['  setup', median((r) => t(r).setupMs), ''],
    ['  teardown', median((r) => t(r).teardownMs), ''],
    ['  plan', median((r) => t(r).planMs), ''],
  ];
  const ratio = overhead / binaries;
  const lines = [
    `engine ${name}: ${PODS} pods x 3 interfaces, ${nodes} node(s), median of ${runs} run(s); ${reports[0].passed} passed, ${reports[0].failed} failed, ${reports[0].unsupported} unsupported`,
    ...rows.map(([k, v, note]) => `  ${k.padEnd(56)} ${v.toFixed(0).padStart(7)} ms ${((v / total) * 100).toFixed(1).padStart(5)} %  ${note}`),
    `  overhead / time in binaries: ${ratio.toFixed(2)} (goal: under 0.50) -> ${ratio < 0.5 ? 'met' : 'NOT met'}`,
  ];
  const result = {
    checks: { total: reports[0].checks.length, passed: reports[0].passed, failed: reports[0].failed, unsupported: reports[0].unsupported },
    medianMs: {
      total: Math.round(total), binaries: Math.round(binaries), checks: Math.round(checks), overhead: Math.round(overhead), attachDetach: Math.round(attachDetach),
      setup: Math.round(median((r) => t(r).setupMs)), teardown: Math.round(median((r) => t(r).teardownMs)), plan: Math.round(median((r) => t(r).planMs)),
      namespaceEntryPerCall: Number(wrapper.toFixed(2)),
    },
    perPodMs: { total: Number((total / PODS).toFixed(1)), attachDetach: Number((attachDetach / PODS).toFixed(1)), binaries: Number((binaries / PODS).toFixed(1)), overhead: Number((overhead / PODS).toFixed(1)) },
    binaryCalls: calls,
    pings: reports[0].timings.pings,
    binaryShare: Number((binaries / total).toFixed(3)),
    overheadToBinaryRatio: Number(ratio.toFixed(3)),
    goalMet: ratio < 0.5,
    runsMs: reports.map((r) => Object.fromEntries(Object.entries(r.timings).map(([k, v]) => [k, Math.round(v)]))),
  };
  return { lines, result };
}

function argText(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? String(process.argv[i + 1]) : fallback;
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
  const which = argText('--engine', 'both');
  const objects = topology();
  const wrapper = wrapperMs();
  const engines: Record<string, object> = {};
  const out: string[] = [`verify benchmark: the same ${PODS}-pod topology through each engine`];
  if (which !== 'multus') {
    const e = await benchEngine('emulated', objects, nodes, runs, {}, wrapper);
    out.push(...e.lines);
    engines.emulated = e.result;
  }
  if (which !== 'emulated') {
    const cache = toolchainCacheDir(process.env);
    const found = findMultusToolchain(cache);
    if (!found.toolchain) {
      const why = `not run: no ${found.missing.join(', ')} in ${cache} (npm run toolchain)`;
      out.push(`engine multus: ${why}`);
      engines.multus = { notRun: why };
    } else {
      let cp: ControlPlane | undefined;
      try {
        cp = await startControlPlane({ etcd: found.toolchain.etcd, kubeApiserver: found.toolchain.kubeApiserver });
        const e = await benchEngine('multus', objects, nodes, runs, { engine: multusEngine({ multus: found.toolchain.multus, apiServer: cp }) }, wrapper);
        out.push(...e.lines, `  (the private API server started once in ${cp.startSeconds.toFixed(1)} s, not counted above; a run starting its own adds that)`);
        engines.multus = { ...e.result, controlPlaneStartMs: Math.round(cp.startSeconds * 1000) };
      } finally {
        await cp?.stop();
      }
    }
  }
  process.stdout.write(`${out.join('\n')}\n`);
  const result = { pods: PODS, interfacesPerPod: 3, nodes, runs, engines };
  fs.writeFileSync(path.join(__dirname, 'verify-results.json'), `${JSON.stringify(result, null, 2)}\n`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
