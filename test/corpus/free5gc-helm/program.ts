import { App, Chart } from 'cdk8s';
import { Capability, CniConfig, CniVersion, IpvlanMode, IpvlanPlugin, NetworkAttachmentDefinition, PluginsProfile, PreinstalledCniPlugins, StaticIpam } from '../../../lib';

/**
 * free5GC's Helm charts with Multus enabled (chart `free5gc` as release `free5gc-helm`, chart
 * `ueransim` as release `ueransim`, namespace `free5gc`): per-chart copies of the N2, N3, N4, N6
 * and N9 networks, ipvlan L2 plugin lists with static IPAM whose addresses come from each
 * function's `ips`, and a default route through each network's gateway.
 */

/** One logical network of the 5G core: the node NIC it rides on and its gateway. */
interface CoreNetwork {
  readonly master: string;
  readonly gateway: string;
}

export const N2: CoreNetwork = { master: 'eth0', gateway: '10.100.50.254' };
export const N3: CoreNetwork = { master: 'eth0', gateway: '10.100.50.238' };
export const N4: CoreNetwork = { master: 'eth0', gateway: '10.100.50.246' };
export const N6: CoreNetwork = { master: 'eth1', gateway: '10.100.100.1' };
export const N9: CoreNetwork = { master: 'eth0', gateway: '10.100.50.230' };

function nad(chart: Chart, name: string, net: CoreNetwork): NetworkAttachmentDefinition {
  return new NetworkAttachmentDefinition(chart, name, {
    metadata: { name },
    config: CniConfig.list([new IpvlanPlugin({
      master: net.master,
      mode: IpvlanMode.L2,
      capabilities: [Capability.IPS],
      ipam: new StaticIpam({ routes: [{ dst: '0.0.0.0/0', gw: net.gateway }] }),
    })], { cniVersion: CniVersion.V0_3_1 }),
  });
}

/**
 * Where this program's output differs from upstream by meaning (the comparator's lines), and why.
 */
export const DIFFERENCES: Readonly<Record<string, string>> = {};

export function build(): App {
  const app = new App();
  const core = new Chart(app, 'free5gc-helm', { namespace: 'free5gc' });
  PreinstalledCniPlugins.fromProfile(core, 'NodePlugins', PluginsProfile.UPSTREAM);
  const release = 'free5gc-helm-free5gc';
  nad(core, `n2network-${release}-amf`, N2);
  nad(core, `n4network-${release}-smf`, N4);
  nad(core, `n3network-${release}-upf`, N3);
  nad(core, `n4network-${release}-upf`, N4);
  nad(core, `n6network-${release}-upf`, N6);
  nad(core, `n9network-${release}-upf`, N9);

  const ran = new Chart(app, 'ueransim', { namespace: 'free5gc' });
  nad(ran, 'n2network-ueransim', N2);
  nad(ran, 'n3network-ueransim', N3);
  return app;
}
