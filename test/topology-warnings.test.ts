import { App, Chart, Testing } from 'cdk8s';
import { Severity } from '../lib/cni/problem';
import { PluginsProfile } from '../lib/cni/profile';
import { PreinstalledCniPlugins } from '../lib/installers/inventory';
import { IpamMode, Network, NetworkPlugin } from '../lib/network';
import { NetworkFunction } from '../lib/network-function';
import { PodNetworks } from '../lib/pod-networks';
import { TOPOLOGY_WARNING_METADATA, TopologyWarning, TopologyWarnings } from '../lib/topology-warnings';
import { Deployment } from 'cdk8s-plus-27';

const IMAGE = 'registry.example.com/app:1.0.0';

function setup(): { app: App; chart: Chart } {
  const app = Testing.app();
  PreinstalledCniPlugins.fromProfile(new Chart(app, 'nodes'), 'NodePlugins', PluginsProfile.UPSTREAM);
  return { app, chart: new Chart(app, 'core', { namespace: 'core' }) };
}

/** An App whose function takes the IPv6 subnet-router anycast address of its network (a warning, not an error). */
function anycast(app: App, chart: Chart): void {
  const n6 = new Network(chart, 'N6', { plugin: NetworkPlugin.bridge({ bridge: 'br-n6' }), subnets: ['fd00:6::/64'], ipam: IpamMode.STATIC });
  new NetworkFunction(chart, 'Upf', { containers: [{ name: 'upf', image: IMAGE }] }).attach(n6, { ips: ['fd00:6::/64'] });
  void app;
}

const ANYCAST = "[core/Upf/Workload] 'attachments[0].ips[0]' is the subnet-router anycast address of fd00:6::/64: got \"fd00:6::/64\"; pick a host address (from fd00:6::1 on)";

describe('TopologyWarnings', () => {
  test('a synth with a warning gives it to the handler once, in the house style with the construct path, and the output is the same as without a handler', () => {
    const quiet = setup();
    anycast(quiet.app, quiet.chart);
    TopologyWarnings.of(quiet.app).onWarning(() => {});
    const expected = quiet.app.synthYaml();

    const { app, chart } = setup();
    anycast(app, chart);
    const got: TopologyWarning[] = [];
    TopologyWarnings.of(chart).onWarning((w) => got.push(w));
    const yaml = app.synthYaml();
    // cdk8s validates once per synth and again per chart: the warning arrives once
    expect(got.map((w) => w.message)).toEqual([ANYCAST]);
    expect(got[0].problem.severity).toBe(Severity.WARNING);
    expect(got[0].problem.path).toBe('core/Upf/Workload');
    expect(yaml).toBe(expected);
    // a second synth does not repeat it, and gives the same bytes
    expect(app.synthYaml()).toBe(expected);
    expect(got).toHaveLength(1);
    expect(TopologyWarnings.of(app).reported.map((w) => w.message)).toEqual([ANYCAST]);
  });

  test('by default a warning is one line on standard error', () => {
    const { app, chart } = setup();
    anycast(app, chart);
    const writes: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
      writes.push(String(s));
      return true;
    });
    try {
      app.synthYaml();
    } finally {
      spy.mockRestore();
    }
    expect(writes).toEqual([`Warning: ${ANYCAST}\n`]);
  });

  test('the warning is construct metadata of the workload at fault', () => {
    const { app, chart } = setup();
    anycast(app, chart);
    TopologyWarnings.of(app).onWarning(() => {});
    app.synthYaml();
    const workload = chart.node.findChild('Upf').node.findChild('Workload');
    expect(workload.node.metadata.filter((m) => m.type === TOPOLOGY_WARNING_METADATA).map((m) => m.data)).toEqual([ANYCAST]);
  });

  test('a host-local pool that holds the replicas only if they spread warns on the network, on a plain cdk8s-plus workload too', () => {
    const { app, chart } = setup();
    const n2 = new Network(chart, 'N2', { plugin: NetworkPlugin.bridge({ bridge: 'br-n2' }), subnets: ['10.2.0.0/29'] });
    const d = new Deployment(chart, 'Amf', { replicas: 8, containers: [{ name: 'amf', image: IMAGE }] });
    PodNetworks.of(d).attach(n2);
    const got: string[] = [];
    TopologyWarnings.of(app).onWarning((w) => got.push(w.message));
    app.synthYaml();
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(/^\[core\/N2\/[^\]]+\] 'ipam' can hand out \d+ address\(es\) but 8 pods attach to .* \(host-local allocates per node, so this holds only if they spread\): got 8; widen the range or subnet, or run fewer replicas$/);
  });

  test('each App has its own handler; a handler that is not a function is refused in the house style', () => {
    const one = setup();
    const two = setup();
    anycast(one.app, one.chart);
    anycast(two.app, two.chart);
    const a: string[] = [];
    const b: string[] = [];
    TopologyWarnings.of(one.app).onWarning((w) => a.push(w.message));
    TopologyWarnings.of(two.app).onWarning((w) => b.push(w.message));
    one.app.synthYaml();
    expect(a).toEqual([ANYCAST]);
    expect(b).toEqual([]);
    two.app.synthYaml();
    expect(b).toEqual([ANYCAST]);
    expect(() => TopologyWarnings.of(one.app).onWarning('log' as any)).toThrow(
      "'handler' must be a function: got \"log\"; pass e.g. (w) => console.warn(w.message)");
  });

  test('an App without warnings reports none', () => {
    const { app, chart } = setup();
    const n2 = new Network(chart, 'N2', { plugin: NetworkPlugin.bridge({ bridge: 'br-n2' }), subnets: ['10.2.0.0/24'], ipam: IpamMode.STATIC });
    new NetworkFunction(chart, 'Amf', { containers: [{ name: 'amf', image: IMAGE }] }).attach(n2, { ips: ['10.2.0.5/24'] });
    const got: string[] = [];
    TopologyWarnings.of(app).onWarning((w) => got.push(w.message));
    app.synthYaml();
    expect(got).toEqual([]);
  });
});
