import { App, Chart } from 'cdk8s';
import { BridgePlugin, CniConfig, CniVersion, NetworkAttachmentDefinition, PluginsProfile, PreinstalledCniPlugins } from '../../../lib';

/** The GoGTP EPC of cncf/cnf-testbed: seven bridge NADs without IPAM, one per reference point. */
export const REFERENCE_POINTS = ['euu', 's11', 's1u', 's1c', 's5u', 's5c', 'sgi'] as const;

/**
 * Where this program's output differs from upstream by meaning (the comparator's lines), and why.
 */
export const DIFFERENCES: Readonly<Record<string, string>> = {};

export function build(): App {
  const app = new App();
  const chart = new Chart(app, 'gogtp');
  PreinstalledCniPlugins.fromProfile(chart, 'NodePlugins', PluginsProfile.UPSTREAM);
  for (const rp of REFERENCE_POINTS) {
    const name = `lte-${rp}`;
    // the bridge (made by the testbed's tools on the nodes, joined to a VLAN) is `lte<rp>`;
    // addresses are set from inside the pods by their setup scripts, so no IPAM
    new NetworkAttachmentDefinition(chart, name, {
      metadata: { name },
      config: CniConfig.single(new BridgePlugin({ bridge: `lte${rp}` }), { cniVersion: CniVersion.V0_3_1 }),
    });
  }
  return app;
}
