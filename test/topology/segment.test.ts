import { CniCapability } from '../../lib/cni/common';
import { CniConfig } from '../../lib/cni/config';
import { HostLocalIpam } from '../../lib/cni/ipam/host-local';
import { BridgePlugin } from '../../lib/cni/plugins/bridge';
import { MacvlanPlugin } from '../../lib/cni/plugins/macvlan';
import { PtpPlugin } from '../../lib/cni/plugins/ptp';
import { segmentOfConfig, segmentOfPlugin } from '../../lib/topology/segment';

describe('segmentOfPlugin: the wire a config names, whatever the NAD is called', () => {
  test.each([
    [{ type: 'bridge', bridge: 'br-seg' }, 'bridge br-seg'],
    [{ type: 'bridge', bridge: 'br-seg', vlan: 100 }, 'bridge br-seg.100'],
    [{ type: 'bridge' }, 'bridge cni0'],
    [{ type: 'ovs', bridge: 'br1', vlan: 100 }, 'ovs br1.100'],
    [{ type: 'ovs' }, undefined],
    [{ type: 'macvlan', master: 'eth1' }, 'uplink eth1'],
    [{ type: 'ipvlan', master: 'eth1' }, 'uplink eth1'],
    [{ type: 'macvlan' }, undefined],
    [{ type: 'vlan', master: 'eth1', vlanId: 7 }, 'uplink eth1.7'],
    [{ type: 'vlan', master: 'eth1' }, undefined],
    [{ type: 'host-device', device: 'eth3' }, 'uplink eth3'],
    [{ type: 'ptp' }, undefined],
    [{ type: 42 }, undefined],
  ] as [Record<string, unknown>, string | undefined][])('%j -> %s', (plugin, segment) => {
    expect(segmentOfPlugin(plugin)).toBe(segment);
  });

  test('nothing for no plugin', () => {
    expect(segmentOfPlugin(undefined)).toBeUndefined();
  });
});

describe('segmentOfConfig: the same definition on the typed model', () => {
  test('the main plugin of a typed config', () => {
    expect(segmentOfConfig(CniConfig.list([new BridgePlugin({ bridge: 'br-n3', vlan: 3, ipam: HostLocalIpam.subnet('10.3.0.0/24') })]))).toBe('bridge br-n3.3');
    expect(segmentOfConfig(CniConfig.list([new MacvlanPlugin({ master: 'ens5', ipam: HostLocalIpam.subnet('10.3.0.0/24'), capabilities: [CniCapability.MAC] })]))).toBe('uplink ens5');
    expect(segmentOfConfig(CniConfig.list([new PtpPlugin({ ipam: HostLocalIpam.subnet('10.3.0.0/24') })]))).toBeUndefined();
    expect(segmentOfConfig(undefined)).toBeUndefined();
  });
});
