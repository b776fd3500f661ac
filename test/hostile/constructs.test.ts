import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import * as lib from '../../lib';
import { renderValue } from '../../lib/cni/problem';
import { checkTopology } from '../../lib/topology/topology';
import { Ipam } from '../../lib/cni/ipam';
import { CniPlugin } from '../../lib/cni/plugin';
import { NETWORKS_ANNOTATION, parseNetworksAnnotation } from '../../lib/multus/selection-element';
import { NetworkFunction } from '../../lib/network-function';
import { CASES, chart, fixture } from './constructs-cases';
import { thrown } from '../util/thrown';

/** The message a call throws (the test fails when it throws nothing). */

describe('hostile calls of the constructs and the CNI model (plain JavaScript, no type checker)', () => {
  test('the table is large and every case has its own name', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(100);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  test.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const message = thrown(c.call);
    expect(message).toBe(c.error);
    // every line in the house style: '<prop>' <what is wrong>: got <value>; <how to fix>
    for (const line of message.split('\n').filter((l) => !/^.*: \d+ problems:$/.test(l))) {
      expect(line).toMatch(/'[^']+' [^:]+.*: got .+; .+/);
    }
    expect(message).not.toMatch(/\[object Object\]|TypeError|Cannot read properties/);
  });
});

describe('every construct, plugin and IPAM class exported by the index refuses an unknown prop', () => {
  /** Classes that take no props object, with the reason. */
  const EXEMPT: Record<string, string> = {
    TopologyValidation: 'made by the library itself (private constructor, no props)',
    ClusterNetwork: 'abstract base of the cluster network installers (scope and id only)',
    UncheckedPlugin: 'the escape hatch for plugins outside the model: its raw object is written as given (checked to be an object)',
    UncheckedIpam: 'the escape hatch for IPAMs outside the model: its raw object is written as given (checked to be an object)',
  };
  const classes = Object.entries(lib).filter(([, v]) => typeof v === 'function' && (v as { prototype?: unknown }).prototype !== undefined) as [string, new (...a: any[]) => unknown][];
  const constructs = classes.filter(([name, c]) => c.prototype instanceof Construct && !EXEMPT[name]);
  const plugins = classes.filter(([name, c]) => c.prototype instanceof CniPlugin && !EXEMPT[name]);
  const ipams = classes.filter(([name, c]) => c.prototype instanceof Ipam && !EXEMPT[name]);

  test('the walk finds the classes (a broken walk cannot pass)', () => {
    expect(constructs.map(([n]) => n)).toEqual(expect.arrayContaining(['NetworkFunction', 'Network', 'NetworkAttachmentDefinition', 'Multus', 'Whereabouts']));
    expect(constructs.length).toBeGreaterThanOrEqual(20);
    expect(plugins.length).toBeGreaterThanOrEqual(19);
    // every IPAM of the model but the escape hatch (KubeOvnIpam, AntreaIpam and NvIpam came with issue 17)
    expect(ipams.map(([n]) => n).sort()).toEqual(['AntreaIpam', 'DhcpIpam', 'HostLocalIpam', 'KubeOvnIpam', 'NvIpam', 'StaticIpam', 'WhereaboutsIpam']);
    expect(Object.keys(KNOWN_GAPS).filter((n) => !constructs.some(([c]) => c === n))).toEqual([]);
  });

  /**
   * Constructs that do not refuse an unknown prop yet: each is a bug with its owner. Its case is
   * expected to fail (test.failing), so it turns red the day the construct refuses the prop: then
   * remove it from here.
   */
  const KNOWN_GAPS: Record<string, string> = {};
  const refusesUnknownProp = (C: new (...a: any[]) => unknown): void => {
    const message = thrown(() => new C(chart(), 'Probe', { bogusProp: 1 }));
    expect(message).toMatch(/'bogusProp' is not a prop of \S+: got 1; remove it; the props of \S+ are /);
  };
  test.each(constructs.filter(([n]) => !KNOWN_GAPS[n]).map(([n, c]) => [n, c] as const))('construct %s', (_name, C) => refusesUnknownProp(C));
  const gaps = constructs.filter(([n]) => KNOWN_GAPS[n]).map(([n, c]) => [n, c] as const);
  // jest refuses an empty table: the failing cases exist only while there are gaps
  if (gaps.length > 0) test.failing.each(gaps)('construct %s (known gap: does not refuse it yet)', (_name, C) => refusesUnknownProp(C));

  test.each(plugins.map(([n, c]) => [n, c] as const))('plugin %s', (_name, C) => {
    const message = thrown(() => new C({ bogusProp: 1 }));
    expect(message).toMatch(/^\S+ plugin: '?.*'bogusProp' is not a prop of the \S+ plugin: got 1; remove it; the props of the \S+ plugin are /s);
  });

  test.each(ipams.map(([n, c]) => [n, c] as const))('IPAM %s', (_name, C) => {
    const message = thrown(() => new C({ bogusProp: 1 }));
    expect(message).toMatch(/'bogusProp' is not a prop of the \S+ IPAM: got 1; remove it; the props of the \S+ IPAM are /);
  });
});

describe('DraNetworkClaims checks its props as the other constructs do', () => {
  const workload = (c: Construct) => new kplus.Deployment(c, 'W', { metadata: { name: 'w' }, replicas: 1, containers: [{ image: 'x:1' }] });

  test('an unknown prop, with the known ones named', () => {
    const c = chart();
    expect(thrown(() => new lib.DraNetworkClaims(c, 'C', { workload: workload(c), bogusProp: 1 } as any))).toBe(
      "DraNetworkClaims test/C: 'bogusProp' is not a prop of DraNetworkClaimsProps: got 1; remove it; the props of DraNetworkClaimsProps are 'workload', 'name', 'deviceClass', 'rendering'");
  });

  test('a missing workload, a workload that is no construct', () => {
    const c = chart();
    expect(thrown(() => new lib.DraNetworkClaims(c, 'C', {} as any))).toBe(
      "DraNetworkClaims test/C: 'workload' is required: got nothing; pass the workload whose pods get the interfaces, e.g. { workload: deployment }");
    expect(thrown(() => new lib.DraNetworkClaims(c, 'D', { workload: { kind: 'Deployment' } } as any))).toBe(
      "DraNetworkClaims test/D: 'workload' must be a construct (a cdk8s-plus workload, or an ApiObject with a pod template): got {\"kind\":\"Deployment\"}; pass a cdk8s-plus workload or an ApiObject of kind Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob");
    expect(thrown(() => new lib.DraNetworkClaims(c, 'E', undefined as any))).toBe(
      "DraNetworkClaims test/E: 'props' must be an object of DraNetworkClaimsProps: got nothing; pass an object such as { workload: ..., name: ... }");
  });

  test('a name that is no DNS-1123 subdomain, a deviceClass that is a string, a rendering that is not a DRA one', () => {
    const c = chart();
    const w = workload(c);
    expect(thrown(() => new lib.DraNetworkClaims(c, 'C', { workload: w, name: 'UPF_1' }))).toBe(
      "DraNetworkClaims test/C: 'name' must be a string matching a DNS-1123 subdomain: got \"UPF_1\"; use lowercase letters, digits, \"-\" and \".\", e.g. \"upf\"");
    expect(thrown(() => new lib.DraNetworkClaims(c, 'D', { workload: w, deviceClass: 'cni.networking.x-k8s.io' } as any))).toBe(
      "DraNetworkClaims test/D: 'deviceClass' must be a DraDeviceClass: got \"cni.networking.x-k8s.io\"; use DraDeviceClass.existing() or DraDeviceClass.owned(\"<name>\")");
    expect(thrown(() => new lib.DraNetworkClaims(c, 'E', { workload: w, rendering: lib.AttachmentRendering.NAD_ANNOTATION }))).toBe(
      "DraNetworkClaims test/E: 'rendering' must be one of \"dra-cni\", \"dra-sriov\", \"dra-dranet\": got \"nad-annotation\"; use a value of AttachmentRendering (a DRA rendering): one of \"dra-cni\", \"dra-sriov\", \"dra-dranet\"");
    expect(thrown(() => lib.DraDeviceClass.owned('Bad Class'))).toBe(
      "DraDeviceClass.owned: 'name' must be a string matching a DNS-1123 subdomain: got \"Bad Class\"; use lowercase letters, digits, \"-\" and \".\", e.g. \"nfv-cni\"");
  });

  test('every problem at once, in the house style', () => {
    const c = chart();
    const message = thrown(() => new lib.DraNetworkClaims(c, 'C', { workload: workload(c), name: 5, extra: true } as any));
    expect(message.split('\n')).toEqual([
      'DraNetworkClaims test/C: 2 problems:',
      "  'name' must be a string matching a DNS-1123 subdomain: got 5; use lowercase letters, digits, \"-\" and \".\", e.g. \"upf\", not a number",
      "  'extra' is not a prop of DraNetworkClaimsProps: got true; remove it; the props of DraNetworkClaimsProps are 'workload', 'name', 'deviceClass', 'rendering'",
    ]);
  });
});

describe('parsers called with a value that is not text', () => {
  test('parseNetworksAnnotation reports a number as a problem instead of a TypeError', () => {
    const parsed = parseNetworksAnnotation(5 as any);
    expect(parsed.elements).toEqual([]);
    expect(parsed.problems.map((p) => lib.formatProblem(p))).toEqual([
      `'${NETWORKS_ANNOTATION}' must be a string (an annotation value): got 5; write the JSON list as text, e.g. '[{"name":"data"}]'`,
    ]);
  });

  test('checkTopology reports a topology without its lists as a problem', () => {
    for (const t of [5, null, {}, { networks: 'n', pods: [] }]) {
      expect(checkTopology(t as any).map((p) => lib.formatProblem(p))).toEqual([
        `'topology' must be an object with the lists networks and pods: got ${renderValue(t)}; pass { networks: [...], pods: [...] } as built by the constructs or the manifest reader`,
      ]);
    }
  });

  test('renderNetworksAnnotation and canonicalMac refuse values of the wrong type in the house style', () => {
    expect(thrown(() => lib.renderNetworksAnnotation('x' as any))).toBe(
      'renderNetworksAnnotation: \'elements\' must be a list of selection elements: got "x"; pass [{ name: "<nad>", ... }]',
    );
    expect(thrown(() => lib.canonicalMac(5 as any))).toBe("'mac' must be a string: got 5; write six colon-separated hex pairs, e.g. 02:00:00:00:00:01");
  });

  test('CniConfig.fromJson reports a number in the house style', () => {
    expect(thrown(() => lib.CniConfig.fromJson(5 as any))).toBe(
      'CNI config: \'config\' must be a JSON object: got 5; write a plugin object with "type" or a list with "plugins"',
    );
  });
});

describe('only own properties are read', () => {
  test('a declared prop that comes from a polluted Object.prototype is refused, not used', () => {
    const proto = Object.prototype as Record<string, unknown>;
    const c = chart();
    proto.replicas = 3;
    try {
      expect(thrown(() => new NetworkFunction(c, 'Fn', { containers: [{ name: 'app', image: 'registry.example.com/app:1.0.0' }] }))).toBe(
        "NetworkFunction test/Fn: 'replicas' is inherited from the prototype, not an own property: got 3; give 'replicas' on the props object itself, or remove it from the prototype",
      );
    } finally {
      delete proto.replicas;
    }
  });

  test('keys named like Object.prototype members are unknown props, not lookups', () => {
    expect(thrown(() => new lib.MacvlanPlugin(JSON.parse('{"master":"eth1","constructor":1,"__proto__":{"mtu":9000}}')))).toBe(
      "macvlan plugin: 2 problems:\n  'constructor' is not a prop of the macvlan plugin: got 1; remove it; the props of the macvlan plugin are 'master', 'mode', 'mtu', 'mac', 'linkInContainer', 'bcqueuelen', 'uplinkMtu', 'ipam', 'dns', 'args', 'capabilities'\n"
      + "  '__proto__' is not a prop of the macvlan plugin: got {\"mtu\":9000}; remove it; the props of the macvlan plugin are 'master', 'mode', 'mtu', 'mac', 'linkInContainer', 'bcqueuelen', 'uplinkMtu', 'ipam', 'dns', 'args', 'capabilities'",
    );
  });
});

describe('attach keeps a copy of the options', () => {
  test('changing ips[0] in place after a synth, to another function\'s address, changes nothing: the second synth still passes with the first addresses', () => {
    const { c, net, fn, fn2 } = fixture();
    const mine = { ips: ['10.1.0.10/24'] };
    fn.attach(net, mine);
    fn2.attach(net, { ips: ['10.1.0.11/24'] });
    const first = Testing.synth(c);
    mine.ips[0] = '10.1.0.11/24';
    (mine as any).mac = '02:00:00:00:00:01';
    const second = Testing.synth(c);
    expect(second).toEqual(first);
    const annotations = second.filter((o) => o.kind === 'Deployment').map((o) => JSON.parse(o.spec.template.metadata.annotations[NETWORKS_ANNOTATION]));
    expect(annotations.map((a) => a[0].ips)).toEqual([['10.1.0.10/24'], ['10.1.0.11/24']]);
    expect(fn.attachments[0].options).toEqual({ ips: ['10.1.0.10/24'] });
  });

  test('the kept options cannot be changed through the attachment either', () => {
    const { net, fn } = fixture();
    const a = fn.attach(net, { ips: ['10.1.0.10/24'] });
    expect(() => { (a.options.ips as string[])[0] = '10.1.0.99/24'; }).toThrow(TypeError);
    expect(() => { (a as any).options = {}; }).toThrow(TypeError);
    expect(fn.attachments[0].options.ips).toEqual(['10.1.0.10/24']);
  });

  test('a duplicate address made in place after attach is still found at synth', () => {
    const { c, net, fn, fn2 } = fixture();
    fn.attach(net, { ips: ['10.1.0.10/24'] });
    fn2.attach(net, { ips: ['10.1.0.10/24'] });
    expect(() => Testing.synth(c)).toThrow(/10\.1\.0\.10/);
  });
});
