import { spawnSync } from 'child_process';
import { ManifestObject } from '../../lib/cli/manifests';
import { CheckKind, EmulatedEngine, EngineContext, VerifyEngine, VerifyReport, verifyObjects } from '../../lib/cli/verify';
import { multusEngine } from '../../lib/cli/verify/multus-engine';
import { ControlPlane } from '../../lib/toolchain/control-plane';
import { dataplaneTest, printSkipSummary } from '../cli/dataplane/gate';
import { BUILD_TIMEOUT_MS, describeWithToolchain, ensureToolchain, startTestControlPlane } from '../util/toolchain';

/**
 * The evidence behind the severities of the rulebook (lib/topology, lib/multus/cni-args.ts): what
 * the real Multus 4.3.0 does with each case, with the CNI plugins 1.10.0 of the toolchain and with
 * Debian's 1.1.1 (/usr/lib/cni), run by `verify --engine multus` in network namespaces. Each pod's
 * default routes and the MAC of net1 are read once the attach phase is over.
 *
 * The emulated engine runs every case too: where it does not do what Multus does, the difference
 * is listed in DIVERGENCES and asserted exactly (a fixed one fails the test until it leaves the
 * list, a new one fails it until it is fixed or listed). None is left: lib/cli/verify/default-route.ts
 * applies `default-route` as Multus 4.3.0 does (a route is added only where the pod has none of
 * that family, EEXIST ignored, none removed; IPv6 gateways through `::/0`), and
 * lib/cli/verify/multus.ts refuses two gateways of one family as Multus does (the pod, before any
 * plugin runs; the first attachment takes the blame, as in the Multus engine).
 */

/** Known differences of the emulated engine, by case: [what, emulated, multus]. */
const DIVERGENCES: Record<string, ReadonlyArray<readonly [string, string, string]>> = {};

/** What a pod holds after the attach phase: its default routes (`-4 default via <gw> dev <if>`) and net1's MAC. */
interface Seen {
  readonly routes: string[];
  readonly mac?: string;
}

function ipJson(args: string[]): any[] {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  try {
    return JSON.parse(r.stdout || '[]');
  } catch {
    return [];
  }
}

function observe(ns: string): Seen {
  const routes: string[] = [];
  for (const family of ['-4', '-6']) {
    for (const r of ipJson([family, '-n', ns, '-j', 'route', 'show', 'default'])) {
      const via = r.nexthops ? `nexthops ${r.nexthops.map((h: any) => `${h.gateway}@${h.dev}`).join(',')}` : `via ${r.gateway} dev ${r.dev}`;
      routes.push(`${family} default ${via}`);
    }
  }
  const link = ipJson(['-n', ns, '-j', 'link', 'show', 'net1'])[0];
  return { routes, mac: link?.address };
}

/** The Multus engine, recording every pod before the pings (a case has a peer pod, so there are pings). */
function recorded(factory: (c: EngineContext) => VerifyEngine, sink: Map<string, Seen>): (c: EngineContext) => VerifyEngine {
  return (context) => {
    const engine = factory(context);
    let pods: Array<{ display: string; index: number }> = [];
    return {
      unsupported: (a) => engine.unsupported(a),
      setup: async (plan, runnable) => {
        pods = plan.pods.map((p) => ({ display: p.display, index: p.index }));
        return engine.setup(plan, runnable);
      },
      attach: (a) => engine.attach(a),
      settle: async () => {
        for (const p of pods) sink.set(p.display, observe(`${context.prefix}-pod${p.index}`));
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

const nad = (name: string, plugin: object) => ({
  apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name, namespace: 'lab' },
  spec: { config: JSON.stringify({ cniVersion: '0.4.0', name, plugins: [plugin] }) },
});
const pod = (name: string, networks: object[]) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'lab', annotations: { 'k8s.v1.cni.cncf.io/networks': JSON.stringify(networks) } },
  spec: { containers: [{ name: 'c', image: 'x' }] },
});
const bridge = (br: string, ipam: object, extra: object = {}) => ({ type: 'bridge', bridge: br, ipam, ...extra });
const hostLocal = (subnet: string, opts: { gateway?: string; routes?: string[] } = {}) => ({
  type: 'host-local', ranges: [[{ subnet, ...(opts.gateway ? { gateway: opts.gateway } : {}) }]], ...(opts.routes ? { routes: opts.routes.map((dst) => ({ dst })) } : {}),
});
const objects = (list: object[]): ManifestObject[] => list.map((object, index) => ({ file: 'evidence', index, object }));

/** The plugin sets: the toolchain's 1.10.0 (its bin directory, known after the build) and Debian's 1.1.1. */
const PLUGIN_SETS = ['plugins 1.10.0', 'debian 1.1.1'] as const;

describeWithToolchain('what Multus 4.3.0 really does (the evidence of the rulebook)', ['etcd', 'kube-apiserver', 'multus', 'cni-plugins'], () => {
  let cp: ControlPlane;
  let bins: Record<string, string>;
  beforeAll(async () => {
    bins = await ensureToolchain(['multus', 'cni-plugins']);
    cp = await startTestControlPlane();
  }, BUILD_TIMEOUT_MS);
  afterAll(async () => {
    await cp?.stop();
  });

  async function once(set: (typeof PLUGIN_SETS)[number], list: object[], engine: 'multus' | 'emulated'): Promise<{ report: VerifyReport; seen: Map<string, Seen>; attach: Record<string, string> }> {
    const seen = new Map<string, Seen>();
    const cniPath = set === 'debian 1.1.1' ? ['/usr/lib/cni'] : [bins['cni-plugins:binDir']];
    const factory = engine === 'multus' ? multusEngine({ multus: bins.multus, apiServer: cp }) : (c: EngineContext) => new EmulatedEngine(c);
    const report = await verifyObjects(objects(list), { cniPath, engine: recorded(factory, seen) });
    expect(report.leftovers).toEqual([]);
    const attach = Object.fromEntries(report.checks.filter((c) => c.check === CheckKind.ATTACH)
      .map((c) => [c.from, `${c.result} ${(c.reason ?? '').replace(/ \(through Multus\)$/, '')}`.trim()]));
    return { report, seen, attach };
  }

  /** Multus on a case, and the emulated engine's differences from it (checked against DIVERGENCES). */
  async function run(set: (typeof PLUGIN_SETS)[number], list: object[], name?: string): Promise<{ report: VerifyReport; seen: Map<string, Seen>; attach: Record<string, string> }> {
    const multus = await once(set, list, 'multus');
    const emulated = await once(set, list, 'emulated');
    const differences: string[][] = [];
    for (const k of [...new Set([...Object.keys(multus.attach), ...Object.keys(emulated.attach)])].sort()) {
      const m = multus.attach[k] ?? 'absent';
      const e = emulated.attach[k] ?? 'absent';
      // Multus's own error text names the run's pod UID: compared up to the result
      if (m !== e && !(m.startsWith('failed') && e.startsWith('failed'))) differences.push([`attach ${k}`, e, m.startsWith('failed') ? 'failed' : m]);
    }
    for (const k of [...new Set([...multus.seen.keys(), ...emulated.seen.keys()])].sort()) {
      const m = multus.seen.get(k)?.routes.join(' | ') ?? 'absent';
      const e = emulated.seen.get(k)?.routes.join(' | ') ?? 'absent';
      if (m !== e) differences.push([`routes of ${k}`, e, m]);
    }
    expect(differences).toEqual((DIVERGENCES[name ?? ''] ?? []).map((d) => [...d]));
    return multus;
  }

  const NEEDS = { plugins: ['bridge', 'macvlan', 'static', 'host-local', 'ptp'] };

  for (const set of PLUGIN_SETS) {
    dataplaneTest(`${set}: ips without the ips capability reach static and host-local as IP= in CNI_ARGS (a warning, not an error)`, NEEDS, async () => {
      const r = await run(set, [
        nad('st', bridge('br-ev1', { type: 'static' })), nad('hl', bridge('br-ev2', hostLocal('10.64.0.0/24'))),
        pod('p', [{ name: 'st', ips: ['10.63.0.1/24'] }, { name: 'hl', ips: ['10.64.0.77/24'] }]),
        pod('q', [{ name: 'st', ips: ['10.63.0.2/24'] }, { name: 'hl' }]),
      ]);
      expect(r.attach['lab/p:net1']).toBe('passed 10.63.0.1/24');
      expect(r.attach['lab/p:net2']).toBe('passed 10.64.0.77/24');
    }, 300000);

    dataplaneTest(`${set}: mac without the mac capability reaches macvlan and bridge as MAC= in CNI_ARGS`, NEEDS, async () => {
      for (const [name, plugin] of [['mv', { type: 'macvlan', master: 'eth1', mode: 'bridge' }], ['br', { type: 'bridge', bridge: 'br-ev3' }]] as const) {
        const r = await run(set, [
          nad(name, { ...plugin, ipam: { type: 'static' }, capabilities: { ips: true } }),
          pod('p', [{ name, ips: ['10.61.0.1/24'], mac: '02:00:00:61:00:01' }]), pod('q', [{ name, ips: ['10.61.0.2/24'] }]),
        ]);
        expect(r.attach['lab/p:net1']).toBe('passed 10.61.0.1/24');
        expect(r.seen.get('lab/p')?.mac).toBe('02:00:00:61:00:01');
      }
    }, 300000);

    dataplaneTest(`${set}: a config name other than the NAD name works: both pods attach and reach each other (Multus keeps the config name)`, NEEDS, async () => {
      const renamed = { apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name: 'nad-name', namespace: 'lab' },
        spec: { config: JSON.stringify({ cniVersion: '0.4.0', name: 'config-name', plugins: [bridge('br-ev15', hostLocal('10.58.0.0/24'))] }) } };
      const r = await run(set, [renamed, pod('p', [{ name: 'nad-name' }]), pod('q', [{ name: 'nad-name' }])]);
      expect(r.attach['lab/p:net1']).toBe('passed 10.58.0.2/24');
      expect(r.attach['lab/q:net1']).toBe('passed 10.58.0.3/24');
      expect(r.report.checks.filter((c) => c.check === CheckKind.REACH).map((c) => [c.network, c.result])).toEqual([['nad-name', 'passed']]);
    }, 300000);

    dataplaneTest(`${set}: two IPAM IPv4 default routes are both installed (the last attached first); two IPv6 ones become one ECMP route`, NEEDS, async () => {
      const v4 = await run(set, [
        nad('a', bridge('br-ev4', hostLocal('10.72.0.0/24', { gateway: '10.72.0.1', routes: ['0.0.0.0/0'] }))),
        nad('b', bridge('br-ev5', hostLocal('10.73.0.0/24', { gateway: '10.73.0.1', routes: ['0.0.0.0/0'] }))),
        pod('p', [{ name: 'a' }, { name: 'b' }]), pod('q', [{ name: 'a' }, { name: 'b' }]),
      ]);
      expect(v4.seen.get('lab/p')?.routes).toEqual(['-4 default via 10.73.0.1 dev net2', '-4 default via 10.72.0.1 dev net1']);
      const v6 = await run(set, [
        nad('a', bridge('br-ev6', hostLocal('fd00:74::/64', { gateway: 'fd00:74::1', routes: ['::/0'] }))),
        nad('b', bridge('br-ev7', hostLocal('fd00:75::/64', { gateway: 'fd00:75::1', routes: ['::/0'] }))),
        pod('p', [{ name: 'a' }, { name: 'b' }]), pod('q', [{ name: 'a' }, { name: 'b' }]),
      ]);
      expect(v6.seen.get('lab/p')?.routes).toEqual(['-6 default nexthops fd00:74::1@net1,fd00:75::1@net2']);
    }, 300000);

    dataplaneTest(`${set}: two default-route gateways of one family: Multus refuses the pod; one per family: both installed`, NEEDS, async () => {
      const ecmp = await run(set, [
        nad('a', bridge('br-ev8', hostLocal('10.78.0.0/24'))), nad('b', bridge('br-ev9', hostLocal('10.79.0.0/24'))),
        pod('p', [{ name: 'a', 'default-route': ['10.78.0.1'] }, { name: 'b', 'default-route': ['10.79.0.1'] }]), pod('q', [{ name: 'a' }, { name: 'b' }]),
      ], 'ecmp-default-route');
      expect(ecmp.attach['lab/p:net1']).toMatch(/^failed .*multus does not support ECMP for default-route/);
      const mixed = await run(set, [
        nad('a', bridge('br-ev10', hostLocal('10.76.0.0/24'))), nad('b', bridge('br-ev11', hostLocal('fd00:77::/64'))),
        pod('p', [{ name: 'a', 'default-route': ['10.76.0.1'] }, { name: 'b', 'default-route': ['fd00:77::1'] }]), pod('q', [{ name: 'a' }, { name: 'b' }]),
      ], 'default-route-per-family');
      expect(mixed.seen.get('lab/p')?.routes).toEqual(['-4 default via 10.76.0.1 dev net1', '-6 default via fd00:77::1 dev net2']);
    }, 300000);

    dataplaneTest(`${set}: a default-route request beside an IPAM default route has no effect; an empty default-route changes nothing`, NEEDS, async () => {
      const beside = await run(set, [
        nad('a', bridge('br-ev12', hostLocal('10.66.0.0/24', { gateway: '10.66.0.1', routes: ['0.0.0.0/0'] }))), nad('b', bridge('br-ev13', hostLocal('10.67.0.0/24'))),
        pod('p', [{ name: 'a' }, { name: 'b', 'default-route': ['10.67.0.1'] }]), pod('q', [{ name: 'a' }, { name: 'b' }]),
      ], 'request-beside-ipam-route');
      expect(beside.attach['lab/p:net2']).toBe('passed 10.67.0.2/24');
      expect(beside.seen.get('lab/p')?.routes).toEqual(['-4 default via 10.66.0.1 dev net1']);
      const empty = await run(set, [
        nad('a', bridge('br-ev14', hostLocal('10.71.0.0/24', { gateway: '10.71.0.1', routes: ['0.0.0.0/0'] }))),
        pod('p', [{ name: 'a', 'default-route': [] }]), pod('q', [{ name: 'a' }]),
      ]);
      expect(empty.seen.get('lab/p')?.routes).toEqual(['-4 default via 10.71.0.1 dev net1']);
    }, 300000);
  }
});

printSkipSummary('test/rulebook/multus-evidence.test.ts');
