import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { Fog05Descriptor, Fog05Entity, PluginsProfile } from '../../lib';
import { PreinstalledCniPlugins } from '../../lib/installers';
import descriptor from './ubuntu-host.json';

/**
 * The fog05 entity of the talk, `ubuntu-host` (1 CPU, 512 MB, 4 GB disk, eth0 on the bridge
 * lan01), migrated to Kubernetes: a bridge NAD `lan01` and a Deployment whose pod has `net-eth0`
 * on it (eth0 stays the cluster interface).
 */
export class Fog05Chart extends Chart {
  public readonly entity: Fog05Entity;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    // its own namespace: the talk example's bridge NAD is also called lan01
    super(scope, id, { namespace: 'fog05', ...props });
    // the nodes of the talk run Debian's containernetworking-plugins 1.1.1 (bridge included)
    PreinstalledCniPlugins.fromProfile(this, 'NodePlugins', PluginsProfile.DEBIAN_1_1_1);
    this.entity = new Fog05Entity(this, 'UbuntuHost', {
      descriptor: descriptor as Fog05Descriptor,
      renameEth0: 'net-eth0',
      profile: PluginsProfile.DEBIAN_1_1_1,
    });
  }
}
