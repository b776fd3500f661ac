import { Chart, Testing } from 'cdk8s';
import {
  EXPECT_ISOLATED_ANNOTATION,
  EXPECT_REACH_ANNOTATION,
  IpamMode,
  MacvlanMode,
  Network,
  NetworkFunction,
  NetworkPlugin,
  PluginsProfile,
  Reachability,
  ReachabilityExpectation,
  ReplicaAddressing,
} from '../lib';
import { PreinstalledCniPlugins } from '../lib/installers';
import { parseExpectations, renderExpectations } from '../lib/topology/expectations';

const IMAGE = 'docker.io/library/busybox:1.36';

function fixture() {
  const app = Testing.app();
  const chart = new Chart(app, 'c', { namespace: 'core' });
  PreinstalledCniPlugins.fromProfile(chart, 'NodePlugins', PluginsProfile.DEBIAN_1_1_1);
  const data = new Network(chart, 'Data', { name: 'data', plugin: NetworkPlugin.macvlan({ uplink: 'eth1', mode: MacvlanMode.BRIDGE }), subnets: ['10.1.0.0/24'], ipam: IpamMode.STATIC });
  const mgmt = new Network(chart, 'Mgmt', { name: 'mgmt', plugin: NetworkPlugin.bridge({ bridge: 'br-mgmt' }), subnets: ['10.9.0.0/24'], ipam: IpamMode.STATIC });
  const a = new NetworkFunction(chart, 'A', { name: 'a', containers: [{ name: 'a', image: IMAGE }] });
  a.attach(data, { ips: ['10.1.0.10/24'] });
  const b = new NetworkFunction(chart, 'B', {
    name: 'b', replicas: 2, replicaAddressing: ReplicaAddressing.PER_REPLICA, containers: [{ name: 'b', image: IMAGE }],
  });
  b.attach(data, { ipsPerReplica: [['10.1.0.20/24'], ['10.1.0.21/24']] });
  const c = new NetworkFunction(chart, 'C', { name: 'c', containers: [{ name: 'c', image: IMAGE }] });
  c.attach(mgmt, { ips: ['10.9.0.10/24'] });
  return { app, chart, data, mgmt, a, b, c };
}

function workloadAnnotations(chart: Chart, name: string): Record<string, string> {
  const o = (chart.toJson() as any[]).find((x) => x.kind === 'Deployment' && x.metadata.name === name);
  expect(o).toBeDefined();
  return o.metadata.annotations ?? {};
}

describe('ReachabilityExpectation', () => {
  test('mustReach writes the target, its namespace and the network on the source workload', () => {
    const { chart, data, a, b } = fixture();
    const e = ReachabilityExpectation.mustReach(a, b, data);
    expect(e.expect).toBe(Reachability.REACH);
    expect(e.networkName).toBe('data');
    expect(JSON.parse(workloadAnnotations(chart, 'a')[EXPECT_REACH_ANNOTATION])).toEqual([{ function: 'b', namespace: 'core', network: 'data' }]);
    // the target carries nothing
    expect(workloadAnnotations(chart, 'b-0')[EXPECT_REACH_ANNOTATION]).toBeUndefined();
  });

  test('mustNotReach without a network lists the target without one; several accumulate in order', () => {
    const { chart, data, a, b, c } = fixture();
    ReachabilityExpectation.mustNotReach(a, c);
    ReachabilityExpectation.mustNotReach(a, b, { network: data });
    expect(JSON.parse(workloadAnnotations(chart, 'a')[EXPECT_ISOLATED_ANNOTATION])).toEqual([
      { function: 'c', namespace: 'core' },
      { function: 'b', namespace: 'core', network: 'data' },
    ]);
  });

  test('bidirectional writes both directions; per-replica workloads each carry it', () => {
    const { chart, data, a, b } = fixture();
    ReachabilityExpectation.mustReach(b, a, data, { bidirectional: true });
    for (const w of ['b-0', 'b-1']) {
      expect(JSON.parse(workloadAnnotations(chart, w)[EXPECT_REACH_ANNOTATION])).toEqual([{ function: 'a', namespace: 'core', network: 'data' }]);
    }
    expect(JSON.parse(workloadAnnotations(chart, 'a')[EXPECT_REACH_ANNOTATION])).toEqual([{ function: 'b', namespace: 'core', network: 'data' }]);
  });

  test('the same expectation declared twice is written once', () => {
    const { chart, data, a, b } = fixture();
    new ReachabilityExpectation(chart, 'One', { from: a, to: b, network: data });
    new ReachabilityExpectation(chart, 'Two', { from: a, to: b, network: data });
    expect(JSON.parse(workloadAnnotations(chart, 'a')[EXPECT_REACH_ANNOTATION])).toHaveLength(1);
  });

  test('fails when the source is not attached to the network', () => {
    const { mgmt, a, b } = fixture();
    expect(() => ReachabilityExpectation.mustReach(a, b, mgmt)).toThrow(/^'network' is not attached to function a: got "mgmt"; attach a to it first/);
  });

  test('fails when a reach expectation names no network', () => {
    const { chart, a, b } = fixture();
    expect(() => new ReachabilityExpectation(chart, 'X', { from: a, to: b })).toThrow(/^'network' is required for a reach expectation: got undefined;/);
  });

  test('fails validation when the target is not attached to the network of a reach expectation', () => {
    const { data, a, c } = fixture();
    const e = ReachabilityExpectation.mustReach(a, c, data);
    expect(e.node.validate()).toEqual([expect.stringMatching(/^'network' is not attached to function c: got "data";/)]);
    // isolation from a function not on the network is fine
    expect(ReachabilityExpectation.mustNotReach(a, c, { network: data }).node.validate()).toEqual([]);
  });
});

describe('expectation annotations', () => {
  test('render then parse round-trips, keys in a fixed order', () => {
    const text = renderExpectations([{ network: 'n4', namespace: 'x', function: 'smf' } as any, { function: 'upf', namespace: 'y' }]);
    expect(text).toBe('[{"function":"smf","namespace":"x","network":"n4"},{"function":"upf","namespace":"y"}]');
    expect(parseExpectations(text, Reachability.ISOLATED)).toEqual({
      targets: [{ function: 'smf', namespace: 'x', network: 'n4' }, { function: 'upf', namespace: 'y' }],
      errors: [],
    });
  });

  test('fails to parse non-JSON, non-arrays, unknown keys, bad names and a reach without network', () => {
    expect(parseExpectations('{', Reachability.REACH).errors).toEqual([expect.stringMatching(/^'nfv.cdk8s.io\/expect-reach' is not JSON: got "\{";/)]);
    expect(parseExpectations('{}', Reachability.REACH).errors).toEqual([expect.stringMatching(/must be a JSON array: got \{\}/)]);
    const r = parseExpectations('[{"function":"A_b","namespace":"x","port":1},{"function":"a","namespace":"x"}]', Reachability.REACH);
    expect(r.errors).toEqual([
      expect.stringMatching(/^'nfv.cdk8s.io\/expect-reach\[0\]' has unknown keys: got \["port"\]/),
      expect.stringMatching(/^'nfv.cdk8s.io\/expect-reach\[0\].function' must be a DNS-1123 label: got "A_b"/),
      expect.stringMatching(/^'nfv.cdk8s.io\/expect-reach\[0\].network' is required for a reach expectation/),
      expect.stringMatching(/^'nfv.cdk8s.io\/expect-reach\[1\].network' is required for a reach expectation/),
    ]);
    expect(r.targets).toEqual([]);
  });
});
