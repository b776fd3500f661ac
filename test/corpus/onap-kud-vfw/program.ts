import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { CniConfig, CniVersion, NetworkAttachmentDefinition, PodNetworks, PreinstalledCniPlugins } from '../../../lib';
import { Ovn4nfvPlugin } from './ovn4nfv-plugin';

/**
 * ONAP's KUD vFirewall: the one OVN4NFV meta NAD every pod selects (the interfaces themselves are
 * described in OVN4NFV's own pod annotation).
 */
export const DIFFERENCES: Readonly<Record<string, string>> = {};

export function build(): App {
  const app = new App();
  const chart = new Chart(app, 'firewall', { namespace: 'default' });
  // ovn4nfvk8s-cni is installed by KUD's ovn4nfv DaemonSet
  new PreinstalledCniPlugins(chart, 'Ovn4nfv', { types: ['ovn4nfvk8s-cni'] });
  const ovn = new NetworkAttachmentDefinition(chart, 'ovn-networkobj', {
    metadata: { name: 'ovn-networkobj' },
    config: CniConfig.single(new Ovn4nfvPlugin(), { cniVersion: CniVersion.V0_3_1, name: 'ovn4nfv-k8s-plugin' }),
  });

  // the interfaces are OVN4NFV's (its own annotation, against its Network CRs); Multus only calls the plugin
  const vnf = (id: string, name: string, containers: kplus.ContainerProps[], interfaces: Array<[string, string, string]>, virtlet: boolean) => {
    const d = new kplus.Deployment(chart, id, { metadata: { name }, replicas: 1, containers });
    d.podMetadata.addAnnotation('k8s.plugin.opnfv.org/nfn-network', JSON.stringify({
      type: 'ovn4nfv',
      interface: interfaces.map(([network, ipAddress, ifname]) => ({ name: network, ipAddress, interface: ifname, defaultGateway: 'false' })),
    }));
    if (virtlet) d.podMetadata.addAnnotation('kubernetes.io/target-runtime', 'virtlet.cloud');
    PodNetworks.of(d).attach(ovn);
  };
  const vm = (name: string): kplus.ContainerProps => ({ name, image: 'virtlet.cloud/ubuntu/16.04:latest', resources: { memory: { limit: Size.gibibytes(4) } } });
  vnf('Firewall', 'firewall', [vm('firewall')], [
    ['unprotected-private-net', '192.168.10.3', 'eth1'], ['protected-private-net', '192.168.20.2', 'eth2'], ['onap-private-net', '10.10.100.3', 'eth3'],
  ], true);
  vnf('Packetgen', 'firewall-packetgen', [vm('packetgen')], [
    ['unprotected-private-net', '192.168.10.2', 'eth1'], ['onap-private-net', '10.0.100.2', 'eth2'],
  ], true);
  vnf('Sink', 'firewall-sink', [
    { name: 'sink', image: 'rtsood/onap-vfw-demo-sink:0.2.0' }, { name: 'darkstat', image: 'electrocucaracha/darkstat:latest' },
  ], [['protected-private-net', '192.168.20.3', 'eth1'], ['onap-private-net', '10.10.100.4', 'eth2']], false);
  return app;
}
