import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { AttachmentRendering } from '../../lib/attachment-rendering';
import { DraDeviceClass, DraNetworkClaims } from '../../lib/dra/network-claims';
import { IpamMode, Network, NetworkPlugin } from '../../lib/network';

/** A DeviceClass the App owns is written once, whatever the number of workloads that own it. */

function setup() {
  const chart = Testing.chart();
  const n2 = new Network(chart, 'N2', { name: 'n2', plugin: NetworkPlugin.macvlan({ uplink: 'eth1' }), subnets: ['10.2.0.0/24'], ipam: IpamMode.STATIC });
  const n7 = new Network(chart, 'N7', { name: 'n7', plugin: NetworkPlugin.hostDevice({ device: 'ens1f0' }), subnets: ['10.7.0.0/24'], ipam: IpamMode.STATIC });
  const workload = (name: string) => new kplus.Deployment(chart, name, { metadata: { name: name.toLowerCase(), namespace: 'core' }, replicas: 1, containers: [{ image: 'x:1' }] });
  return { chart, n2, n7, workload };
}

describe('owned device classes', () => {
  test('two workloads owning one class: one DeviceClass object, both claims name it', () => {
    const { chart, n2, workload } = setup();
    new DraNetworkClaims(chart, 'A', { workload: workload('Amf'), deviceClass: DraDeviceClass.owned('nfv-cni') }).attach(n2, { interface: 'n2', ips: ['10.2.0.10/24'] });
    new DraNetworkClaims(chart, 'B', { workload: workload('Smf'), deviceClass: DraDeviceClass.owned('nfv-cni') }).attach(n2, { interface: 'n2', ips: ['10.2.0.11/24'] });
    const objs = Testing.synth(chart);
    expect(objs.filter((o: any) => o.kind === 'DeviceClass').map((o: any) => o.metadata.name)).toEqual(['nfv-cni']);
    const classes = objs.filter((o: any) => o.kind === 'ResourceClaimTemplate').map((o: any) => o.spec.spec.devices.requests[0].exactly.deviceClassName);
    expect(classes).toEqual(['nfv-cni', 'nfv-cni']);
  });

  test('one class name owned for two drivers is refused in the house style', () => {
    const { chart, workload } = setup();
    new DraNetworkClaims(chart, 'A', { workload: workload('Amf'), deviceClass: DraDeviceClass.owned('nfv-net') });
    expect(() => new DraNetworkClaims(chart, 'B', { workload: workload('Upf'), rendering: AttachmentRendering.DRA_DRANET, deviceClass: DraDeviceClass.owned('nfv-net') })).toThrow(
      /^DraNetworkClaims test\/B: 'deviceClass' is the DeviceClass nfv-net that test\/A owns for driver cni\.dra\.networking\.x-k8s\.io: got "nfv-net"; give the class for dra\.net another name/,
    );
  });
});
