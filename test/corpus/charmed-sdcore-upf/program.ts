import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { BridgePlugin, CniCapability, CniConfig, CniVersion, NetworkAttachmentDefinition, PluginsProfile, PodNetworks, PreinstalledCniPlugins, StaticIpam } from '../../../lib';

/**
 * canonical/sdcore-upf-k8s-operator with the charm's defaults (model `user-plane`): two bridge
 * NADs with the UPF's address baked in, and the UPF StatefulSet attached to both.
 */

/** Where this program's output differs from upstream by meaning (the comparator's lines), and why. */
export const DIFFERENCES: Readonly<Record<string, string>> = {};

/** The container images come from the charm's resources (not recorded by the corpus). */
const CHARM_RESOURCE = (name: string) => `charm-resource/${name}`;

export function build(): App {
  const app = new App();
  const chart = new Chart(app, 'sdcore-upf-k8s', { namespace: 'user-plane' });
  PreinstalledCniPlugins.fromProfile(chart, 'NodePlugins', PluginsProfile.UPSTREAM);
  const nad = (name: string, bridge: string, address: string) => new NetworkAttachmentDefinition(chart, name, {
    metadata: { name },
    config: CniConfig.single(new BridgePlugin({
      bridge,
      capabilities: [CniCapability.MAC],
      ipam: new StaticIpam({ addresses: [{ address }] }),
    }), { cniVersion: CniVersion.V0_3_1 }),
  });
  const access = nad('access-net', 'access-br', '192.168.252.3/24');
  const core = nad('core-net', 'core-br', '192.168.250.3/24');

  const upf = new kplus.StatefulSet(chart, 'Upf', {
    metadata: { name: 'sdcore-upf-k8s' },
    replicas: 1,
    containers: [
      { name: 'charm', image: CHARM_RESOURCE('charm') },
      { name: 'bessd', image: CHARM_RESOURCE('bessd'), securityContext: { ensureNonRoot: false } },
      // PFCP towards the SMF (N4)
      { name: 'pfcp-agent', image: CHARM_RESOURCE('pfcp-agent'), ports: [{ number: 8805, protocol: kplus.Protocol.UDP }] },
    ],
  });
  const networks = PodNetworks.of(upf);
  networks.attach(access, { interface: 'access' });
  networks.attach(core, { interface: 'core' });
  return app;
}
