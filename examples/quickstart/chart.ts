import { Chart, ChartProps } from 'cdk8s';
import { Capability } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  IpamMode,
  Network,
  NetworkFunction,
  NetworkPlugin,
  PluginsProfile,
} from '../../lib';
import { PreinstalledCniPlugins } from '../../lib/installers';

/** The README's quick start: a router pod with a data and a management interface. */
export class QuickstartChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = { namespace: 'demo' }) {
    super(scope, id, props);

    // the nodes run Debian's containernetworking-plugins 1.1.1 (no installer DaemonSet in this chart)
    PreinstalledCniPlugins.fromProfile(this, 'NodePlugins', PluginsProfile.DEBIAN_1_1_1);
    const data = new Network(this, 'Data', {
      plugin: NetworkPlugin.macvlan({ uplink: 'eth1' }), subnets: ['10.10.0.0/24'], ipam: IpamMode.STATIC,
    });
    const mgmt = new Network(this, 'Mgmt', { plugin: NetworkPlugin.bridge({ bridge: 'br-mgmt' }), subnets: ['192.168.50.0/24'] });
    const router = new NetworkFunction(this, 'Router', {
      containers: [{ name: 'router', image: 'quay.io/frrouting/frr:10.2.1', capabilities: [Capability.NET_ADMIN] }],
    });
    router.attach(data, { interface: 'data0', ips: ['10.10.0.10/24'] });
    router.attach(mgmt, { interface: 'mgmt0' });
  }
}
