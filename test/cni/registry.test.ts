import * as cni from '../../lib/cni';
import { ipamSpec, knownIpamTypes, knownPluginTypes, pluginSpec } from '../../lib/cni/registry';

const PLUGINS = [
  cni.BandwidthPlugin, cni.BondPlugin, cni.BridgePlugin, cni.DummyPlugin, cni.FirewallPlugin, cni.HostDevicePlugin, cni.IpvlanPlugin,
  cni.LoopbackPlugin, cni.MacvlanPlugin, cni.OvsPlugin, cni.PortmapPlugin, cni.PtpPlugin, cni.RouteOverridePlugin, cni.SbrPlugin,
  cni.SriovPlugin, cni.TapPlugin, cni.TuningPlugin, cni.VlanPlugin, cni.VrfPlugin,
];
const IPAMS = [cni.DhcpIpam, cni.HostLocalIpam, cni.StaticIpam, cni.WhereaboutsIpam];

describe('registry', () => {
  // the reference plugins and IPAMs; third-party ones (antrea, kube-ovn, nv-ipam, ...) register too
  test('every plugin of the model is registered under its type; the list is sorted and without repeats', () => {
    const known = knownPluginTypes();
    expect(known).toEqual(expect.arrayContaining([
      'bandwidth', 'bond', 'bridge', 'dummy', 'firewall', 'host-device', 'ipvlan', 'loopback', 'macvlan', 'ovs', 'portmap', 'ptp',
      'route-override', 'sbr', 'sriov', 'tap', 'tuning', 'vlan', 'vrf',
    ]));
    expect(known).toEqual([...new Set(known)].sort());
    for (const P of PLUGINS) expect(pluginSpec(P.SPEC.type)).toBe(P.SPEC);
  });

  test('every IPAM of the model is registered under its type; the list is sorted and without repeats', () => {
    const known = knownIpamTypes();
    expect(known).toEqual(expect.arrayContaining(['dhcp', 'host-local', 'static', 'whereabouts']));
    expect(known).toEqual([...new Set(known)].sort());
    for (const I of IPAMS) expect(ipamSpec(I.SPEC.type)).toBe(I.SPEC);
  });

  test('unknown types are not found; plugin and IPAM namespaces are separate', () => {
    expect(pluginSpec('acme-cni')).toBeUndefined();
    expect(ipamSpec('acme-ipam')).toBeUndefined();
    expect(pluginSpec('host-local')).toBeUndefined();
    expect(ipamSpec('macvlan')).toBeUndefined();
  });

  test('each registered spec builds an instance of its own type', () => {
    const mv = pluginSpec('macvlan')!.create({ master: 'eth1' });
    expect(mv).toBeInstanceOf(cni.MacvlanPlugin);
    expect(mv.toJson()).toEqual({ type: 'macvlan', master: 'eth1' });
  });
});
