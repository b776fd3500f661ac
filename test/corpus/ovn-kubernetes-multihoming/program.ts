import { App, Chart } from 'cdk8s';
import { CniConfig, CniVersion, NetworkAttachmentDefinition, OvnKubernetesPlugin, OvnKubernetesProps, OvnTopology, PreinstalledCniPlugins } from '../../../lib';

/**
 * OVN-Kubernetes' multi-homing documentation: layer3, layer2 and localnet secondary networks in
 * namespace `ns1`, and two localnet networks on one physical network in namespace `test`.
 */
/**
 * Where this program's output differs from upstream by meaning (the comparator's lines), and why.
 */
export const DIFFERENCES: Readonly<Record<string, string>> = {};

export function build(): App {
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
  nad(ns1, 'l3-network', { topology: OvnTopology.LAYER3, subnets: ['10.128.0.0/16/24'], mtu: 1300 }, { cniVersion: CniVersion.V1_0_0 });
  nad(ns1, 'l2-network', { topology: OvnTopology.LAYER2, subnets: ['10.100.200.0/24'], mtu: 1300, excludeSubnets: ['10.100.200.0/29'] }, { cniVersion: CniVersion.V1_0_0 });
  nad(ns1, 'localnet-network', { topology: OvnTopology.LOCALNET, subnets: ['202.10.130.112/28'], vlanID: 33, mtu: 1500 }, { cniVersion: CniVersion.V1_0_0 });

  const test = new Chart(app, 'test', { namespace: 'test' });
  nad(test, 'bluenet', { topology: OvnTopology.LOCALNET, vlanID: 4000, physicalNetworkName: 'physnet' }, { network: 'tenantblue', cniVersion: CniVersion.V0_3_1 });
  nad(test, 'isolatednet', { topology: OvnTopology.LOCALNET, vlanID: 1234, physicalNetworkName: 'physnet' }, { network: 'sales', cniVersion: CniVersion.V0_3_1 });
  return app;
}
