import { App, Chart } from 'cdk8s';
import { CniConfig, CniVersion, NetworkAttachmentDefinition, PreinstalledCniPlugins } from '../../../lib';
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
  new NetworkAttachmentDefinition(chart, 'ovn-networkobj', {
    metadata: { name: 'ovn-networkobj' },
    config: CniConfig.single(new Ovn4nfvPlugin(), { cniVersion: CniVersion.V0_3_1, name: 'ovn4nfv-k8s-plugin' }),
  });
  return app;
}
