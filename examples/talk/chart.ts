import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import {
  BridgePlugin,
  CniConfig,
  HostLocalIpam,
  IpvlanMode,
  IpvlanPlugin,
  MacvlanMode,
  MacvlanPlugin,
  NetworkAttachmentDefinition,
  PluginsProfile,
} from '../../lib';
import { PreinstalledCniPlugins } from '../../lib/installers';

/**
 * The three networks of the talk this project starts from: a Linux bridge `lan01`, a macvlan
 * network on the node's `eth0`, and an ipvlan network on `eth0` with host-local IPAM on
 * 10.10.10.0/24.
 */
export class TalkChart extends Chart {
  public readonly lan01: NetworkAttachmentDefinition;
  public readonly macvlan: NetworkAttachmentDefinition;
  public readonly ipvlan: NetworkAttachmentDefinition;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);

    // the nodes run Debian's containernetworking-plugins 1.1.1 (no installer DaemonSet in this chart)
    PreinstalledCniPlugins.fromProfile(this, 'NodePlugins', PluginsProfile.DEBIAN_1_1_1);

    this.lan01 = new NetworkAttachmentDefinition(this, 'Lan01', {
      metadata: { name: 'lan01' },
      config: CniConfig.list([
        new BridgePlugin({
          bridge: 'lan01',
          ipam: HostLocalIpam.subnet('192.168.100.0/24', { gateway: '192.168.100.1' }),
        }),
      ]),
    });

    this.macvlan = new NetworkAttachmentDefinition(this, 'MacvlanEth0', {
      metadata: { name: 'macvlan-eth0' },
      config: CniConfig.list([
        new MacvlanPlugin({
          master: 'eth0',
          mode: MacvlanMode.BRIDGE,
          ipam: HostLocalIpam.subnet('192.168.1.0/24', { rangeStart: '192.168.1.200', rangeEnd: '192.168.1.216', gateway: '192.168.1.1' }),
        }),
      ]),
    });

    this.ipvlan = new NetworkAttachmentDefinition(this, 'IpvlanEth0', {
      metadata: { name: 'ipvlan-eth0' },
      config: CniConfig.list([
        new IpvlanPlugin({
          master: 'eth0',
          mode: IpvlanMode.L2,
          ipam: HostLocalIpam.subnet('10.10.10.0/24'),
        }),
      ]),
    });
  }
}
