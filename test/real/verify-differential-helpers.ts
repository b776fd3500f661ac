import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { App, Testing } from 'cdk8s';
import { buildExamples } from '../../examples/main';
import { ManifestObject } from '../../lib/cli/manifests';
import { CheckKind, EmulatedEngine, EngineContext, VerifyEngine, VerifyOptions, VerifyReport, verifyObjects } from '../../lib/cli/verify';
import { multusEngine } from '../../lib/cli/verify/multus-engine';
import { ApiEndpoint } from '../../lib/toolchain/kube-client';

/**
 * Helpers of the two-engine tests: inputs (examples, the real-world corpus), a recorder that
 * reads every pod namespace's addresses and routes once the attach phase is over, and a run of
 * both engines on the same input with what differs between them.
 */

/** What one pod interface holds after the attach phase. */
export interface Observed {
  readonly addresses: string[];
  readonly routes: string[];
  /** The link's MAC, recorded where the element asked for one. */
  readonly mac: string;
}

/** Observations by `<pod display>:<ifname>`. */
export type Observations = Map<string, Observed>;

function ipJson(args: string[]): any[] {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  try {
    return JSON.parse(r.stdout || '[]');
  } catch {
    return [];
  }
}

/** Wraps an engine factory: before the pings, every planned interface's addresses and routes are recorded. */
export function recording(factory: (c: EngineContext) => VerifyEngine, sink: Observations): (c: EngineContext) => VerifyEngine {
  return (context) => {
    const engine = factory(context);
    let planned: Array<{ display: string; index: number; ifnames: Array<{ ifname: string; mac: boolean }> }> = [];
    return {
      unsupported: (a) => engine.unsupported(a),
      setup: async (plan, runnable) => {
        planned = plan.pods.map((p) => ({ display: p.display, index: p.index, ifnames: p.attachments.map((a) => ({ ifname: a.ifname, mac: typeof a.element?.mac === 'string' })) }));
        return engine.setup(plan, runnable);
      },
      attach: (a) => engine.attach(a),
      settle: async () => {
        for (const p of planned) {
          const ns = `${context.prefix}-pod${p.index}`;
          if (!fs.existsSync(path.join('/var/run/netns', ns))) continue;
          const links = ipJson(['-n', ns, '-j', 'addr', 'show']);
          const routes = ipJson(['-n', ns, '-j', 'route', 'show', 'table', 'all']);
          for (const { ifname, mac } of p.ifnames) {
            const link = links.find((l) => l.ifname === ifname);
            if (!link) continue;
            sink.set(`${p.display}:${ifname}`, {
              addresses: (link.addr_info ?? []).filter((x: any) => x.scope !== 'link').map((x: any) => `${x.local}/${x.prefixlen}`).sort(),
              routes: routes.filter((r: any) => r.dev === ifname && r.type !== 'local' && r.type !== 'broadcast' && r.type !== 'multicast' && r.dst !== 'fe80::/64')
                .map((r: any) => `${r.table ?? 'main'} ${r.dst}${r.gateway ? ` via ${r.gateway}` : ''}`).sort(),
              mac: mac ? String(link.address) : '-',
            });
          }
        }
        return engine.settle();
      },
      ping: (jobs) => engine.ping(jobs),
      detach: (a, o) => engine.detach(a, o),
      teardown: () => engine.teardown(),
      cancel: () => engine.cancel(),
      stats: () => engine.stats(),
    };
  };
}

/** The objects of every example chart, by chart id. */
export function exampleInputs(): Array<{ name: string; objects: ManifestObject[] }> {
  const app: App = Testing.app();
  buildExamples(app);
  return app.charts.map((c) => ({ name: `example ${c.node.id}`, objects: c.toJson().map((object: unknown, index: number) => ({ file: c.node.id, index, object })) }));
}

/** The objects of every test/corpus/<folder>/upstream.yaml. */
export function corpusInputs(): Array<{ name: string; objects: ManifestObject[] }> {
  const root = path.resolve(__dirname, '..', 'corpus');
  return fs.readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort().map((folder) => {
    const file = path.join(root, folder, 'upstream.yaml');
    const objects = parseAllDocuments(fs.readFileSync(file, 'utf8')).map((doc) => doc.toJS()).filter((o) => o !== null && o !== undefined)
      .map((object, index) => ({ file, index, object }));
    return { name: `corpus ${folder}`, objects };
  });
}

/** The binaries of the Multus engine and the API server it uses. */
export interface MultusSetup {
  readonly multus: string;
  readonly apiServer: ApiEndpoint;
}

/** A row's identity and what both engines must agree on. */
export function rowKey(c: VerifyReport['checks'][number]): string {
  return `${c.check} ${c.from} -> ${c.to} (${c.network})`;
}

/**
 * What a row must equal across engines: the result, and for an attach row its reason too (the
 * addresses when it passed; the plugin's error when it failed, the Multus engine's "(through
 * Multus)" mark left out).
 */
export function rowValue(c: VerifyReport['checks'][number]): string {
  return c.check === CheckKind.ATTACH ? `${c.result} ${(c.reason ?? '').replace(/ \(through Multus\)$/, '')}` : c.result;
}

/** One difference between the engines. */
export interface Divergence {
  readonly input: string;
  readonly what: string;
  readonly emulated: string;
  readonly multus: string;
}

/** Both engines on the same objects (same plugins), with their reports, observations and differences. */
export async function runBoth(name: string, objects: readonly ManifestObject[], setup: MultusSetup, options: VerifyOptions = {}): Promise<{
  emulated: VerifyReport; multus: VerifyReport; divergences: Divergence[];
}> {
  const seenE: Observations = new Map();
  const seenM: Observations = new Map();
  const emulated = await verifyObjects(objects, { ...options, engine: recording((c) => new EmulatedEngine(c), seenE) });
  const multus = await verifyObjects(objects, { ...options, engine: recording(multusEngine({ multus: setup.multus, apiServer: setup.apiServer }), seenM) });
  const divergences: Divergence[] = [];
  const rowsE = new Map(emulated.checks.map((c) => [rowKey(c), c]));
  const rowsM = new Map(multus.checks.map((c) => [rowKey(c), c]));
  for (const k of [...new Set([...rowsE.keys(), ...rowsM.keys()])].sort()) {
    const e = rowsE.get(k);
    const m = rowsM.get(k);
    const ve = e ? rowValue(e) : 'absent';
    const vm = m ? rowValue(m) : 'absent';
    if (ve !== vm) divergences.push({ input: name, what: k, emulated: `${ve}${e?.reason && e.result !== 'passed' ? `: ${e.reason}` : ''}`, multus: `${vm}${m?.reason && m.result !== 'passed' ? `: ${m.reason}` : ''}` });
  }
  for (const k of [...new Set([...seenE.keys(), ...seenM.keys()])].sort()) {
    const e = seenE.get(k);
    const m = seenM.get(k);
    for (const field of ['addresses', 'routes', 'mac'] as const) {
      const ve = e ? [e[field]].flat().join(', ') : 'absent';
      const vm = m ? [m[field]].flat().join(', ') : 'absent';
      if (ve !== vm) divergences.push({ input: name, what: `${field} of ${k}`, emulated: ve, multus: vm });
    }
  }
  return { emulated, multus, divergences };
}

function nad(name: string, namespace: string, config: object, withName = true): object {
  return { apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name, namespace }, spec: { config: JSON.stringify({ cniVersion: '1.0.0', ...(withName ? { name } : {}), ...config }) } };
}

function pod(name: string, namespace: string, networks: object[]): object {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, annotations: { 'k8s.v1.cni.cncf.io/networks': JSON.stringify(networks) } }, spec: { containers: [{ name: 'c', image: 'x' }] } };
}

/** A NAD whose config is written as given (its cniVersion included). */
function nadRaw(name: string, namespace: string, config: object): object {
  return { apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name, namespace }, spec: { config: JSON.stringify({ name, ...config }) } };
}

const wrap = (objects: object[]): ManifestObject[] => objects.map((object, index) => ({ file: 'case', index, object }));

/**
 * Small inputs, each on one point where the emulation could differ from Multus (issue 13 item 5),
 * built only of what this machine runs (macvlan, bridge, static, host-local).
 */
export function divergenceCases(): Array<{ name: string; objects: ManifestObject[] }> {
  return [
    { name: 'case config-without-name', objects: wrap([
      nad('noname', 'lab', { plugins: [{ type: 'bridge', bridge: 'br-nn', ipam: { type: 'host-local', ranges: [[{ subnet: '10.90.0.0/24' }]] } }] }, false),
      pod('a', 'lab', [{ name: 'noname' }]), pod('b', 'lab', [{ name: 'noname' }])]) },
    { name: 'case static-ips-without-capability', objects: wrap([
      nad('st', 'lab', { plugins: [{ type: 'macvlan', master: 'eth1', mode: 'bridge', ipam: { type: 'static' } }] }),
      pod('a', 'lab', [{ name: 'st', ips: ['10.91.0.1/24'] }]), pod('b', 'lab', [{ name: 'st', ips: ['10.91.0.2/24'] }])]) },
    { name: 'case default-route', objects: wrap([
      nad('gw', 'lab', { plugins: [{ type: 'macvlan', master: 'eth1', mode: 'bridge', ipam: { type: 'static' }, capabilities: { ips: true } }] }),
      pod('a', 'lab', [{ name: 'gw', ips: ['10.92.0.1/24'], 'default-route': ['10.92.0.254'] }]), pod('b', 'lab', [{ name: 'gw', ips: ['10.92.0.2/24'] }])]) },
    // Multus 4.3.0 adds a default-route only where the pod has none of that family, removes none, and takes IPv6 gateways
    { name: 'case default-route-per-family', objects: wrap([
      nad('dr4', 'lab', { plugins: [{ type: 'bridge', bridge: 'br-dr4', ipam: { type: 'host-local', ranges: [[{ subnet: '10.84.0.0/24' }]] } }] }),
      nadRaw('dr6', 'lab', { cniVersion: '1.0.0', plugins: [{ type: 'bridge', bridge: 'br-dr6', ipam: { type: 'host-local', ranges: [[{ subnet: 'fd00:84::/64' }]] } }] }),
      pod('a', 'lab', [{ name: 'dr4', 'default-route': ['10.84.0.1'] }, { name: 'dr6', 'default-route': ['fd00:84::1'] }]), pod('b', 'lab', [{ name: 'dr4' }, { name: 'dr6' }])]) },
    { name: 'case default-route-beside-ipam-route', objects: wrap([
      nad('ri', 'lab', { plugins: [{ type: 'bridge', bridge: 'br-ri', ipam: { type: 'host-local', ranges: [[{ subnet: '10.83.0.0/24', gateway: '10.83.0.1' }]], routes: [{ dst: '0.0.0.0/0' }] } }] }),
      nad('rq', 'lab', { plugins: [{ type: 'bridge', bridge: 'br-rq', ipam: { type: 'host-local', ranges: [[{ subnet: '10.82.0.0/24' }]] } }] }),
      pod('a', 'lab', [{ name: 'ri' }, { name: 'rq', 'default-route': ['10.82.0.1'] }]), pod('b', 'lab', [{ name: 'ri' }, { name: 'rq' }])]) },
    { name: 'case mac-request', objects: wrap([
      nad('m', 'lab', { plugins: [{ type: 'macvlan', master: 'eth1', mode: 'bridge', ipam: { type: 'static' }, capabilities: { ips: true, mac: true } }, { type: 'tuning', capabilities: { mac: true } }] }),
      pod('a', 'lab', [{ name: 'm', ips: ['10.97.0.1/24'], mac: '02:00:00:97:00:01' }]), pod('b', 'lab', [{ name: 'm', ips: ['10.97.0.2/24'] }])]) },
    { name: 'case probes-on-fixed-static', objects: wrap([
      nad('fixed', 'lab', { plugins: [{ type: 'macvlan', master: 'eth1', mode: 'bridge', ipam: { type: 'static', addresses: [{ address: '10.93.0.5/24' }] } }] })]) },
    { name: 'case one-segment-two-nads', objects: wrap([
      nad('seg-a', 'lab', { plugins: [{ type: 'bridge', bridge: 'br-seg', ipam: { type: 'static' }, capabilities: { ips: true } }] }),
      nad('seg-b', 'lab', { plugins: [{ type: 'bridge', bridge: 'br-seg', ipam: { type: 'static' }, capabilities: { ips: true } }] }),
      pod('a', 'lab', [{ name: 'seg-a', ips: ['10.94.0.1/24'] }]), pod('b', 'lab', [{ name: 'seg-b', ips: ['10.94.0.2/24'] }])]) },
    { name: 'case failing-middle-attachment', objects: wrap([
      nad('good', 'lab', { plugins: [{ type: 'bridge', bridge: 'br-g', ipam: { type: 'host-local', ranges: [[{ subnet: '10.95.0.0/24' }]] } }] }),
      nad('bad', 'lab', { plugins: [{ type: 'macvlan', master: 'eth1', mode: 'nonsense', ipam: { type: 'static' }, capabilities: { ips: true } }] }),
      pod('a', 'lab', [{ name: 'good' }, { name: 'bad', ips: ['10.96.0.1/24'] }, { name: 'good', interface: 'g2' }]), pod('b', 'lab', [{ name: 'good' }])]) },
    { name: 'case old-cni-versions', objects: wrap([
      nadRaw('v031', 'lab', { cniVersion: '0.3.1', type: 'bridge', bridge: 'br-o', ipam: { type: 'host-local', subnet: '10.88.0.0/24' } }),
      nadRaw('v040', 'lab', { cniVersion: '0.4.0', plugins: [{ type: 'macvlan', master: 'eth1', mode: 'bridge', ipam: { type: 'static', addresses: [] }, capabilities: { ips: true } }, { type: 'tuning', sysctl: { 'net.ipv4.conf.IFNAME.arp_notify': '1' } }] }),
      pod('a', 'lab', [{ name: 'v031' }, { name: 'v040', ips: ['10.87.0.1/24'] }]), pod('b', 'lab', [{ name: 'v031' }, { name: 'v040', ips: ['10.87.0.2/24'] }])]) },
    { name: 'case exhausted-range', objects: wrap([
      nadRaw('tiny', 'lab', { cniVersion: '1.0.0', plugins: [{ type: 'bridge', bridge: 'br-t', ipam: { type: 'host-local', ranges: [[{ subnet: '10.86.0.0/30' }]] } }] }),
      pod('a', 'lab', [{ name: 'tiny' }]), pod('b', 'lab', [{ name: 'tiny' }]), pod('c', 'lab', [{ name: 'tiny' }])]) },
    { name: 'case ipv6-and-dual-stack', objects: wrap([
      nadRaw('ds', 'lab', { cniVersion: '1.0.0', plugins: [{ type: 'bridge', bridge: 'br-ds', ipam: { type: 'host-local', ranges: [[{ subnet: '10.85.0.0/24' }], [{ subnet: 'fd00:85::/64' }]] } }] }),
      pod('a', 'lab', [{ name: 'ds' }]), pod('b', 'lab', [{ name: 'ds' }])]) },
    { name: 'case default-network-annotation', objects: wrap([
      nad('dn', 'lab', { plugins: [{ type: 'bridge', bridge: 'br-dn', ipam: { type: 'host-local', ranges: [[{ subnet: '10.99.0.0/24' }]] } }] }),
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'lab', annotations: { 'v1.multus-cni.io/default-network': 'lab/dn' } }, spec: { containers: [{ name: 'c', image: 'x' }] } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b', namespace: 'lab', annotations: { 'v1.multus-cni.io/default-network': 'lab/dn' } }, spec: { containers: [{ name: 'c', image: 'x' }] } }]) },
    { name: 'case cross-namespace-short-form', objects: wrap([
      nad('shared', 'infra', { plugins: [{ type: 'bridge', bridge: 'br-x', ipam: { type: 'host-local', ranges: [[{ subnet: '10.98.0.0/24' }]] } }] }),
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'lab', annotations: { 'k8s.v1.cni.cncf.io/networks': 'infra/shared@x1' } }, spec: { containers: [{ name: 'c', image: 'x' }] } },
      pod('b', 'lab', [{ name: 'shared', namespace: 'infra', interface: 'x1' }])]) },
  ];
}
