import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { CniConfig, CniVersion, KUBE_OVN_DAEMON_SOCKET, KubeOvnIpam, KubeOvnPlugin, MacvlanMode, MacvlanPlugin, NetworkAttachmentDefinition, PluginsProfile, PodNetworks, PreinstalledCniPlugins } from '../../../lib';

/** Where this program's output differs from upstream by meaning (the comparator's lines), and why. */
export const DIFFERENCES: Readonly<Record<string, string>> = {};

/**
 * Kube-OVN's multi-NIC page: a macvlan NAD whose addresses come from Kube-OVN (IPAM `kube-ovn`,
 * provider `macvlan.default`), and a Kube-OVN attachment network (`attachnet`, provider
 * `attachnet.default.ovn`).
 */
export function build(): App {
  const app = new App();
  const chart = new Chart(app, 'multi-nic', { namespace: 'default' });
  PreinstalledCniPlugins.fromProfile(chart, 'NodePlugins', PluginsProfile.UPSTREAM, { types: ['kube-ovn'] });
  const macvlan = new NetworkAttachmentDefinition(chart, 'macvlan', {
    metadata: { name: 'macvlan' },
    config: CniConfig.single(new MacvlanPlugin({
      master: 'eth0',
      mode: MacvlanMode.BRIDGE,
      ipam: new KubeOvnIpam({ serverSocket: KUBE_OVN_DAEMON_SOCKET, provider: 'macvlan.default' }),
    }), { cniVersion: CniVersion.V0_3_0 }),
  });
  const attachnet = new NetworkAttachmentDefinition(chart, 'attachnet', {
    metadata: { name: 'attachnet' },
    config: CniConfig.single(new KubeOvnPlugin({ serverSocket: KUBE_OVN_DAEMON_SOCKET, provider: 'attachnet.default.ovn' }), { cniVersion: CniVersion.V0_3_0 }),
  });

  // Kube-OVN reads fixed addresses, MACs, pools and routes from its own pod annotations, keyed by
  // the provider (<nad>.<namespace>); they are not Multus keys
  const pod = (name: string, image: string, annotations?: Record<string, string>) => new kplus.Pod(chart, name, {
    metadata: { name, annotations },
    containers: [{ name, image }],
  });
  const deployment = (id: string, name: string, container: string, replicas: number, annotations: Record<string, string>) => {
    const d = new kplus.Deployment(chart, id, { metadata: { name }, replicas, containers: [{ name: container, image: 'docker.io/library/nginx:alpine' }] });
    for (const [k, v] of Object.entries(annotations)) d.podMetadata.addAnnotation(k, v);
    return d;
  };
  const routes = '[{\n  "dst": "192.168.0.101/24",\n  "gw": "172.17.0.254"\n}, {\n  "gw": "172.17.0.254"\n}]\n';

  PodNetworks.of(pod('samplepod', 'docker.io/library/alpine:edge')).attach(macvlan);
  PodNetworks.of(pod('static-ip', 'docker.io/library/nginx:alpine', {
    'ovn.kubernetes.io/ip_address': '10.16.0.15',
    'ovn.kubernetes.io/mac_address': '00:00:00:53:6B:B6',
    'macvlan.default.kubernetes.io/ip_address': '172.17.0.100',
    'macvlan.default.kubernetes.io/mac_address': '00:00:00:53:6B:BB',
  })).attach(macvlan);
  PodNetworks.of(deployment('StaticWorkload', 'static-workload', 'static-workload', 2, {
    'ovn.kubernetes.io/ip_pool': '10.16.0.15,10.16.0.16,10.16.0.17',
    'macvlan.default.kubernetes.io/ip_pool': '172.17.0.200,172.17.0.201,172.17.0.202',
  })).attach(macvlan);
  PodNetworks.of(pod('samplepod-route', 'docker.io/library/alpine:edge')).attach(macvlan, { defaultRoute: ['172.17.0.1'] });
  PodNetworks.of(pod('samplepod-macvlan', 'docker.io/library/alpine:edge')).setDefaultNetwork(macvlan);
  PodNetworks.of(pod('custom-routes-attach', 'docker.io/library/alpine:edge', { 'attachnet.default.ovn.kubernetes.io/routes': routes })).attach(attachnet);
  PodNetworks.of(deployment('CustomRoutesAttach', 'custom-routes-attach', 'nginx', 2, { 'attachnet.default.ovn.kubernetes.io/routes': routes })).attach(attachnet);
  return app;
}
