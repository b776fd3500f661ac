import { Chart, ChartProps, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
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
  NetworkFunction,
  PluginsProfile,
} from '../../lib';
import { PreinstalledCniPlugins } from '../../lib/installers';

/**
 * The talk this project starts from: its three networks (a Linux bridge `lan01`, a macvlan network
 * on the node's `eth0`, and an ipvlan network on `eth0` with host-local IPAM on 10.10.10.0/24) and
 * its virtual network function, the fog05 entity `ubuntu-host` (1 CPU, 512 MB, 4 GB disk; its
 * `eth0` on the bridge `lan01`), here a Deployment attached to `lan01` as `net-eth0` (the pod's
 * `eth0` is the cluster interface). examples/fog05 makes the same function from the descriptor.
 */
export class TalkChart extends Chart {
  public readonly lan01: NetworkAttachmentDefinition;
  public readonly macvlan: NetworkAttachmentDefinition;
  public readonly ipvlan: NetworkAttachmentDefinition;
  /** The talk's virtual network function, on `lan01`. */
  public readonly ubuntuHost: NetworkFunction;

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

    // the fog05 entity's resources as requests and limits; an OS image runs `sleep infinity`
    const cpu = kplus.Cpu.units(1);
    const memory = Size.mebibytes(512);
    const disk = Size.gibibytes(4);
    this.ubuntuHost = new NetworkFunction(this, 'UbuntuHost', {
      name: 'ubuntu-host',
      containers: [{
        name: 'ubuntu-host',
        image: 'docker.io/library/ubuntu:22.04',
        command: ['sleep', 'infinity'],
        ensureNonRoot: false,
        resources: {
          cpu: { request: cpu, limit: cpu },
          memory: { request: memory, limit: memory },
          ephemeralStorage: { request: disk, limit: disk },
        },
      }],
    });
    this.ubuntuHost.attach(this.lan01, { interface: 'net-eth0' });
  }
}
