import { Chart, Testing } from 'cdk8s';
import * as plus27 from 'cdk8s-plus-27';
import * as plus33 from 'cdk8s-plus-33';
import { CniConfig } from '../lib/cni/config';
import { HostLocalIpam } from '../lib/cni/ipam/host-local';
import { SriovPlugin } from '../lib/cni/plugins/sriov';
import { PluginsProfile } from '../lib/cni/profile';
import { PreinstalledCniPlugins } from '../lib/installers/inventory';
import { DEFAULT_NETWORK_ANNOTATION, NETWORKS_ANNOTATION } from '../lib/multus/selection-element';
import { IpamMode, Network, NetworkPlugin } from '../lib/network';
import { NetworkAttachmentDefinition } from '../lib/network-attachment-definition';
import { NetworkFunction } from '../lib/network-function';
import { PodNetworks } from '../lib/pod-networks';
import { TopologyValidation } from '../lib/topology-validation';
import { expectValidObjects } from './util/schema';

/**
 * cdk8s-plus-27 and cdk8s-plus-33 side by side (issue 15 item 7): the same workloads built with
 * either line get the same networks annotation, default network and device requests.
 */

const SRIOV = 'intel.com/sriov_netdevice';
const IMAGE = 'registry.example.com/upf:1.0.0';
type Line = typeof plus27 | typeof plus33;
const LINES: readonly [string, Line][] = [['cdk8s-plus-27', plus27], ['cdk8s-plus-33', plus33]];
const KINDS = ['Deployment', 'StatefulSet', 'Pod'] as const;

/** One chart with a Deployment, a StatefulSet and a Pod of `line`, each attached to the same networks. */
function build(line: Line) {
  const c = new Chart(Testing.app(), 'test', { namespace: 'core' });
  PreinstalledCniPlugins.fromProfile(c, 'NodePlugins', PluginsProfile.UPSTREAM);
  const n6 = new Network(c, 'N6', { plugin: NetworkPlugin.macvlan({ uplink: 'eth1' }), subnets: ['10.6.0.0/24'], ipam: IpamMode.STATIC });
  const n3 = new NetworkAttachmentDefinition(c, 'N3', {
    metadata: { name: 'n3' },
    resourceName: SRIOV,
    config: CniConfig.list([new SriovPlugin({ ipam: new HostLocalIpam({ ranges: [[{ subnet: '10.3.0.0/24' }]] }) })]),
  });
  const main = new NetworkAttachmentDefinition(c, 'Main', {
    metadata: { name: 'main', namespace: 'kube-system' },
    config: CniConfig.list([new SriovPlugin({ ipam: new HostLocalIpam({ ranges: [[{ subnet: '10.9.0.0/24' }]] }) })]),
    resourceName: 'intel.com/main',
  });
  const containers = [{ name: 'cp', image: IMAGE, portNumber: 8805 }, { name: 'dp', image: IMAGE, resources: {} }];
  const workloads = [
    new line.Deployment(c, 'Deployment', { replicas: 1, containers }),
    new line.StatefulSet(c, 'StatefulSet', { replicas: 1, containers }),
    new line.Pod(c, 'Pod', { containers }),
  ];
  workloads.forEach((w, i) => {
    const nets = PodNetworks.of(w);
    nets.setDefaultNetwork(main);
    nets.attach(n6, { interface: 'n6', ips: [`10.6.0.${10 + i}/24`] });
    nets.attach(n3, { interface: 'n3', container: 'dp' });
    nets.attach(n3, { interface: 'n3b', container: 'dp' });
  });
  return c;
}

/** What PodNetworks wrote on each workload: the two annotations and the containers' resources. */
function written(c: Chart) {
  const objects = Testing.synth(c);
  expectValidObjects(objects);
  return KINDS.map((kind) => {
    const o = objects.find((x: any) => x.kind === kind);
    const t = kind === 'Pod' ? o : o.spec.template;
    return {
      kind,
      networks: JSON.parse(t.metadata.annotations[NETWORKS_ANNOTATION]),
      defaultNetwork: JSON.parse(t.metadata.annotations[DEFAULT_NETWORK_ANNOTATION]),
      devices: t.spec.containers.map((x: any) => ({ requests: x.resources?.requests?.[SRIOV], limits: x.resources?.limits?.[SRIOV] })),
    };
  });
}

describe('PodNetworks on cdk8s-plus-27 and cdk8s-plus-33 workloads', () => {
  test.each(LINES)('%s: the annotation, the default network and the device requests', (_name, line) => {
    const out = written(build(line));
    out.forEach((w, i) => {
      expect(w.networks).toEqual([
        { name: 'n6', namespace: 'core', interface: 'n6', ips: [`10.6.0.${10 + i}/24`] },
        { name: 'n3', namespace: 'core', interface: 'n3' },
        { name: 'n3', namespace: 'core', interface: 'n3b' },
      ]);
      expect(w.defaultNetwork).toEqual([{ name: 'main', namespace: 'kube-system' }]);
      // both device attachments go to dp, request and limit alike; cp gets none
      expect(w.devices).toEqual([{ requests: undefined, limits: undefined }, { requests: '2', limits: '2' }]);
    });
  });

  test('both lines write the same', () => {
    expect(written(build(plus33))).toEqual(written(build(plus27)));
  });

  test('both lines are seen alike by the whole-topology check (replicas, device requests)', () => {
    const pods = (line: Line) => TopologyValidation.of(build(line)).topology().pods;
    expect(pods(plus33)).toEqual(pods(plus27));
    expect(pods(plus33).map((p) => [p.path, p.replicas, p.resourceRequests])).toEqual([
      ['test/Deployment', 1, { [SRIOV]: 2 }], ['test/StatefulSet', 1, { [SRIOV]: 2 }], ['test/Pod', 1, { [SRIOV]: 2 }],
    ]);
  });

  test('a NetworkFunction wraps a cdk8s-plus-33 Deployment', () => {
    const c = new Chart(Testing.app(), 'test', { namespace: 'core' });
    PreinstalledCniPlugins.fromProfile(c, 'NodePlugins', PluginsProfile.UPSTREAM);
    const n6 = new Network(c, 'N6', { plugin: NetworkPlugin.macvlan({ uplink: 'eth1' }), subnets: ['10.6.0.0/24'] });
    const d = new plus33.Deployment(c, 'Upf', { replicas: 2, containers: [{ image: IMAGE }] });
    const fn = new NetworkFunction(c, 'Fn', { name: 'upf', workload: d });
    fn.attach(n6, { interface: 'n6' });
    expect([fn.kind, fn.replicas, fn.namespace]).toEqual(['Deployment', 2, 'core']);
    const o = Testing.synth(c).find((x: any) => x.kind === 'Deployment');
    expect(JSON.parse(o.spec.template.metadata.annotations[NETWORKS_ANNOTATION])).toEqual([{ name: 'n6', namespace: 'core', interface: 'n6' }]);
    expect(o.spec.template.metadata.labels['nfv.cdk8s.io/function']).toBe('upf');
  });
});
