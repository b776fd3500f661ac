import * as cni from '../../lib/cni';
import { ipamSpec, knownIpamTypes, knownPluginTypes, pluginSpec } from '../../lib/cni/registry';

const PLUGINS = [
  cni.BandwidthPlugin, cni.BondPlugin, cni.BridgePlugin, cni.DummyPlugin, cni.FirewallPlugin, cni.HostDevicePlugin, cni.IpvlanPlugin,
  cni.LoopbackPlugin, cni.MacvlanPlugin, cni.OvsPlugin, cni.PortmapPlugin, cni.PtpPlugin, cni.RouteOverridePlugin, cni.SbrPlugin,
  cni.SriovPlugin, cni.TapPlugin, cni.TuningPlugin, cni.VlanPlugin, cni.VrfPlugin,
];
const IPAMS = [cni.DhcpIpam, cni.HostLocalIpam, cni.StaticIpam, cni.WhereaboutsIpam];

describe('registry', () => {
  test('every plugin of the model is registered under its type, sorted', () => {
    expect(knownPluginTypes()).toEqual([
      'bandwidth', 'bond', 'bridge', 'dummy', 'firewall', 'host-device', 'ipvlan', 'loopback', 'macvlan', 'ovs', 'portmap', 'ptp',
      'route-override', 'sbr', 'sriov', 'tap', 'tuning', 'vlan', 'vrf',
    ]);
    for (const P of PLUGINS) expect(pluginSpec(P.SPEC.type)).toBe(P.SPEC);
  });

  test('every IPAM of the model is registered under its type, sorted', () => {
    expect(knownIpamTypes()).toEqual(['dhcp', 'host-local', 'static', 'whereabouts']);
    for (const I of IPAMS) expect(ipamSpec(I.SPEC.type)).toBe(I.SPEC);
  });

  test('unknown types are not found; plugin and IPAM namespaces are separate', () => {
    expect(pluginSpec('ib-sriov')).toBeUndefined();
    expect(ipamSpec('nv-ipam')).toBeUndefined();
    expect(pluginSpec('host-local')).toBeUndefined();
    expect(ipamSpec('macvlan')).toBeUndefined();
  });

  test('each registered spec builds an instance of its own type', () => {
    const mv = pluginSpec('macvlan')!.create({ master: 'eth1' });
    expect(mv).toBeInstanceOf(cni.MacvlanPlugin);
    expect(mv.toJson()).toEqual({ type: 'macvlan', master: 'eth1' });
  });
});
