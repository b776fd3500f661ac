import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { IpFamily } from '../lib/addressing/ip';
import { lintObjects } from '../lib/cli/lint';
import { Severity } from '../lib/cni/problem';
import { CniCapability } from '../lib/cni/common';
import { CniVersion } from '../lib/cni/cni-version';
import { ConfigFormat } from '../lib/cni/common';
import { IpvlanMode } from '../lib/cni/plugins/ipvlan';
import { MacvlanMode } from '../lib/cni/plugins/macvlan';
import { SriovToggle } from '../lib/cni/plugins/sriov';
import { TuningPlugin } from '../lib/cni/plugins/tuning';
import { PluginsProfile } from '../lib/cni/profile';
import { PreinstalledCniPlugins } from '../lib/installers/inventory';
import { NETWORKS_ANNOTATION } from '../lib/multus/selection-element';
import { IpamMode, Network, NetworkPlugin } from '../lib/network';
import { RESOURCE_NAME_ANNOTATION } from '../lib/network-attachment-definition';
import { NetworkFunction } from '../lib/network-function';
import { PodNetworks } from '../lib/pod-networks';
import { expectValidObjects } from './util/schema';

function chart(namespace?: string): Chart {
  const c = new Chart(Testing.app(), 'test', { namespace });
  // the nodes run every plugin of the upstream profile (NADs are checked against the inventory)
  PreinstalledCniPlugins.fromProfile(c, 'NodePlugins', PluginsProfile.UPSTREAM, { dhcpDaemon: true });
  return c;
}

/** The synthesized NADs of a chart, with their config parsed. */
function nads(c: Chart): { name: string; namespace?: string; annotations?: Record<string, string>; config: any }[] {
  const objects = Testing.synth(c);
  expectValidObjects(objects);
  return objects
    .filter((o) => o.kind === 'NetworkAttachmentDefinition')
    .map((o) => ({ name: o.metadata.name, namespace: o.metadata.namespace, annotations: o.metadata.annotations, config: JSON.parse(o.spec.config) }));
}

const MACVLAN = () => NetworkPlugin.macvlan({ uplink: 'eth1' });

describe('Network', () => {
  describe('defaults', () => {
    test('the name is the construct id in lower case; the IPAM is host-local when subnets are given', () => {
      const net = new Network(chart(), 'Data', { plugin: MACVLAN(), subnets: ['10.1.0.0/24'] });
      expect(net.name).toBe('data');
      expect(net.ipamMode).toBe(IpamMode.HOST_LOCAL);
      expect(net.subnets.map(String)).toEqual(['10.1.0.0/24']);
      // the gateway of a pool network defaults to the first host
      expect(net.gateways.map(String)).toEqual(['10.1.0.1']);
      expect(net.gatewayOf(IpFamily.IPV4)?.toString()).toBe('10.1.0.1');
      expect(net.gatewayOf(IpFamily.IPV6)).toBeUndefined();
      expect(net.plugin).toEqual({ type: 'macvlan', uplink: 'eth1' });
    });

    test('without subnets the network is layer 2 only (IPAM none)', () => {
      const c = chart('core');
      const net = new Network(c, 'L2', { plugin: MACVLAN() });
      expect(net.ipamMode).toBe(IpamMode.NONE);
      expect(net.gateways).toEqual([]);
      net.nadFor('core');
      expect(nads(c)[0].config.plugins).toEqual([{ type: 'macvlan', master: 'eth1' }]);
    });

    test('static IPAM has no default gateway', () => {
      const net = new Network(chart(), 'Data', { plugin: MACVLAN(), subnets: ['10.1.0.0/24'], ipam: IpamMode.STATIC });
      expect(net.gateways).toEqual([]);
    });
  });

  describe('validation', () => {
    test('fails on a name that is not a DNS-1123 label', () => {
      expect(() => new Network(chart(), 'Data', { name: 'Data_Net', plugin: MACVLAN() })).toThrow(
        /^Network test\/Data: 'name' is not a DNS-1123 label: got "Data_Net"; use lowercase letters, digits and "-", at most 63 characters$/,
      );
    });

    test('fails on a subnet that is not a CIDR, has host bits, or repeats a family', () => {
      expect(() => new Network(chart(), 'A', { plugin: MACVLAN(), subnets: ['10.1.0.0'] })).toThrow(
        /'subnets\[0\]' is not a prefix in CIDR notation: got "10\.1\.0\.0"; write a network address such as 10\.3\.0\.0\/24/,
      );
      expect(() => new Network(chart(), 'A', { plugin: MACVLAN(), subnets: ['10.1.0.5/24'] })).toThrow(
        /'subnets\[0\]' has host bits set: got "10\.1\.0\.5\/24"; use the network address 10\.1\.0\.0\/24/,
      );
      expect(() => new Network(chart(), 'A', { plugin: MACVLAN(), subnets: ['10.1.0.0/24', '10.2.0.0/24'] })).toThrow(
        /'subnets\[1\]' is a second subnet of one address family: got "10\.2\.0\.0\/24"; give at most one IPv4 and one IPv6 subnet/,
      );
    });

    test('fails on a gateway outside the subnets, or on the network or broadcast address', () => {
      expect(() => new Network(chart(), 'A', { plugin: MACVLAN(), subnets: ['10.1.0.0/24'], gateways: ['10.2.0.1'] })).toThrow(
        /'gateways\[0\]' is outside the subnets: got "10\.2\.0\.1"; pick an address inside 10\.1\.0\.0\/24/,
      );
      expect(() => new Network(chart(), 'A', { plugin: MACVLAN(), subnets: ['10.1.0.0/24'], gateways: ['10.1.0.255'] })).toThrow(
        /'gateways\[0\]' is the network or broadcast address: got "10\.1\.0\.255"; pick a host address/,
      );
      expect(() => new Network(chart(), 'A', { plugin: MACVLAN(), subnets: ['10.1.0.0/24'], gateways: ['fd00::1'] })).toThrow(
        /'gateways\[0\]' is outside the subnets: got "fd00::1"; pick an address inside a subnet of the same family/,
      );
      expect(() => new Network(chart(), 'A', { plugin: MACVLAN(), subnets: ['10.1.0.0/24'], gateways: ['gw'] })).toThrow(/'gateways\[0\]' is not an IP address: got "gw"/);
    });

    test.each([IpamMode.HOST_LOCAL, IpamMode.WHEREABOUTS, IpamMode.STATIC])('fails without subnets with %s IPAM', (ipam) => {
      expect(() => new Network(chart(), 'A', { plugin: MACVLAN(), ipam })).toThrow(
        new RegExp(`'subnets' are required with ${ipam} IPAM: got nothing; give the network a subnet such as 10\\.3\\.0\\.0/24`),
      );
    });

    test('fails on subnets with IPAM none', () => {
      expect(() => new Network(chart(), 'A', { plugin: MACVLAN(), subnets: ['10.1.0.0/24'], ipam: IpamMode.NONE })).toThrow(
        /'subnets' are given but the network assigns no addresses \(ipam NONE\): got \["10\.1\.0\.0\/24"\]; choose an IPAM mode, or remove the subnets/,
      );
    });

    test('reports every problem at once', () => {
      expect(() => new Network(chart(), 'A', { name: 'A', plugin: MACVLAN(), subnets: ['x'], gateways: ['y'] })).toThrow(/problems:\n/);
    });

    test('fails on a namespace that is not a DNS-1123 label', () => {
      const net = new Network(chart(), 'A', { plugin: MACVLAN() });
      expect(() => net.nadFor('Core')).toThrow(/^Network test\/A nadFor: 'namespace' is not a DNS-1123 label of at most 63 characters: got "Core"; use a valid namespace name \(lowercase letters, digits and "-"\)$/);
    });
  });

  describe('one NAD per namespace', () => {
    test('nadFor derives one NAD per namespace, same name and config, and returns it again on reuse', () => {
      const c = chart();
      const net = new Network(c, 'N3', { plugin: MACVLAN(), subnets: ['10.3.0.0/24'] });
      const a = net.nadFor('core');
      expect(net.nadFor('core')).toBe(a);
      const b = net.nadFor('ran');
      expect(b).not.toBe(a);
      expect(net.attachments).toEqual([a, b]);
      expect(Network.of(a)).toBe(net);
      const out = nads(c);
      expect(out.map((n) => `${n.namespace}/${n.name}`)).toEqual(['core/n3', 'ran/n3']);
      expect(out[0].config).toEqual(out[1].config);
      expect(out[0].config).toEqual({
        cniVersion: '1.0.0',
        name: 'n3',
        plugins: [{
          type: 'macvlan', master: 'eth1',
          ipam: { type: 'host-local', ranges: [[{ subnet: '10.3.0.0/24', gateway: '10.3.0.1' }]] },
        }],
      });
    });

    test('namespaces listed up front are derived at construction', () => {
      const net = new Network(chart(), 'N4', { plugin: MACVLAN(), namespaces: ['a', 'b'] });
      expect(net.attachments.map((n) => n.namespace)).toEqual(['a', 'b']);
    });

    test('functions in many namespaces share one NAD per namespace instead of copies', () => {
      const c = chart();
      const net = new Network(c, 'N2', { plugin: MACVLAN(), subnets: ['10.2.0.0/24'] });
      for (const [id, ns] of [['A', 'cp'], ['B', 'cp'], ['C', 'ran']]) {
        new NetworkFunction(c, id, { namespace: ns, containers: [{ name: 'app', image: 'registry.example.com/app:1.0' }] }).attach(net);
      }
      const objects = Testing.synth(c);
      expect(objects.filter((o) => o.kind === 'NetworkAttachmentDefinition').map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(['cp/n2', 'ran/n2']);
      const refs = objects.filter((o) => o.kind === 'Deployment').map((o) => JSON.parse(o.spec.template.metadata.annotations[NETWORKS_ANNOTATION])[0]);
      expect(refs.map((r) => `${r.namespace}/${r.name}`)).toEqual(['cp/n2', 'cp/n2', 'ran/n2']);
    });

    test('a NAD is not a logical network', () => {
      const c = chart();
      const net = new Network(c, 'A', { plugin: MACVLAN() });
      expect(Network.of(net.nadFor('x'))).toBe(net);
      expect(Network.of({} as any)).toBeUndefined();
    });

    test('chained plugins come from a factory: each NAD gets its own instances', () => {
      const c = chart();
      const net = new Network(c, 'Mac', {
        plugin: NetworkPlugin.bridge({ bridge: 'br1' }), subnets: ['10.9.0.0/24'],
        chain: () => [new TuningPlugin({})],
      });
      const a = net.nadFor('a');
      net.nadFor('b');
      // a per-pod MAC in namespace a declares the capability on a's NAD only
      a.config!.ensureCapability(CniCapability.MAC);
      const [na, nb] = nads(c);
      expect(na.config.plugins.map((p: any) => p.type)).toEqual(['bridge', 'tuning']);
      expect(na.config.plugins[0].capabilities).toEqual({ mac: true });
      expect(nb.config.plugins.map((p: any) => p.capabilities)).toEqual([undefined, undefined]);
    });

    test('honours the CNI version', () => {
      const c = chart();
      new Network(c, 'Old', { plugin: MACVLAN(), cniVersion: CniVersion.V0_4_0, namespaces: ['x'] });
      expect(nads(c)[0].config.cniVersion).toBe('0.4.0');
    });

    test('writes the derived configs for the target profile', () => {
      const c = chart();
      const props = { plugin: NetworkPlugin.bridge({ bridge: 'br1', vlan: 40 }), subnets: ['10.1.0.0/24'] };
      new Network(c, 'Up', { ...props, namespaces: ['x'] });
      new Network(c, 'Deb', { ...props, profile: PluginsProfile.DEBIAN_1_1_1, namespaces: ['x'] });
      const [up, deb] = nads(c);
      // upstream bridge 1.9.1 reads preserveDefaultVlan; Debian's 1.1.1 plugins do not
      expect(up.config.plugins[0].preserveDefaultVlan).toBe(false);
      expect(deb.config.plugins[0]).not.toHaveProperty('preserveDefaultVlan');
    });
  });

  describe('IPAM modes', () => {
    function configOf(props: Partial<ConstructorParameters<typeof Network>[2]>): any {
      const c = chart();
      new Network(c, 'Net', { plugin: MACVLAN(), namespaces: ['x'], ...props });
      return nads(c)[0].config.plugins[0];
    }

    test('host-local: one range set per family, pool bounds on IPv4 only, routes', () => {
      const p = configOf({
        subnets: ['10.1.0.0/24', 'fd00:1::/64'], rangeStart: '10.1.0.100', rangeEnd: '10.1.0.199',
        routes: [{ dst: '192.168.0.0/16' }],
      });
      expect(p.ipam).toEqual({
        type: 'host-local',
        ranges: [
          [{ subnet: '10.1.0.0/24', rangeStart: '10.1.0.100', rangeEnd: '10.1.0.199', gateway: '10.1.0.1' }],
          [{ subnet: 'fd00:1::/64', gateway: 'fd00:1::1' }],
        ],
        routes: [{ dst: '192.168.0.0/16' }],
      });
    });

    test('whereabouts: a single range with its gateway excluded from the pool (whereabouts does not skip it)', () => {
      expect(configOf({ subnets: ['10.1.0.0/24'], ipam: IpamMode.WHEREABOUTS }).ipam).toEqual({
        type: 'whereabouts', range: '10.1.0.0/24', exclude: ['10.1.0.1/32'], gateway: '10.1.0.1',
      });
      expect(configOf({ subnets: ['10.1.0.0/24'], ipam: IpamMode.WHEREABOUTS, gateways: ['10.1.0.254'], rangeStart: '10.1.0.10' }).ipam).toEqual({
        type: 'whereabouts', range: '10.1.0.0/24', range_start: '10.1.0.10', exclude: ['10.1.0.254/32'], gateway: '10.1.0.254',
      });
    });

    test('whereabouts: ipRanges for dual stack, gateways excluded per range and not copied onto every address', () => {
      expect(configOf({ subnets: ['10.1.0.0/24', 'fd00:1::/64'], ipam: IpamMode.WHEREABOUTS }).ipam).toEqual({
        type: 'whereabouts',
        ipRanges: [{ range: '10.1.0.0/24', exclude: ['10.1.0.1/32'] }, { range: 'fd00:1::/64', exclude: ['fd00:1::1/128'] }],
      });
    });

    test('static: addresses come from each attachment, so the ips capability is declared', () => {
      const p = configOf({ subnets: ['10.1.0.0/24'], ipam: IpamMode.STATIC });
      expect(p.ipam).toEqual({ type: 'static' });
      expect(p.capabilities).toEqual({ ips: true });
    });

    test('dhcp: no subnets needed', () => {
      expect(configOf({ ipam: IpamMode.DHCP }).ipam).toEqual({ type: 'dhcp' });
    });
  });

  describe('plugins', () => {
    function pluginOf(plugin: NetworkPlugin, subnets?: string[]): any {
      const c = chart();
      const net = new Network(c, 'Net', { plugin, subnets, namespaces: ['x'] });
      return { info: net.plugin, config: nads(c)[0].config.plugins[0], nad: nads(c)[0] };
    }

    test('bridge', () => {
      const { info, config } = pluginOf(NetworkPlugin.bridge({ bridge: 'br-n4', vlan: 40, mtu: 9000 }));
      expect(info).toEqual({ type: 'bridge', uplink: 'br-n4', vlan: 40 });
      expect(config).toMatchObject({ type: 'bridge', bridge: 'br-n4', mtu: 9000, vlan: 40 });
    });

    test('macvlan, with a mode', () => {
      expect(pluginOf(NetworkPlugin.macvlan({ uplink: 'ens4', mode: MacvlanMode.VEPA })).config).toEqual({ type: 'macvlan', master: 'ens4', mode: 'vepa' });
    });

    test('ipvlan writes mode only when given (the plugin defaults to l2)', () => {
      const config = pluginOf(NetworkPlugin.ipvlan({ uplink: 'ens4' }), ['10.1.0.0/24']).config;
      expect(config).toMatchObject({ type: 'ipvlan', master: 'ens4' });
      expect(config).not.toHaveProperty('mode');
      expect(pluginOf(NetworkPlugin.ipvlan({ uplink: 'ens4', mode: IpvlanMode.L2 }), ['10.1.0.0/24']).config.mode).toBe('l2');
      expect(pluginOf(NetworkPlugin.ipvlan({ uplink: 'ens4', mode: IpvlanMode.L3 }), ['10.1.0.0/24']).config.mode).toBe('l3');
    });

    test('vlan', () => {
      const { info, config } = pluginOf(NetworkPlugin.vlan({ uplink: 'ens5', vlanId: 300 }), ['10.1.0.0/24']);
      expect(info).toEqual({ type: 'vlan', uplink: 'ens5', vlan: 300 });
      expect(config).toMatchObject({ type: 'vlan', master: 'ens5', vlanId: 300, ipam: { type: 'host-local' } });
    });

    test('fails at the first NAD when the plugin needs an IPAM and the network has none', () => {
      const net = new Network(chart(), 'Net', { plugin: NetworkPlugin.vlan({ uplink: 'ens5', vlanId: 300 }) });
      expect(() => net.nadFor('x')).toThrow(/'ipam' is required by vlan: got nothing; add an IPAM such as host-local/);
    });

    test('host-device', () => {
      expect(pluginOf(NetworkPlugin.hostDevice({ device: 'ens6' })).config).toEqual({ type: 'host-device', device: 'ens6' });
    });

    test('sriov: the NAD carries the resourceName annotation', () => {
      const { info, config, nad } = pluginOf(NetworkPlugin.sriov({ resourceName: 'intel.com/sriov_netdevice', vlan: 100, spoofchk: SriovToggle.OFF }));
      expect(info).toEqual({ type: 'sriov', vlan: 100, resourceName: 'intel.com/sriov_netdevice' });
      expect(config).toEqual({ type: 'sriov', vlan: 100, spoofchk: 'off' });
      expect(nad.annotations).toEqual({ [RESOURCE_NAME_ANNOTATION]: 'intel.com/sriov_netdevice' });
    });

    test('ovs', () => {
      expect(pluginOf(NetworkPlugin.ovs({ bridge: 'br-ovs', vlan: 10 })).config).toEqual({ type: 'ovs', bridge: 'br-ovs', vlan: 10 });
    });
  });

  test('is a construct that can live in any scope', () => {
    const c = chart();
    const group = new Construct(c, 'Group');
    const net = new Network(group, 'Inner', { plugin: MACVLAN(), namespaces: ['x'] });
    expect(net.nadFor('x').node.path).toBe('test/Group/Inner/x');
  });
});

describe('Network: every NAD shape real deployments use (issue 14)', () => {
  describe('format', () => {
    test('a single-plugin config: the plugin object with cniVersion and name, no plugins list', () => {
      const c = chart('core');
      const net = new Network(c, 'Lan', { plugin: NetworkPlugin.macvlan({ uplink: 'eth0' }), subnets: ['10.1.0.0/24'], format: ConfigFormat.SINGLE, cniVersion: CniVersion.V0_3_1 });
      net.nadFor('core');
      expect(net.format).toBe(ConfigFormat.SINGLE);
      expect(nads(c)[0].config).toEqual({
        cniVersion: '0.3.1', name: 'lan', type: 'macvlan', master: 'eth0',
        ipam: { type: 'host-local', ranges: [[{ subnet: '10.1.0.0/24', gateway: '10.1.0.1' }]] },
      });
    });

    test('the default stays a plugin list', () => {
      const c = chart('core');
      new Network(c, 'Lan', { plugin: MACVLAN(), namespaces: ['core'] });
      expect(Object.keys(nads(c)[0].config)).toEqual(['cniVersion', 'name', 'plugins']);
    });

    test('fails on a single-plugin config with a chain, or with disableCheck', () => {
      expect(() => new Network(chart(), 'A', { plugin: MACVLAN(), format: ConfigFormat.SINGLE, chain: () => [new TuningPlugin({})] })).toThrow(
        /^Network test\/A: 'format' is a single-plugin config, which cannot hold the chained plugins of chain\(\): got "single"; use ConfigFormat\.LIST to chain plugins, or remove chain$/,
      );
      expect(() => new Network(chart(), 'A', { plugin: MACVLAN(), format: ConfigFormat.SINGLE, disableCheck: true })).toThrow(
        /^Network test\/A: 'disableCheck' is only read in plugin lists, and format is a single-plugin config: got true; use ConfigFormat\.LIST, or remove disableCheck$/,
      );
      expect(() => new Network(chart(), 'A', { plugin: MACVLAN(), format: 'conf' as any })).toThrow(/^Network test\/A: 'format' must be one of "list", "single": got "conf"; use a value of ConfigFormat/);
    });
  });

  describe('disableCheck', () => {
    const L2_BRIDGE = () => NetworkPlugin.bridge({ bridge: 'br1' });

    test('written only where CHECK exists: a layer-2 bridge at 1.0.0 gets true, at 0.3.1 nothing', () => {
      const c = chart();
      new Network(c, 'New', { plugin: L2_BRIDGE(), namespaces: ['x'] });
      new Network(c, 'Old', { plugin: L2_BRIDGE(), namespaces: ['x'], cniVersion: CniVersion.V0_3_1 });
      const [fresh, old] = nads(c);
      expect(fresh.config.disableCheck).toBe(true);
      expect(old.config).toEqual({ cniVersion: '0.3.1', name: 'old', plugins: [{ type: 'bridge', bridge: 'br1' }] });
    });

    test('settable: false keeps CHECK on, true is written as given', () => {
      const c = chart();
      new Network(c, 'Off', { plugin: L2_BRIDGE(), namespaces: ['x'], disableCheck: false });
      new Network(c, 'On', { plugin: MACVLAN(), namespaces: ['x'], disableCheck: true });
      const [off, on] = nads(c);
      expect(off.config.disableCheck).toBe(false);
      expect(on.config.disableCheck).toBe(true);
    });
  });

  describe('capabilities', () => {
    test('mac on the interface plugin, written only when asked', () => {
      const c = chart();
      const withMac = new Network(c, 'Access', { plugin: NetworkPlugin.bridge({ bridge: 'access-br' }), subnets: ['192.168.252.0/24'], capabilities: [CniCapability.MAC], namespaces: ['x'] });
      new Network(c, 'Plain', { plugin: NetworkPlugin.bridge({ bridge: 'core-br' }), subnets: ['192.168.250.0/24'], namespaces: ['x'] });
      const [a, b] = nads(c);
      expect(withMac.capabilities).toEqual([CniCapability.MAC]);
      expect(a.config.plugins[0].capabilities).toEqual({ mac: true });
      expect(b.config.plugins[0]).not.toHaveProperty('capabilities');
    });

    test('static IPAM keeps its ips; more capabilities join it in a stable order', () => {
      const c = chart();
      new Network(c, 'S', { plugin: MACVLAN(), subnets: ['10.1.0.0/24'], ipam: IpamMode.STATIC, capabilities: [CniCapability.MAC], namespaces: ['x'] });
      expect(nads(c)[0].config.plugins[0].capabilities).toEqual({ ips: true, mac: true });
    });

    test('fails on a capability the plugin and its IPAM do not read, and on a repeat', () => {
      expect(() => new Network(chart(), 'A', { plugin: NetworkPlugin.ipvlan({ uplink: 'eth0' }), subnets: ['10.1.0.0/24'], capabilities: [CniCapability.MAC] })).toThrow(
        /^Network test\/A: 'capabilities\[0\]' is not read by ipvlan or its host-local IPAM, so Multus would pass it to no one: got "mac"; declare it on bridge, macvlan, tap, sriov or a chained tuning plugin$/,
      );
      expect(() => new Network(chart(), 'A', { plugin: MACVLAN(), capabilities: [CniCapability.MAC, CniCapability.MAC] })).toThrow(
        /'capabilities\[1\]' repeats a capability: got "mac"; list each capability once/,
      );
      expect(() => new Network(chart(), 'A', { plugin: MACVLAN(), capabilities: ['MAC'] as any })).toThrow(/'capabilities\[0\]' must be one of "ips", "mac", .*: got "MAC"; use a value of CniCapability/);
    });
  });

  describe('resourceName', () => {
    test('any device-plugin network: on the Network, or on the ovs, host-device and macvlan factories', () => {
      const c = chart();
      new Network(c, 'Ovs', { plugin: NetworkPlugin.ovs({ bridge: 'br1' }), resourceName: 'ovs-cni.network.kubevirt.io/br1', namespaces: ['x'] });
      new Network(c, 'Dev', { plugin: NetworkPlugin.hostDevice({ resourceName: 'nvidia.com/hostdev' }), namespaces: ['x'] });
      const rdma = new Network(c, 'Rdma', { plugin: NetworkPlugin.macvlan({ uplink: 'ens2f0', resourceName: 'rdma/rdma_shared_device_a' }), subnets: ['192.168.2.0/24'], namespaces: ['x'] });
      new Network(c, 'Ovs2', { plugin: NetworkPlugin.ovs({ bridge: 'br2', resourceName: 'ovs-cni.network.kubevirt.io/br2' }), namespaces: ['x'] });
      expect(nads(c).map((n) => n.annotations?.[RESOURCE_NAME_ANNOTATION])).toEqual([
        'ovs-cni.network.kubevirt.io/br1', 'nvidia.com/hostdev', 'rdma/rdma_shared_device_a', 'ovs-cni.network.kubevirt.io/br2',
      ]);
      // host-device without a named device takes the device Multus writes from the resourceName: no capability
      expect(nads(c)[1].config.plugins[0]).toEqual({ type: 'host-device' });
      expect(rdma.resourceName).toBe('rdma/rdma_shared_device_a');
      expect(rdma.plugin.resourceName).toBe('rdma/rdma_shared_device_a');
    });

    test('fails on a resource that differs from the plugin\'s, or is not an extended resource name', () => {
      expect(() => new Network(chart(), 'A', { plugin: NetworkPlugin.sriov({ resourceName: 'intel.com/a' }), resourceName: 'intel.com/b' })).toThrow(
        /^Network test\/A: 'resourceName' differs from the plugin's resourceName "intel\.com\/a": got "intel\.com\/b"; give the resource once, on the plugin or on the network$/,
      );
      expect(() => new Network(chart(), 'A', { plugin: MACVLAN(), resourceName: 'no slash' })).toThrow(
        /'resourceName' is not an extended resource name: got "no slash"; write vendor-domain\/resource/,
      );
      expect(() => NetworkPlugin.ovs({ bridge: 'br1', resourceName: 7 } as any)).toThrow(/'resourceName'/);
    });
  });

  describe('one segment under several NAD names (one copy per chart)', () => {
    test('addNad: NADs under other names and namespaces, all of one network', () => {
      const c = chart();
      const n2 = new Network(c, 'N2', { plugin: NetworkPlugin.ipvlan({ uplink: 'eth0' }), subnets: ['10.100.50.248/29'], gateways: ['10.100.50.254'], ipam: IpamMode.STATIC, cniVersion: CniVersion.V0_3_1 });
      const amf = n2.addNad('Amf', { name: 'n2network-free5gc-helm-free5gc-amf', namespace: 'free5gc' });
      const gnb = n2.addNad('Gnb', { name: 'n2network-ueransim', namespace: 'free5gc' });
      const shared = n2.nadFor('other');
      expect(n2.attachments).toEqual([amf, gnb, shared]);
      for (const nad of [amf, gnb, shared]) expect(Network.of(nad)).toBe(n2);
      const out = nads(c);
      expect(out.map((n) => `${n.namespace}/${n.name}`)).toEqual(['free5gc/n2network-free5gc-helm-free5gc-amf', 'free5gc/n2network-ueransim', 'other/n2']);
      // the same config under each name (the name is the NAD's)
      expect(out[0].config).toEqual({
        cniVersion: '0.3.1', name: 'n2network-free5gc-helm-free5gc-amf',
        plugins: [{ type: 'ipvlan', master: 'eth0', capabilities: { ips: true }, ipam: { type: 'static' } }],
      });
      expect({ ...out[1].config, name: undefined }).toEqual({ ...out[0].config, name: undefined });
    });

    test('host-local copies keep the network\'s CNI name (one allocation store per segment); other IPAMs the NAD\'s', () => {
      const c = chart('core');
      const data = new Network(c, 'Data', { plugin: NetworkPlugin.bridge({ bridge: 'br-data' }), subnets: ['10.1.0.0/24'] });
      data.nadFor('core');
      data.addNad('Copy', { name: 'data-copy' });
      data.addNad('Baked', { name: 'data-upf', addresses: ['10.1.0.9'] });
      const pool = new Network(c, 'Pool', { plugin: NetworkPlugin.bridge({ bridge: 'br-pool' }), subnets: ['10.2.0.0/24'], ipam: IpamMode.WHEREABOUTS });
      pool.addNad('Copy', { name: 'pool-copy' });
      const byName = Object.fromEntries(nads(c).map((n) => [n.name, n.config]));
      // host-local keeps allocations in <dataDir>/<CNI name>: the copy draws from the network's store
      expect(byName['data-copy'].name).toBe('data');
      expect(byName['data-copy'].plugins[0].ipam).toEqual(byName.data.plugins[0].ipam);
      // a baked copy carries static addresses: no store, its own name
      expect(byName['data-upf'].name).toBe('data-upf');
      expect(byName['data-upf'].plugins[0].ipam.type).toBe('static');
      // whereabouts keys its pools by range, not by CNI name: the NAD's name is kept
      expect(byName['pool-copy'].name).toBe('pool-copy');
      // and the copy of a host-local network is no longer two stores on one segment
      const fnA = new kplus.Deployment(c, 'A', { containers: [{ image: 'x' }] });
      const fnB = new kplus.Deployment(c, 'B', { containers: [{ image: 'x' }] });
      PodNetworks.of(fnA).attach(data);
      PodNetworks.of(fnB).attach(data.attachments[1]);
      expect(() => Testing.synth(c)).not.toThrow();
    });

    test('the name defaults to the network\'s, the namespace to the chart\'s', () => {
      const c = chart('core');
      const net = new Network(c, 'Data', { plugin: MACVLAN() });
      const nad = net.addNad('Here');
      expect(nad.name).toBe('data');
      expect(nad.namespace).toBe('core');
      // nadFor in that namespace finds it instead of writing a second NAD of the same name
      expect(net.nadFor('core')).toBe(nad);
      expect(nads(c)).toHaveLength(1);
    });

    test('fails on a second NAD of one name in one namespace, and on names that are not labels', () => {
      const net = new Network(chart(), 'Data', { plugin: MACVLAN() });
      net.addNad('A', { name: 'copy', namespace: 'x' });
      expect(() => net.addNad('B', { name: 'copy', namespace: 'x' })).toThrow(
        /^Network test\/Data: 'name' is already a NAD of this network in namespace x \(test\/Data\/A\): got "copy"; give each NAD of a namespace its own name$/,
      );
      // refused before anything is added to the tree
      expect(net.node.tryFindChild('B')).toBeUndefined();
      expect(net.attachments.map((n) => n.name)).toEqual(['copy']);
      expect(() => net.addNad('C', { name: 'Copy_1' })).toThrow(/^Network test\/Data addNad C: 'name' is not a DNS-1123 label: got "Copy_1"/);
      expect(() => net.addNad('D', { namespace: 'X' })).toThrow(/'namespace' is not a DNS-1123 label of at most 63 characters: got "X"/);
      expect(() => net.addNad('F', 'copy' as any)).toThrow(/^Network test\/Data addNad F: 'options' must be an object literal \{ \.\.\. \}: got "copy"; pass the options as an object, not a string$/);
      expect(() => net.addNad(undefined as any)).toThrow(/^Network test\/Data addNad: 'id' is required: got nothing; give the construct id of the NAD/);
      expect(() => net.addNad('G', { addresses: '10.0.0.1' } as any)).toThrow(/'addresses' must be a list, each item a non-empty string: got "10\.0\.0\.1"/);
      expect(() => net.addNad('E', { ips: ['10.0.0.1/24'] } as any)).toThrow(/'ips' is not a prop of NetworkNadOptions: got \["10\.0\.0\.1\/24"\]; write it as 'addresses' \(baked into the NAD\)/);
    });
  });

  describe('baked addresses (one NAD per function interface)', () => {
    const N3 = (c: Chart, props: Partial<ConstructorParameters<typeof Network>[2]> = {}, id = 'N3') => new Network(c, id, {
      plugin: NetworkPlugin.ipvlan({ uplink: 'eth0' }), subnets: ['10.100.50.232/29'], gateways: ['10.100.50.238'],
      ipam: IpamMode.STATIC, routes: [{ dst: '0.0.0.0/0', gw: '10.100.50.238' }], cniVersion: CniVersion.V0_3_1, ...props,
    });

    test('static IPAM with the addresses, the network\'s gateway and routes; no ips capability needed', () => {
      const c = chart('free5gc');
      const net = N3(c);
      const nad = net.addNad('UpfN3', { name: 'upf-n3', addresses: ['10.100.50.233/29'] });
      expect(Network.of(nad)).toBe(net);
      expect(nads(c)[0].config).toEqual({
        cniVersion: '0.3.1', name: 'upf-n3',
        plugins: [{
          type: 'ipvlan', master: 'eth0',
          ipam: { type: 'static', addresses: [{ address: '10.100.50.233/29', gateway: '10.100.50.238' }], routes: [{ dst: '0.0.0.0/0', gw: '10.100.50.238' }] },
        }],
      });
    });

    test('the addresses are readable from the NAD\'s config (what the whole-topology checks and lint read)', () => {
      const c = chart('free5gc');
      const nad = N3(c).addNad('UpfN3', { addresses: ['10.100.50.233', '10.100.50.236/32'] });
      const addressing = nad.config!.main.ipam!.addressing();
      expect(addressing.staticAddresses.map((a) => `${a.address}${a.gateway ? ` via ${a.gateway}` : ''}`)).toEqual(['10.100.50.233/29 via 10.100.50.238', '10.100.50.236/32']);
    });

    test('a bare address takes the subnet\'s prefix; a host route of its own goes after the network\'s', () => {
      const c = chart('x');
      new Network(c, 'Lan', { plugin: MACVLAN(), subnets: ['10.1.0.0/24', 'fd00:1::/64'] })
        .addNad('F1', { name: 'lan-f1', addresses: ['10.1.0.10', 'fd00:1::10'], routes: [{ dst: '192.0.2.10/32' }] });
      expect(nads(c)[0].config.plugins[0].ipam).toEqual({
        type: 'static',
        addresses: [{ address: '10.1.0.10/24', gateway: '10.1.0.1' }, { address: 'fd00:1::10/64', gateway: 'fd00:1::1' }],
        routes: [{ dst: '192.0.2.10/32' }],
      });
    });

    test('secondary addresses with their own prefix: a /32 inside the /24, a /32 and a /128 outside it', () => {
      const c = chart('x');
      new Network(c, 'Lan', { plugin: MACVLAN(), subnets: ['10.1.0.0/24', 'fd00:1::/64'] })
        .addNad('F1', { addresses: ['10.1.0.10/24', '10.1.0.200/32', '198.51.100.7/32', 'fd00:99::1/128'] });
      expect(nads(c)[0].config.plugins[0].ipam.addresses).toEqual([
        { address: '10.1.0.10/24', gateway: '10.1.0.1' }, { address: '10.1.0.200/32' }, { address: '198.51.100.7/32' }, { address: 'fd00:99::1/128' },
      ]);
    });

    test('the static network\'s ips capability stays on the shared NAD, and is declared on a baked one only when asked', () => {
      const c = chart('free5gc');
      const net = N3(c);
      net.addNad('Baked', { name: 'baked', addresses: ['10.100.50.233/29'] });
      net.nadFor('free5gc');
      const withIps = N3(c, { name: 'n3b', capabilities: [CniCapability.IPS] }, 'N3b');
      withIps.addNad('Baked', { name: 'baked-ips', addresses: ['10.100.50.234/29'] });
      expect(nads(c).map((n) => n.config.plugins[0].capabilities)).toEqual([undefined, { ips: true }, { ips: true }]);
    });

    test('fails on addresses outside the subnets (unless a host address), wider than the subnet, or the gateway', () => {
      const net = N3(chart('x'));
      const err = (addresses: string[]) => { try { net.addNad('Bad', { addresses }); } catch (e) { return (e as Error).message; } return 'no error'; };
      expect(err(['10.100.60.1'])).toBe("Network test/N3 addNad Bad: 'addresses[0]' is outside the subnets of the network (10.100.50.232/29): got \"10.100.60.1\"; write it with its own prefix (e.g. 10.100.60.1/32) for a secondary address, or pick one inside the subnet");
      expect(err(['10.100.60.1/29'])).toBe("Network test/N3 addNad Bad: 'addresses[0]' is outside the subnets of the network (10.100.50.232/29): got \"10.100.60.1/29\"; pick an address inside the subnet, or write a secondary address with its own host prefix (10.100.60.1/32)");
      expect(err(['10.100.50.233/24'])).toBe("Network test/N3 addNad Bad: 'addresses[0]' has a prefix wider than the network's subnet 10.100.50.232/29: got \"10.100.50.233/24\"; write it as 10.100.50.233/29, or narrower (e.g. /32)");
      expect(err(['10.100.50.238'])).toBe("Network test/N3 addNad Bad: 'addresses[0]' is the gateway of the network: got \"10.100.50.238\"; pick an address other than the gateway");
      expect(err(['10.100.50.232'])).toBe("Network test/N3 addNad Bad: 'addresses[0].address' is the network address of 10.100.50.232/29: got \"10.100.50.232/29\"; pick a host address");
      expect(err(['10.100.50.233', '10.100.50.233/29'])).toBe("Network test/N3 addNad Bad: 'addresses[1].address' repeats the address of addresses[0]: got \"10.100.50.233/29\"; give each entry its own address");
      expect(err(['x'])).toBe("Network test/N3 addNad Bad: 'addresses[0]' is not an address, with or without its prefix: got \"x\"; write an address such as 10.3.0.5 or 10.3.0.5/24");
      expect(err([])).toBe("Network test/N3 addNad Bad: 'addresses' is empty: got []; give at least one address, or leave addresses out to use the network's IPAM");
    });

    test('fails on addresses for a network without subnets, and on routes without addresses', () => {
      expect(() => new Network(chart(), 'L2', { plugin: MACVLAN() }).addNad('A', { addresses: ['10.0.0.1/24'] })).toThrow(
        /^Network test\/L2 addNad A: 'addresses' cannot be baked into a network with none IPAM, which has no subnets: got \["10\.0\.0\.1\/24"\]; give the network subnets/,
      );
      expect(() => new Network(chart(), 'D', { plugin: MACVLAN(), ipam: IpamMode.DHCP }).addNad('A', { addresses: ['10.0.0.1/24'] })).toThrow(/with dhcp IPAM/);
      expect(() => new Network(chart(), 'R', { plugin: MACVLAN(), subnets: ['10.0.0.0/24'] }).addNad('A', { routes: [{ dst: '10.9.0.0/16' }] })).toThrow(
        /'routes' are only written with baked addresses \(the network's own routes go into its IPAM\): got \[\{"dst":"10\.9\.0\.0\/16"\}\]; give addresses too, or put the routes on the network/,
      );
    });

    test('nadFor does not hand out a NAD with baked addresses as the shared NAD of a namespace', () => {
      const net = new Network(chart(), 'Lan', { plugin: MACVLAN(), subnets: ['10.1.0.0/24'] });
      net.addNad('F1', { namespace: 'core', addresses: ['10.1.0.10'] });
      expect(() => net.nadFor('core')).toThrow(
        /^Network test\/Lan nadFor: 'namespace' already holds the NAD lan of this network with addresses baked in \(test\/Lan\/F1\), which is not the shared NAD: got "core"; give the NAD with baked addresses its own name in addNad, or attach that NAD itself$/,
      );
    });
  });

  test('every NAD of a network is an attach target that names itself; the network resolves per pod namespace', () => {
    const c = chart();
    const net = new Network(c, 'Lan', { plugin: MACVLAN(), subnets: ['10.1.0.0/24'], resourceName: 'example.com/nic' });
    const ref = net.networkReference('ran');
    expect(ref).toMatchObject({ name: 'lan', namespace: 'ran', resourceName: 'example.com/nic', gateways: ['10.1.0.1'], perNamespace: true });
    expect(ref.config).toBe(net.nadFor('ran').config);
    const copy = net.addNad('Copy', { name: 'lan-copy', namespace: 'core' });
    expect(copy.networkReference('elsewhere')).toEqual({ name: 'lan-copy', namespace: 'core', config: copy.config, resourceName: 'example.com/nic' });
  });
});

describe('the NADs of one network are one address space for the whole-topology check', () => {
  function setup(): { c: Chart; net: Network; deployment: (id: string) => kplus.Deployment } {
    const c = chart('core');
    const net = new Network(c, 'N3', { plugin: NetworkPlugin.ipvlan({ uplink: 'eth0' }), subnets: ['10.1.0.0/24'], gateways: ['10.1.0.254'], ipam: IpamMode.STATIC, cniVersion: CniVersion.V0_3_1 });
    const deployment = (id: string) => new kplus.Deployment(c, id, { replicas: 1, containers: [{ name: 'app', image: 'registry.example.com/app:1.0' }] });
    return { c, net, deployment };
  }
  const synthError = (c: Chart) => { try { Testing.synth(c); return undefined; } catch (e) { return (e as Error).message; } };

  test('a baked address is claimed by each pod that uses the NAD: two workloads on one baked NAD fail', () => {
    const { c, net, deployment } = setup();
    const nad = net.addNad('F', { name: 'f-n3', addresses: ['10.1.0.5'] });
    PodNetworks.of(deployment('A')).attach(nad);
    PodNetworks.of(deployment('B')).attach(nad);
    expect(synthError(c)).toContain("[test/B] 'attachments[0].name' is a network with the address 10.1.0.5/24 in its config, which test/A (net1) uses already: got \"f-n3\"");
  });

  test('the same address baked into two NADs of one network fails, whatever their names', () => {
    const { c, net, deployment } = setup();
    PodNetworks.of(deployment('A')).attach(net.addNad('F', { name: 'f-n3', addresses: ['10.1.0.5'] }));
    PodNetworks.of(deployment('B')).attach(net.addNad('G', { name: 'g-n3', addresses: ['10.1.0.5/24'] }));
    expect(synthError(c)).toContain("[test/B] 'attachments[0].name' is a network with the address 10.1.0.5/24 in its config, which test/A (net1) uses already: got \"g-n3\"");
  });

  test('per-chart copies under other names: an address requested on one copy is taken on the other', () => {
    const { c, net, deployment } = setup();
    PodNetworks.of(deployment('A')).attach(net.addNad('X', { name: 'x-n3' }), { ips: ['10.1.0.7/24'] });
    PodNetworks.of(deployment('B')).attach(net.addNad('Y', { name: 'y-n3' }), { ips: ['10.1.0.7/24'] });
    expect(synthError(c)).toContain("[test/B] 'attachments[0].ips[0]' is already used on y-n3 by test/A (net1): got \"10.1.0.7/24\"; give every attachment of a network its own address");
  });

  test('a baked address and a requested one collide across copies', () => {
    const { c, net, deployment } = setup();
    PodNetworks.of(deployment('A')).attach(net.addNad('X', { name: 'x-n3', addresses: ['10.1.0.9'] }));
    PodNetworks.of(deployment('B')).attach(net.addNad('Y', { name: 'y-n3' }), { ips: ['10.1.0.9/24'] });
    expect(synthError(c)).toContain("'attachments[0].ips[0]' is already used on y-n3 by test/A (net1): got \"10.1.0.9/24\"");
  });

  test('distinct addresses on copies and baked NADs pass, secondary /32 addresses included', () => {
    const { c, net, deployment } = setup();
    PodNetworks.of(deployment('A')).attach(net.addNad('X', { name: 'x-n3', addresses: ['10.1.0.9', '10.1.0.200/32', '192.0.2.1/32'] }));
    PodNetworks.of(deployment('B')).attach(net.addNad('Y', { name: 'y-n3' }), { ips: ['10.1.0.10/24'] });
    expect(synthError(c)).toBeUndefined();
  });

  test('a /32 secondary address requested through ips on a /24 network passes the constructs and lint; a wider prefix fails (the same model check serves lint)', () => {
    const { c, net, deployment } = setup();
    PodNetworks.of(deployment('A')).attach(net.addNad('X', { name: 'x-n3' }), { ips: ['10.1.0.200/32'] });
    expect(synthError(c)).toBeUndefined();
    const objects = Testing.synth(c);
    expect(objects.find((o) => o.kind === 'Deployment').spec.template.metadata.annotations[NETWORKS_ANNOTATION]).toContain('"ips":["10.1.0.200/32"]');
    expect(lintObjects(objects.map((object, index) => ({ file: 'out.yaml', index, object }))).findings.filter((f) => f.severity === Severity.ERROR)).toEqual([]);
    const wide = setup();
    PodNetworks.of(wide.deployment('A')).attach(wide.net.addNad('X', { name: 'x-n3' }), { ips: ['10.1.0.200/23'] });
    const message = "'attachments[0].ips[0]' has prefix /23 but the subnet is 10.1.0.0/24: got \"10.1.0.200/23\"; write it as 10.1.0.200/24";
    expect(synthError(wide.c)).toContain(message);
  });
});

test('Network.of answers for a NAD made by another copy of the library (a symbol on the NAD, not a module-local map)', () => {
  const c = chart('core');
  let other: typeof import('../lib/network') | undefined;
  jest.isolateModules(() => { other = require('../lib/network'); });
  expect(other!.Network).not.toBe(Network);
  const net = new other!.Network(c, 'Copy', { plugin: other!.NetworkPlugin.macvlan({ uplink: 'eth0' }) });
  const nad = net.nadFor('core');
  expect(Network.of(nad as any)).toBe(net);
  expect(Network.of(new Construct(c, 'Plain') as any)).toBeUndefined();
});

describe('Network.configFor: the config without a NAD (renderings that carry it themselves)', () => {
  test('builds the network\'s config and adds nothing to the tree; nadFor later carries that same config', () => {
    const c = chart();
    const net = new Network(c, 'N3', { plugin: MACVLAN(), subnets: ['10.1.0.0/24'], ipam: IpamMode.STATIC });
    const config = net.configFor('core');
    expect(config.toJson({ name: 'n3' })).toEqual({
      cniVersion: '1.0.0', name: 'n3', plugins: [{ type: 'macvlan', master: 'eth1', capabilities: { ips: true }, ipam: { type: 'static' } }],
    });
    expect(net.configFor('core')).toBe(config);
    expect(nads(c)).toEqual([]);
    expect(net.attachments).toEqual([]);
    config.ensureCapability(CniCapability.MAC);
    const nad = net.nadFor('core');
    expect(nad.config).toBe(config);
    expect(net.configFor('core')).toBe(config);
    expect(nads(c).map((n) => [n.namespace, n.config.plugins[0].capabilities])).toEqual([['core', { ips: true, mac: true }]]);
    // another namespace gets a config of its own
    expect(net.configFor('edge')).not.toBe(config);
  });

  test('fails on a namespace that is not a DNS-1123 label', () => {
    expect(() => new Network(chart(), 'N3', { plugin: MACVLAN() }).configFor('Core_1')).toThrow(
      "Network test/N3 configFor: 'namespace' is not a DNS-1123 label of at most 63 characters: got \"Core_1\"; use a valid namespace name (lowercase letters, digits and \"-\")");
  });
});
