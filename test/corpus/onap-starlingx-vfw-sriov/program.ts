import { App, Chart } from 'cdk8s';
import { CniConfig, CniVersion, HostLocalIpam, NetworkAttachmentDefinition, PluginsProfile, PodNetworks, PreinstalledCniPlugins, SriovPlugin } from '../../../lib';
import { manifestWorkload } from '../manifest-workload';

/**
 * ONAP's vFirewall on StarlingX SR-IOV (chart defaults, release `firewall-sriov`): two sriov NADs
 * with VLANs 7 and 8 on the data network `sriov0`, and the packet generator, firewall and sink on
 * VFs of it (the firewall on both networks, so two VFs).
 *
 * Corrected from upstream: upstream declares no `cniVersion` (the plugins then read 0.1.0, and
 * the CNI spec requires one), gives both NADs the CNI network name `sriov-device` (host-local then
 * keeps the allocations of both subnets in one state directory), and a default route each, so the
 * firewall gets two; here each NAD declares 0.3.1 and keeps its own name, and only the
 * unprotected network routes by default.
 */
export const DIFFERENCES: Readonly<Record<string, string>> = {
  'NetworkAttachmentDefinition default/sriov-device-unprotectednet spec.config.cniVersion: upstream <absent>, program "0.3.1"':
    'corrected: upstream declares no cniVersion (the plugins read 0.1.0; the CNI spec requires one)',
  'NetworkAttachmentDefinition default/sriov-device-unprotectednet spec.config.name: upstream "sriov-device", program "sriov-device-unprotectednet"':
    'corrected: upstream gives both NADs the network name sriov-device, so host-local keeps both subnets in one state directory',
  'NetworkAttachmentDefinition default/sriov-device-protectednet spec.config.cniVersion: upstream <absent>, program "0.3.1"':
    'corrected: upstream declares no cniVersion',
  'NetworkAttachmentDefinition default/sriov-device-protectednet spec.config.ipam.routes: upstream [{"dst":"0.0.0.0/0"}], program <absent>':
    'corrected: with a default route on both networks the firewall gets two IPv4 default routes; only the unprotected network keeps it',
  'NetworkAttachmentDefinition default/sriov-device-protectednet spec.config.name: upstream "sriov-device", program "sriov-device-protectednet"':
    'corrected: the network name shared with sriov-device-unprotectednet',
};

/** What the library says about upstream's default routes (the firewall on both networks). */
export const REFUSED = "'attachments' give the pod 2 IPv4 default routes through the IPAM routes of their networks: got [\"sriov-device-unprotectednet\",\"sriov-device-protectednet\"]";

/** @param opts.asUpstream write upstream's default routes (which the library refuses) */
export function build(opts: { asUpstream?: boolean } = {}): App {
  const app = new App();
  const chart = new Chart(app, 'firewall-sriov', { namespace: 'default' });
  PreinstalledCniPlugins.fromProfile(chart, 'NodePlugins', PluginsProfile.UPSTREAM);
  const net = (name: string, vlan: number, subnet: string, gateway: string, defaultRoute: boolean) => new NetworkAttachmentDefinition(chart, name, {
    metadata: { name },
    resourceName: 'intel.com/pci_sriov_net_sriov0',
    config: CniConfig.single(new SriovPlugin({
      vlan,
      ipam: new HostLocalIpam({ subnet, gateway, routes: defaultRoute || opts.asUpstream ? [{ dst: '0.0.0.0/0' }] : undefined }),
    }), { cniVersion: CniVersion.V0_3_1 }),
  });
  const unprotected = net('sriov-device-unprotectednet', 7, '10.10.1.0/24', '10.10.1.1', true);
  const protectedNet = net('sriov-device-protectednet', 8, '10.10.2.0/24', '10.10.2.1', false);

  // the VFs (intel.com/pci_sriov_net_sriov0, one per attachment) are requested by the attachments
  const vnf = (id: string, name: string, cpu: string, hugepages: boolean, attachments: Array<[NetworkAttachmentDefinition, string]>) => {
    const resources = { cpu, memory: '4Gi', ...(hugepages ? { 'hugepages-2Mi': '256Mi' } : {}) };
    const d = manifestWorkload(chart, id, { kind: 'Deployment', name, containers: [{ name: name.replace(/^firewall-sriov-/, ''), image: 'ubuntu:latest', requests: resources, limits: resources }] });
    for (const [nad, ifname] of attachments) PodNetworks.of(d).attach(nad, { interface: ifname });
  };
  vnf('Firewall', 'firewall-sriov', '3', true, [[unprotected, 'veth12'], [protectedNet, 'veth21']]);
  vnf('Pktgen', 'firewall-sriov-pktgen-sriov', '3', true, [[unprotected, 'veth11']]);
  vnf('Sink', 'firewall-sriov-sink-sriov', '1', false, [[protectedNet, 'veth22']]);
  return app;
}
