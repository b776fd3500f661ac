import { App, Chart, Testing } from 'cdk8s';
import { CniConfig, CniVersion, NetworkAttachmentDefinition, OvnKubernetesPlugin, OvnTopology, PluginsProfile, PreinstalledCniPlugins, parseCniConfig } from '../../../lib';

const single = (p: OvnKubernetesPlugin, cniVersion = CniVersion.V1_0_0) => CniConfig.single(p, { name: 'net', cniVersion });

test('defaults: a layer2 network without subnets writes topology and netAttachDefName only', () => {
  const p = new OvnKubernetesPlugin({ topology: OvnTopology.LAYER2, netAttachDefName: 'ns1/l2' });
  expect(JSON.parse(single(p).toString())).toEqual({ cniVersion: '1.0.0', name: 'net', type: 'ovn-k8s-cni-overlay', topology: 'layer2', netAttachDefName: 'ns1/l2' });
  expect(p.topology).toBe(OvnTopology.LAYER2);
});

test('custom: every field with its wire key; lists are written comma-separated', () => {
  const p = new OvnKubernetesPlugin({
    topology: OvnTopology.LOCALNET, netAttachDefName: 'ns1/ln', subnets: ['192.0.2.0/24', '2001:db8::/64'], excludeSubnets: ['192.0.2.0/29', '192.0.2.100'],
    mtu: 1500, vlanID: 33, physicalNetworkName: 'physnet',
  });
  expect(JSON.parse(single(p).toString())).toEqual({
    cniVersion: '1.0.0', name: 'net', type: 'ovn-k8s-cni-overlay', topology: 'localnet', subnets: '192.0.2.0/24,2001:db8::/64', mtu: 1500,
    netAttachDefName: 'ns1/ln', excludeSubnets: '192.0.2.0/29,192.0.2.100', vlanID: 33, physicalNetworkName: 'physnet',
  });
});

test('layer3 takes cidr/hostPrefix', () => {
  const p = new OvnKubernetesPlugin({ topology: OvnTopology.LAYER3, netAttachDefName: 'ns1/l3', subnets: ['10.128.0.0/16/24'] });
  expect(single(p).toJson().subnets).toBe('10.128.0.0/16/24');
});

test('round-trips through the parser (the comma lists split back into items)', () => {
  const text = '{"cniVersion":"0.3.1","name":"l2","type":"ovn-k8s-cni-overlay","topology":"layer2","subnets":"10.100.200.0/24, 10.100.201.0/24","netAttachDefName":"ns1/l2","excludeSubnets":"10.100.200.0/29"}';
  const cfg = parseCniConfig(text);
  expect(cfg.main).toBeInstanceOf(OvnKubernetesPlugin);
  expect(cfg.main.get('subnets')).toEqual(['10.100.200.0/24', '10.100.201.0/24']);
  expect(cfg.toJson()).toEqual({ ...JSON.parse(text), subnets: '10.100.200.0/24,10.100.201.0/24' });
});

test('fails without topology or netAttachDefName', () => {
  expect(() => new OvnKubernetesPlugin({ netAttachDefName: 'ns1/x' } as any)).toThrow(
    "ovn-k8s-cni-overlay plugin: 'topology' is required: got nothing; write the topology: OvnTopology.LAYER3, LAYER2 or LOCALNET");
  expect(() => new OvnKubernetesPlugin({ topology: OvnTopology.LAYER2 } as any)).toThrow(
    "ovn-k8s-cni-overlay plugin: 'netAttachDefName' is required: got nothing; write <namespace>/<name> of the NetworkAttachmentDefinition that carries the config");
});

test('fails on a netAttachDefName that is not <namespace>/<name>', () => {
  expect(() => new OvnKubernetesPlugin({ topology: OvnTopology.LAYER2, netAttachDefName: 'l2-network' })).toThrow(
    "ovn-k8s-cni-overlay plugin: 'netAttachDefName' must be a string matching <namespace>/<name> of the NetworkAttachmentDefinition: got \"l2-network\"; write a string matching <namespace>/<name> of the NetworkAttachmentDefinition");
});

test('fails on layer3 without subnets, and on a host prefix not longer than the subnet', () => {
  expect(() => new OvnKubernetesPlugin({ topology: OvnTopology.LAYER3, netAttachDefName: 'ns1/l3' })).toThrow(
    "ovn-k8s-cni-overlay plugin: 'subnets' is required with topology \"layer3\": got nothing; give the cluster subnet and the per-node prefix, e.g. [\"10.128.0.0/16/24\"]");
  expect(() => new OvnKubernetesPlugin({ topology: OvnTopology.LAYER3, netAttachDefName: 'ns1/l3', subnets: ['10.128.0.0/24/16'] })).toThrow(
    "ovn-k8s-cni-overlay plugin: 'subnets[0]' has a host prefix /16 that is not longer than the subnet's /24: got \"10.128.0.0/24/16\"; write CIDR prefixes (cidr/hostPrefix for layer3)");
});

test('fails on cidr/hostPrefix outside layer3', () => {
  expect(() => new OvnKubernetesPlugin({ topology: OvnTopology.LAYER2, netAttachDefName: 'ns1/l2', subnets: ['10.128.0.0/16/24'] })).toThrow(
    "ovn-k8s-cni-overlay plugin: 'subnets[0]' is cidr/hostPrefix, which only topology \"layer3\" reads (this network is \"layer2\"): got \"10.128.0.0/16/24\"; write a plain CIDR such as 10.100.200.0/24");
});

test('fails on vlanID or physicalNetworkName outside localnet', () => {
  expect(() => new OvnKubernetesPlugin({ topology: OvnTopology.LAYER2, netAttachDefName: 'ns1/l2', vlanID: 10 })).toThrow(
    "ovn-k8s-cni-overlay plugin: 'vlanID' is only read with topology \"localnet\" (this network is \"layer2\"): got 10; remove vlanID, or use OvnTopology.LOCALNET");
  expect(() => new OvnKubernetesPlugin({ topology: OvnTopology.LAYER3, netAttachDefName: 'ns1/l3', subnets: ['10.0.0.0/16/24'], physicalNetworkName: 'p' })).toThrow(
    /'physicalNetworkName' is only read with topology "localnet" \(this network is "layer3"\)/);
});

test('fails on excluded prefixes outside every subnet, or without subnets', () => {
  expect(() => new OvnKubernetesPlugin({ topology: OvnTopology.LAYER2, netAttachDefName: 'ns1/l2', subnets: ['10.100.200.0/24'], excludeSubnets: ['10.100.201.0/29'] })).toThrow(
    "ovn-k8s-cni-overlay plugin: 'excludeSubnets[0]' is outside every subnet (10.100.200.0/24): got \"10.100.201.0/29\"; exclude a part of one of the subnets");
  expect(() => new OvnKubernetesPlugin({ topology: OvnTopology.LOCALNET, netAttachDefName: 'ns1/ln', excludeSubnets: ['10.100.201.0/29'] })).toThrow(
    "ovn-k8s-cni-overlay plugin: 'excludeSubnets' is set while 'subnets' is empty, so there is nothing to exclude from: got [\"10.100.201.0/29\"]; remove it, or give 'subnets'");
});

test('fails on a VLAN out of range and takes no IPAM', () => {
  expect(() => new OvnKubernetesPlugin({ topology: OvnTopology.LOCALNET, netAttachDefName: 'ns1/ln', vlanID: 4095 })).toThrow(
    /'vlanID' must be an integer from 1 to 4094: got 4095/);
  expect(() => parseCniConfig('{"cniVersion":"1.0.0","name":"n","type":"ovn-k8s-cni-overlay","topology":"layer2","netAttachDefName":"a/b","ipam":{"type":"host-local","subnet":"10.0.0.0/24"}}')).toThrow(
    /'ipam' is not read by ovn-k8s-cni-overlay/);
});

test('a profile of node plugins does not decide it: the App inventory does', () => {
  // no PluginsProfile knows OVN-Kubernetes, and the config is still valid under each
  for (const profile of [PluginsProfile.UPSTREAM, PluginsProfile.DEBIAN_1_1_1]) {
    expect(() => CniConfig.single(new OvnKubernetesPlugin({ topology: OvnTopology.LAYER2, netAttachDefName: 'a/b' }), { profile })).not.toThrow();
  }
  const app = Testing.app();
  const chart = new Chart(app, 'c', { namespace: 'ns1' });
  new PreinstalledCniPlugins(chart, 'P', { profile: PluginsProfile.UPSTREAM });
  new NetworkAttachmentDefinition(chart, 'l2', {
    metadata: { name: 'l2' },
    config: CniConfig.single(new OvnKubernetesPlugin({ topology: OvnTopology.LAYER2, netAttachDefName: 'ns1/l2' })),
  });
  expect(() => app.synth()).toThrow(/'spec\.config\.plugins\[0\]\.type' is not installed on the nodes: .*got "ovn-k8s-cni-overlay"/);
  const ok = new App();
  const c2 = new Chart(ok, 'c', { namespace: 'ns1' });
  new PreinstalledCniPlugins(c2, 'P', { types: ['ovn-k8s-cni-overlay'] });
  new NetworkAttachmentDefinition(c2, 'l2', {
    metadata: { name: 'l2' },
    config: CniConfig.single(new OvnKubernetesPlugin({ topology: OvnTopology.LAYER2, netAttachDefName: 'ns1/l2' })),
  });
  expect(() => ok.synthYaml()).not.toThrow();
});
