import { App, Chart } from 'cdk8s';
import { CniConfig, CniVersion, KUBE_OVN_DAEMON_SOCKET, KubeOvnIpam, KubeOvnPlugin, MacvlanMode, MacvlanPlugin, NetworkAttachmentDefinition, PluginsProfile, PreinstalledCniPlugins } from '../../../lib';

/**
 * Kube-OVN's multi-NIC page: a macvlan NAD whose addresses come from Kube-OVN (IPAM `kube-ovn`,
 * provider `macvlan.default`), and a Kube-OVN attachment network (`attachnet`, provider
 * `attachnet.default.ovn`).
 */
/**
 * Where this program's output differs from upstream by meaning (the comparator's lines), and why.
 */
export const DIFFERENCES: Readonly<Record<string, string>> = {};

export function build(): App {
  const app = new App();
  const chart = new Chart(app, 'multi-nic', { namespace: 'default' });
  PreinstalledCniPlugins.fromProfile(chart, 'NodePlugins', PluginsProfile.UPSTREAM, { types: ['kube-ovn'] });
  new NetworkAttachmentDefinition(chart, 'macvlan', {
    metadata: { name: 'macvlan' },
    config: CniConfig.single(new MacvlanPlugin({
      master: 'eth0',
      mode: MacvlanMode.BRIDGE,
      ipam: new KubeOvnIpam({ serverSocket: KUBE_OVN_DAEMON_SOCKET, provider: 'macvlan.default' }),
    }), { cniVersion: CniVersion.V0_3_0 }),
  });
  new NetworkAttachmentDefinition(chart, 'attachnet', {
    metadata: { name: 'attachnet' },
    config: CniConfig.single(new KubeOvnPlugin({ serverSocket: KUBE_OVN_DAEMON_SOCKET, provider: 'attachnet.default.ovn' }), { cniVersion: CniVersion.V0_3_0 }),
  });
  return app;
}
