import { ApiObject, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { AttachmentRendering } from '../../lib/attachment-rendering';
import { DraLint } from '../../lib/cli/dra-lint';
import { DraNetworkClaims } from '../../lib/dra/network-claims';
import { IpamMode, Network, NetworkPlugin } from '../../lib/network';
import { PodNetworks } from '../../lib/pod-networks';

/**
 * A container lists a claim in its `resources.claims` when the attachment names it (`container`):
 * drivers that inject a device node (an SR-IOV VF bound to vfio-pci for DPDK) give it only to the
 * containers listing the claim; network interfaces themselves are pod-scoped, so by default no
 * container lists it.
 */

function setup() {
  const chart = Testing.chart();
  const n3 = new Network(chart, 'N3', { name: 'n3', plugin: NetworkPlugin.sriov({ resourceName: 'intel.com/sriov_n3' }), subnets: ['10.3.0.0/24'], ipam: IpamMode.HOST_LOCAL });
  const n2 = new Network(chart, 'N2', { name: 'n2', plugin: NetworkPlugin.macvlan({ uplink: 'eth1' }), subnets: ['10.2.0.0/24'], ipam: IpamMode.STATIC });
  const upf = new kplus.Deployment(chart, 'Upf', {
    metadata: { name: 'upf', namespace: 'up' }, replicas: 1,
    containers: [{ name: 'dpdk', image: 'x:1' }, { name: 'agent', image: 'y:1' }],
  });
  return { chart, n3, n2, upf };
}

const podSpec = (objs: any[], name: string) => objs.find((o) => o.kind === 'Deployment' && o.metadata.name === name).spec.template.spec;

describe('container resources.claims of DRA attachments', () => {
  test('named container lists the claim; the others and the default list none', () => {
    const { chart, n3, n2, upf } = setup();
    const nets = PodNetworks.of(upf, { rendering: AttachmentRendering.DRA_SRIOV });
    nets.attach(n3.addNad('UpfN3', { name: 'n3-upf', namespace: 'up', addresses: ['10.3.0.5'] }), { interface: 'n3', container: 'dpdk' });
    const claims = new DraNetworkClaims(chart, 'More', { workload: new ApiObject(chart, 'Raw', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'raw', namespace: 'up' },
      spec: { selector: { matchLabels: { app: 'raw' } }, template: { metadata: { labels: { app: 'raw' } }, spec: { containers: [{ name: 'app', image: 'z:1', resources: { limits: { memory: '1Gi' } } }] } } },
    }) });
    claims.attach(n2, { interface: 'n2', ips: ['10.2.0.9/24'], container: 'app' });
    claims.attach(n2, { interface: 'n2b', ips: ['10.2.0.10/24'] });
    const objs = Testing.synth(chart);
    const upfSpec = podSpec(objs, 'upf');
    expect(upfSpec.resourceClaims.map((c: any) => c.name)).toEqual(['n3']);
    expect(upfSpec.containers.map((c: any) => c.resources?.claims)).toEqual([[{ name: 'n3' }], undefined]);
    const raw = podSpec(objs, 'raw');
    // the container's own resources are kept; only the named attachment is listed
    expect(raw.containers[0].resources).toEqual({ limits: { memory: '1Gi' }, claims: [{ name: 'n2' }] });
    expect(raw.resourceClaims.map((c: any) => c.name)).toEqual(['n2', 'n2b']);
    // lint finds every container claim among the pod's claims
    const lint = new DraLint({});
    objs.forEach((object, index) => lint.add({ file: 'out.yaml', index, object }));
    expect(lint.findings().filter((f) => f.severity === 'error')).toEqual([]);
  });

  test('a container that is not one of the pods is refused in the house style', () => {
    const { chart, n2 } = setup();
    const d = new kplus.Deployment(chart, 'Smf', { metadata: { name: 'smf', namespace: 'up' }, containers: [{ name: 'smf', image: 'x:1' }] });
    const claims = new DraNetworkClaims(chart, 'Claims', { workload: d });
    expect(() => claims.attach(n2, { interface: 'n2', ips: ['10.2.0.9/24'], container: 'nope' })).toThrow(
      /'container' is not a container of the pods: got "nope"; name one of "smf"/,
    );
  });
});
