import { App, Chart } from 'cdk8s';
import { BridgePlugin, Capability, CniConfig, CniVersion, NetworkAttachmentDefinition, PluginsProfile, PreinstalledCniPlugins, StaticIpam } from '../../../lib';

/**
 * canonical/sdcore-upf-k8s-operator with the charm's defaults (model `user-plane`): two bridge
 * NADs with the UPF's address baked in, and the UPF StatefulSet attached to both.
 */
/**
 * Where this program's output differs from upstream by meaning (the comparator's lines), and why.
 */
export const DIFFERENCES: Readonly<Record<string, string>> = {};

export function build(): App {
  const app = new App();
  const chart = new Chart(app, 'sdcore-upf-k8s', { namespace: 'user-plane' });
  PreinstalledCniPlugins.fromProfile(chart, 'NodePlugins', PluginsProfile.UPSTREAM);
  const nad = (name: string, bridge: string, address: string) => new NetworkAttachmentDefinition(chart, name, {
    metadata: { name },
    config: CniConfig.single(new BridgePlugin({
      bridge,
      capabilities: [Capability.MAC],
      ipam: new StaticIpam({ addresses: [{ address }] }),
    }), { cniVersion: CniVersion.V0_3_1 }),
  });
  nad('access-net', 'access-br', '192.168.252.3/24');
  nad('core-net', 'core-br', '192.168.250.3/24');
  return app;
}
