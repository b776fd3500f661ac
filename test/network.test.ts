import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { IpFamily } from '../lib/addressing/ip';
import { CniCapability } from '../lib/cni/common';
import { CniVersion } from '../lib/cni/cni-version';
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
      expect(nads(c)[0].config.plugins).toEqual([{ type: 'macvlan', master: 'eth1', mode: 'bridge' }]);
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
          type: 'macvlan', master: 'eth1', mode: 'bridge',
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

    test('ipvlan defaults to l2', () => {
      expect(pluginOf(NetworkPlugin.ipvlan({ uplink: 'ens4' }), ['10.1.0.0/24']).config).toMatchObject({ type: 'ipvlan', master: 'ens4', mode: 'l2' });
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
