import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { CniConfig, CniVersion, MacvlanMode, MacvlanPlugin, NetworkAttachmentDefinition, PluginsProfile, PodNetworks, PreinstalledCniPlugins, WhereaboutsIpam, WhereaboutsLogLevel } from '../../../lib';

/** Where this program's output differs from upstream by meaning (the comparator's lines), and why. */
export const DIFFERENCES: Readonly<Record<string, string>> = {
  'NetworkAttachmentDefinition default/macvlan-conf spec.config.ipam.datastore: upstream "kubernetes", program <absent>':
    "corrected: `datastore` belongs to whereabouts' etcd backend, removed in 2022; whereabouts no longer reads it, the library refuses it",
};

/**
 * Antrea's Multus cookbook, Whereabouts variant: a macvlan NAD on the node NIC `enp0s9` with a
 * whereabouts pool that leaves 192.168.78.200-249, for the 6 replicas of `samplepod`.
 */
export function build(): App {
  const app = new App();
  const chart = new Chart(app, 'antrea-multus');
  PreinstalledCniPlugins.fromProfile(chart, 'NodePlugins', PluginsProfile.UPSTREAM);
  const macvlan = new NetworkAttachmentDefinition(chart, 'macvlan-conf', {
    metadata: { name: 'macvlan-conf' },
    config: CniConfig.single(new MacvlanPlugin({
      master: 'enp0s9',
      mode: MacvlanMode.BRIDGE,
      ipam: new WhereaboutsIpam({
        kubernetes: { kubeconfig: '/etc/cni/net.d/whereabouts.d/whereabouts.kubeconfig' },
        range: '192.168.78.0/24',
        exclude: ['192.168.78.0/25', '192.168.78.128/26', '192.168.78.192/29', '192.168.78.250/31', '192.168.78.252/30'],
        logFile: '/tmp/whereabouts.log',
        logLevel: WhereaboutsLogLevel.DEBUG,
      }),
    }), { cniVersion: CniVersion.V0_3_0 }),
  });

  const samplepod = new kplus.Deployment(chart, 'Samplepod', {
    metadata: { name: 'samplepod', labels: { environment: 'antrea-multus-demo', app: 'samplepod' } },
    replicas: 6,
    containers: [{ name: 'samplepod', image: 'antoninbas/toolbox:latest' }],
  });
  samplepod.scheduling.attract(kplus.Node.labeled(kplus.NodeLabelQuery.is('kubernetes.io/os', 'linux')));
  PodNetworks.of(samplepod).attach(macvlan);
  return app;
}
