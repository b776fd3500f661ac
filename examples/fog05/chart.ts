import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { Fog05Descriptor, Fog05Entity } from '../../lib';
import descriptor from './ubuntu-host.json';

/**
 * The fog05 entity of the talk, `ubuntu-host` (1 CPU, 512 MB, 4 GB disk, eth0 on the bridge
 * lan01), migrated to Kubernetes: a bridge NAD `lan01` and a Deployment whose pod has `net-eth0`
 * on it (eth0 stays the cluster interface).
 */
export class Fog05Chart extends Chart {
  public readonly entity: Fog05Entity;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    this.entity = new Fog05Entity(this, 'UbuntuHost', {
      descriptor: descriptor as Fog05Descriptor,
      renameEth0: 'net-eth0',
    });
  }
}
