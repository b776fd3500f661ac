import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { CniConfig, CniVersion, NetworkAttachmentDefinition, OvnKubernetesPlugin, OvnKubernetesProps, OvnTopology, PodNetworks, PreinstalledCniPlugins } from '../../../lib';

/** Where this program's output differs from upstream by meaning (the comparator's lines), and why. */
export const DIFFERENCES: Readonly<Record<string, string>> = {
  'Pod ns1/tinypod networks[0].ips: upstream ["192.0.2.20/24"], program <absent>':
    'corrected: upstream requests a static address on l2-network, which has subnets (the page itself says static addresses need a network without subnets), and outside them',
};

/** What the library says about upstream's static address request. */
export const REFUSED = "'attachments[0].ips' is requested on an OVN-Kubernetes network that allocates from its subnets (10.100.200.0/24); OVN-K honours static ips only on layer2 and localnet networks without subnets: got [\"192.0.2.20/24\"]";

/**
 * OVN-Kubernetes' multi-homing documentation: layer3, layer2 and localnet secondary networks in
 * namespace `ns1`, and two localnet networks on one physical network in namespace `test`.
 * @param opts.asUpstream write upstream's static address request (which the library refuses)
 */
export function build(opts: { asUpstream?: boolean } = {}): App {
  const app = new App();
  const nad = (chart: Chart, name: string, props: Omit<OvnKubernetesProps, 'netAttachDefName'>, opts: { network?: string; cniVersion: CniVersion }) =>
    new NetworkAttachmentDefinition(chart, name, {
      metadata: { name },
      config: CniConfig.single(new OvnKubernetesPlugin({ ...props, netAttachDefName: `${chart.namespace}/${name}` }),
        { cniVersion: opts.cniVersion, name: opts.network }),
    });

  const ns1 = new Chart(app, 'ns1', { namespace: 'ns1' });
  // ovn-k8s-cni-overlay comes with OVN-Kubernetes, the cluster network
  new PreinstalledCniPlugins(ns1, 'ClusterNetwork', { types: ['ovn-k8s-cni-overlay'] });
  const l3 = nad(ns1, 'l3-network', { topology: OvnTopology.LAYER3, subnets: ['10.128.0.0/16/24'], mtu: 1300 }, { cniVersion: CniVersion.V1_0_0 });
  const l2 = nad(ns1, 'l2-network', { topology: OvnTopology.LAYER2, subnets: ['10.100.200.0/24'], mtu: 1300, excludeSubnets: ['10.100.200.0/29'] }, { cniVersion: CniVersion.V1_0_0 });
  nad(ns1, 'localnet-network', { topology: OvnTopology.LOCALNET, subnets: ['202.10.130.112/28'], vlanID: 33, mtu: 1500 }, { cniVersion: CniVersion.V1_0_0 });

  const test = new Chart(app, 'test', { namespace: 'test' });
  nad(test, 'bluenet', { topology: OvnTopology.LOCALNET, vlanID: 4000, physicalNetworkName: 'physnet' }, { network: 'tenantblue', cniVersion: CniVersion.V0_3_1 });
  nad(test, 'isolatednet', { topology: OvnTopology.LOCALNET, vlanID: 1234, physicalNetworkName: 'physnet' }, { network: 'sales', cniVersion: CniVersion.V0_3_1 });

  // the page's two alternatives of the pod `tinypod` (they cannot both exist)
  const tinypod = (id: string) => new kplus.Pod(ns1, id, {
    metadata: { name: 'tinypod' },
    containers: [{ name: 'agnhost-container', image: 'registry.k8s.io/e2e-test-images/agnhost:2.36', args: ['pause'] }],
  });
  const both = PodNetworks.of(tinypod('Tinypod'));
  both.attach(l3);
  both.attach(l2);
  // upstream also asks for ips 192.0.2.20/24, which its own note rules out (static addresses only
  // on networks without subnets; and outside 10.100.200.0/24): the address comes from the subnet
  PodNetworks.of(tinypod('TinypodStatic')).attach(l2, { mac: '02:03:04:05:06:07', interface: 'myiface1', ips: opts.asUpstream ? ['192.0.2.20/24'] : undefined });
  return app;
}
