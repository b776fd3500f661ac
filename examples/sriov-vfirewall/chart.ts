import { Chart, ChartProps, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { CniConfig, CniVersion, HostLocalIpam, NetworkAttachmentDefinition, NetworkFunction, PreinstalledCniPlugins, SriovCni, SriovPlugin, WorkloadKind } from '../../lib';

/** The SR-IOV device plugin resource of the StarlingX data network `sriov0`. */
export const SRIOV0 = 'intel.com/pci_sriov_net_sriov0';

/**
 * ONAP's vFirewall on SR-IOV VFs, after onap/multicloud-k8s starlingx/demo/firewall-sriov: a
 * packet generator, the firewall and a sink, on two VLANs of one SR-IOV data network. The
 * firewall sits on both networks, so it gets two VFs of the same resource: the attachments
 * request them (the upstream chart derives the count in its template).
 *
 * Written with the typed API: one sriov NAD per VLAN (each with its own CNI network name, so
 * host-local keeps their allocations apart), and a default route on the unprotected network only
 * (upstream routes by default through both, which gives the firewall two default routes).
 */
export class SriovVfirewallChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = { namespace: 'default' }) {
    super(scope, id, props);
    // the SR-IOV CNI DaemonSet; host-local comes with the nodes' containernetworking-plugins (the
    // SR-IOV device plugin, which advertises the VFs as intel.com/pci_sriov_net_sriov0, runs already)
    new SriovCni(this, 'SriovCni');
    new PreinstalledCniPlugins(this, 'NodePlugins', { types: ['host-local'] });

    const vlan = (name: string, vlanId: number, subnet: string, gateway: string, defaultRoute: boolean) => new NetworkAttachmentDefinition(this, name, {
      metadata: { name },
      resourceName: SRIOV0,
      config: CniConfig.single(new SriovPlugin({
        vlan: vlanId,
        ipam: new HostLocalIpam({ subnet, gateway, routes: defaultRoute ? [{ dst: '0.0.0.0/0' }] : undefined }),
      }), { cniVersion: CniVersion.V0_3_1 }),
    });
    const unprotected = vlan('sriov-device-unprotectednet', 7, '10.10.1.0/24', '10.10.1.1', true);
    const protectedNet = vlan('sriov-device-protectednet', 8, '10.10.2.0/24', '10.10.2.1', false);

    const vnf = (id_: string, name: string, cpu: number, hugepages: boolean, attachments: Array<[NetworkAttachmentDefinition, string]>) => new NetworkFunction(this, id_, {
      name,
      kind: WorkloadKind.DEPLOYMENT,
      replicas: 1,
      containers: [{
        name: name.replace(/^firewall-sriov-/, ''),
        image: 'ubuntu:24.04',
        resources: {
          cpu: { request: kplus.Cpu.units(cpu), limit: kplus.Cpu.units(cpu) },
          memory: { request: Size.gibibytes(4), limit: Size.gibibytes(4) },
        },
        extendedResources: hugepages ? { 'hugepages-2Mi': '256Mi' } : undefined,
      }],
      attachments: attachments.map(([network, ifname]) => ({ network, interface: ifname })),
    });
    vnf('Firewall', 'firewall-sriov', 3, true, [[unprotected, 'veth12'], [protectedNet, 'veth21']]);
    vnf('Pktgen', 'firewall-sriov-pktgen-sriov', 3, true, [[unprotected, 'veth11']]);
    vnf('Sink', 'firewall-sriov-sink-sriov', 1, false, [[protectedNet, 'veth22']]);
  }
}
