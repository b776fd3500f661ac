import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { AttachmentRendering, isAttachmentRendering, isDraRendering } from '../../lib/attachment-rendering';
import { MacvlanMode } from '../../lib/cni/plugins/macvlan';
import { DraLint } from '../../lib/cli/dra-lint';
import { DraDeviceClass, DraNetworkClaims } from '../../lib/dra/network-claims';
import { networkClaimProblems, podDeviceProblems } from '../../lib/dra/network-claim-checks';
import { IpamMode, Network, NetworkPlugin } from '../../lib/network';
import { PodNetworks } from '../../lib/pod-networks';
import { thrown } from '../util/thrown';

/** A chart with an SR-IOV network, a host-device network, a macvlan network and two workloads of one namespace. */
function setup() {
  const chart = Testing.chart();
  const sriov = new Network(chart, 'N3', { name: 'n3', plugin: NetworkPlugin.sriov({ resourceName: 'intel.com/sriov_n3' }), subnets: ['10.3.0.0/24'], ipam: IpamMode.HOST_LOCAL });
  const host = new Network(chart, 'N7', { name: 'n7', plugin: NetworkPlugin.hostDevice({ device: 'ens1f0' }), subnets: ['10.7.0.0/24'], gateways: ['10.7.0.1'], ipam: IpamMode.STATIC });
  const macvlan = new Network(chart, 'N2', { name: 'n2', plugin: NetworkPlugin.macvlan({ uplink: 'eth1', mode: MacvlanMode.BRIDGE }), subnets: ['10.2.0.0/24'], ipam: IpamMode.STATIC });
  const upf = new kplus.Deployment(chart, 'Upf', { metadata: { name: 'upf', namespace: 'up' }, replicas: 1, containers: [{ image: 'x:1' }] });
  const gnb = new kplus.Deployment(chart, 'Gnb', { metadata: { name: 'gnb', namespace: 'up' }, replicas: 1, containers: [{ image: 'x:1' }] });
  return { chart, sriov, host, macvlan, upf, gnb };
}

const of = (objs: any[], kind: string) => objs.filter((o) => o.kind === kind);

describe('AttachmentRendering guards', () => {
  test('isAttachmentRendering accepts the four values only; isDraRendering the three DRA ones', () => {
    expect(Object.values(AttachmentRendering).filter(isAttachmentRendering)).toEqual(['nad-annotation', 'dra-cni', 'dra-sriov', 'dra-dranet']);
    expect([undefined, null, 5, 'DRA_CNI', 'dra', {}].filter(isAttachmentRendering)).toEqual([]);
    expect(Object.values(AttachmentRendering).filter(isDraRendering)).toEqual(['dra-cni', 'dra-sriov', 'dra-dranet']);
    expect(['nad-annotation', 'x', 3].filter(isDraRendering)).toEqual([]);
  });
});

describe('the SR-IOV DRA rendering: a VF whose VfConfig names the NAD', () => {
  test('one request for a VF of the NAD\'s resource (the Multus attribute), one VfConfig naming the NAD, which stays; no device-plugin request', () => {
    const { chart, sriov, upf } = setup();
    const claims = new DraNetworkClaims(chart, 'C', { workload: upf, rendering: AttachmentRendering.DRA_SRIOV });
    const a = claims.attach(sriov, { interface: 'n3' });
    expect([a.nadName, a.resourceName, a.templateName]).toEqual(['n3', 'intel.com/sriov_n3', 'upf-n3']);
    const objs = Testing.synth(chart);
    const [t] = of(objs, 'ResourceClaimTemplate');
    expect(t.metadata).toEqual({ name: 'upf-n3', namespace: 'up' });
    expect(t.spec.spec).toEqual({
      devices: {
        requests: [{
          name: 'n3',
          exactly: {
            deviceClassName: 'sriovnetwork.k8snetworkplumbingwg.io',
            selectors: [{ cel: { expression: 'device.attributes["k8s.cni.cncf.io"].resourceName == "intel.com/sriov_n3"' } }],
            allocationMode: 'ExactCount',
            count: 1,
          },
        }],
        config: [{
          requests: ['n3'],
          opaque: { driver: 'sriovnetwork.k8snetworkplumbingwg.io', parameters: { apiVersion: 'sriovnetwork.k8snetworkplumbingwg.io/v1alpha1', kind: 'VfConfig', netAttachDefName: 'n3', ifName: 'n3' } },
        }],
      },
    });
    expect(networkClaimProblems(t.spec.spec)).toEqual([]);
    const nads = of(objs, 'NetworkAttachmentDefinition');
    expect(nads.map((n) => [n.metadata.namespace, n.metadata.name, n.metadata.annotations['k8s.v1.cni.cncf.io/resourceName'], JSON.parse(n.spec.config).plugins[0].type]))
      .toEqual([['up', 'n3', 'intel.com/sriov_n3', 'sriov']]);
    const deployment = of(objs, 'Deployment').find((d) => d.metadata.name === 'upf');
    expect(deployment.spec.template.spec.containers[0].resources.limits['intel.com/sriov_n3']).toBeUndefined();
    expect(deployment.spec.template.spec.resourceClaims).toEqual([{ name: 'n3', resourceClaimTemplateName: 'upf-n3' }]);
    // the claim's device matches the NAD's resourceName as Multus matches them: one device for one attachment
    expect(podDeviceProblems({ attachmentResources: ['intel.com/sriov_n3'], claimSpecs: [t.spec.spec] })).toEqual([]);
  });

  test('lint reads the synthesized SR-IOV objects without a finding (the VfConfig\'s NAD counts as the attachment of the device)', () => {
    const { chart, sriov, upf } = setup();
    new DraNetworkClaims(chart, 'C', { workload: upf, rendering: AttachmentRendering.DRA_SRIOV }).attach(sriov, { interface: 'n3' });
    const lint = new DraLint();
    Testing.synth(chart).forEach((object, index) => lint.add({ file: 'out.yaml', index, object }));
    expect(lint.findings()).toEqual([]);
  });

  test('an owned device class selects the SR-IOV driver\'s devices and is named by the request', () => {
    const { chart, upf } = setup();
    const plain = new Network(chart, 'N9', { name: 'n9', plugin: NetworkPlugin.sriov({ resourceName: 'intel.com/sriov_n9' }), ipam: IpamMode.NONE });
    const nad = plain.addNad('Other', { name: 'n9-any', namespace: 'up' });
    new DraNetworkClaims(chart, 'C', { workload: upf, rendering: AttachmentRendering.DRA_SRIOV, deviceClass: DraDeviceClass.owned('vf-n9') }).attach(nad, { interface: 'n9' });
    const objs = Testing.synth(chart);
    expect(of(objs, 'DeviceClass')).toEqual([{ apiVersion: 'resource.k8s.io/v1', kind: 'DeviceClass', metadata: { name: 'vf-n9' },
      spec: { selectors: [{ cel: { expression: 'device.driver == "sriovnetwork.k8snetworkplumbingwg.io"' } }] } }]);
    expect(of(objs, 'ResourceClaimTemplate')[0].spec.spec.devices.requests[0].exactly.deviceClassName).toBe('vf-n9');
  });

  test('a network the driver cannot carry, per-pod values, and a NAD of another namespace are refused in the house style', () => {
    const { chart, macvlan, sriov, upf } = setup();
    const claims = new DraNetworkClaims(chart, 'C', { workload: upf, rendering: AttachmentRendering.DRA_SRIOV });
    expect(thrown(() => claims.attach(macvlan, { interface: 'n2' }))).toBe(
      "DraNetworkClaims test/C attachment 0 (n2): 'network' cannot be carried by the SR-IOV DRA driver (it gives the pod a virtual function and runs the NAD's sriov config): got \"macvlan\"; "
      + 'attach an SR-IOV network (NetworkPlugin.sriov), or use AttachmentRendering.DRA_CNI for this workload');
    expect(thrown(() => claims.attach(sriov, { interface: 'n3', ips: ['10.3.0.9/24'] }))).toBe(
      "DraNetworkClaims test/C attachment 0 (n3): 'ips' cannot be rendered for the SR-IOV DRA driver (VfConfig carries no per-pod values: the driver runs the NAD's config as written): got [\"10.3.0.9/24\"]; "
      + 'bake the value into a NAD of its own (Network.addNad with addresses) and attach that NAD, or use AttachmentRendering.NAD_ANNOTATION');
    expect(thrown(() => claims.attach(sriov.nadFor('core'), { interface: 'n3' }))).toBe(
      "DraNetworkClaims test/C attachment 0 (n3): 'network' is a NAD of namespace core; the SR-IOV DRA driver reads netAttachDefName in the claim's namespace only: got \"core/n3\"; attach a NAD of up (a Network derives one there)");
    expect(thrown(() => claims.attach(sriov, { interface: 'n3', defaultRoute: true }))).toMatch(/^DraNetworkClaims test\/C attachment 0 \(n3\): 'defaultRoute' cannot be rendered for the SR-IOV DRA driver \(the default-route rewrite is done by Multus\): got true; /);
    expect(claims.attachments).toEqual([]);
    // the refused macvlan attach derived no NAD of n2
    expect(macvlan.attachments).toEqual([]);
  });

  test('a VF claimed by a pod is counted as its device by the whole-topology check: no "requested 0 time(s)" for the NAD\'s resource', () => {
    const { chart, sriov, upf } = setup();
    new DraNetworkClaims(chart, 'C', { workload: upf, rendering: AttachmentRendering.DRA_SRIOV }).attach(sriov, { interface: 'n3' });
    expect(() => Testing.synth(chart)).not.toThrow();
  });
});

describe('the DRANET rendering: a host interface moved into the pod, configured from the model', () => {
  test('one request for the network\'s host interface (dra.net ifName), one NetworkConfig with the name, addresses and MAC; no NAD', () => {
    const { chart, host, upf } = setup();
    new DraNetworkClaims(chart, 'C', { workload: upf, rendering: AttachmentRendering.DRA_DRANET }).attach(host, { interface: 'n7', ips: ['10.7.0.5/24'], mac: '02:00:00:00:00:07' });
    const objs = Testing.synth(chart);
    expect(of(objs, 'NetworkAttachmentDefinition')).toEqual([]);
    const [t] = of(objs, 'ResourceClaimTemplate');
    expect(t.spec.spec).toEqual({
      devices: {
        requests: [{ name: 'n7', exactly: { deviceClassName: 'dranet', selectors: [{ cel: { expression: 'device.attributes["dra.net"].ifName == "ens1f0"' } }], allocationMode: 'ExactCount', count: 1 } }],
        config: [{ requests: ['n7'], opaque: { driver: 'dra.net', parameters: { interface: { name: 'n7', addresses: ['10.7.0.5/24'], hardwareAddr: '02:00:00:00:00:07' } } } }],
      },
    });
    expect(networkClaimProblems(t.spec.spec)).toEqual([]);
  });

  test('an owned class selects DRANET\'s devices; addresses baked into a NAD of the network reach the interface config', () => {
    const { chart, host, upf } = setup();
    const baked = host.addNad('Baked', { name: 'n7-upf', namespace: 'up', addresses: ['10.7.0.9/24'] });
    new DraNetworkClaims(chart, 'C', { workload: upf, rendering: AttachmentRendering.DRA_DRANET, deviceClass: DraDeviceClass.owned('dranet-nfv') }).attach(baked, { interface: 'n7' });
    const objs = Testing.synth(chart);
    expect(of(objs, 'DeviceClass').map((c) => [c.metadata.name, c.spec.selectors[0].cel.expression])).toEqual([['dranet-nfv', 'device.driver == "dra.net"']]);
    const params = of(objs, 'ResourceClaimTemplate')[0].spec.spec.devices.config[0].opaque.parameters;
    expect(params.interface.addresses).toEqual(['10.7.0.9/24']);
  });

  test('a network DRANET cannot carry (another plugin, pool IPAM) and options it cannot write are refused in the house style', () => {
    const { chart, macvlan, upf } = setup();
    const claims = new DraNetworkClaims(chart, 'C', { workload: upf, rendering: AttachmentRendering.DRA_DRANET });
    expect(thrown(() => claims.attach(macvlan, { interface: 'n2', ips: ['10.2.0.5/24'] }))).toBe(
      "DraNetworkClaims test/C attachment 0 (n2): 'network' cannot be carried by DRANET (it moves a host interface into the pod and runs no CNI plugin): got \"macvlan\"; "
      + 'attach a host-device network (NetworkPlugin.hostDevice), or use AttachmentRendering.DRA_CNI for this workload');
    const pooled = new Network(chart, 'N8', { name: 'n8', plugin: NetworkPlugin.hostDevice({ device: 'ens2' }), subnets: ['10.8.0.0/24'], ipam: IpamMode.HOST_LOCAL });
    expect(thrown(() => claims.attach(pooled, { interface: 'n8' }))).toBe(
      "DraNetworkClaims test/C attachment 0 (n8): 'network' assigns addresses with host-local IPAM, which DRANET does not run: got \"host-local\"; give the network static IPAM and the pods their addresses (ips), or use AttachmentRendering.DRA_CNI");
    const host = new Network(chart, 'N6', { name: 'n6', plugin: NetworkPlugin.hostDevice({ device: 'ens3' }), subnets: ['10.6.0.0/24'], ipam: IpamMode.STATIC });
    expect(thrown(() => claims.attach(host, { interface: 'n6', ips: ['10.6.0.5/24'], portMappings: [{ hostPort: 80, containerPort: 80 }] }))).toBe(
      "DraNetworkClaims test/C attachment 0 (n6): 'portMappings' cannot be rendered for DRANET (it configures the name, addresses, MAC and MTU of the interface only): got [{\"hostPort\":80,\"containerPort\":80}]; remove it, or use AttachmentRendering.DRA_CNI");
    expect(claims.attachments).toEqual([]);
  });

  test('a DRANET pod and an annotated pod given one address on one segment: refused by the whole-topology check', () => {
    const { chart, host, upf, gnb } = setup();
    new DraNetworkClaims(chart, 'C', { workload: upf, rendering: AttachmentRendering.DRA_DRANET }).attach(host, { interface: 'n7', ips: ['10.7.0.5/24'] });
    PodNetworks.of(gnb).attach(host, { interface: 'n7', ips: ['10.7.0.5/24'] });
    expect(() => Testing.synth(chart)).toThrow(/'attachments\[0\]\.ips\[0\]' is already used on n7 by test\/(Upf|Gnb) \(n7\): got "10\.7\.0\.5\/24"; give every attachment of a network its own address/);
  });
});

describe('a rendering per attachment', () => {
  test('one SR-IOV interface among cni-dra-driver ones: each claim for its driver, the construct\'s class for its own rendering only', () => {
    const { chart, sriov, macvlan, upf } = setup();
    const claims = new DraNetworkClaims(chart, 'C', { workload: upf, deviceClass: DraDeviceClass.existing('nfv-cni') });
    expect([claims.rendering, claims.deviceClassName]).toEqual([AttachmentRendering.DRA_CNI, 'nfv-cni']);
    claims.attach(macvlan, { interface: 'n2', ips: ['10.2.0.5/24'] });
    claims.attach(sriov, { interface: 'n3', rendering: AttachmentRendering.DRA_SRIOV });
    const requests = of(Testing.synth(chart), 'ResourceClaimTemplate').map((t) => [t.metadata.name, t.spec.spec.devices.requests[0].exactly.deviceClassName, t.spec.spec.devices.config[0].opaque.driver]);
    expect(requests).toEqual([['upf-n2', 'nfv-cni', 'cni.dra.networking.x-k8s.io'], ['upf-n3', 'sriovnetwork.k8snetworkplumbingwg.io', 'sriovnetwork.k8snetworkplumbingwg.io']]);
  });

  test('a rendering that is not a DRA one is refused in the house style, and nothing is attached', () => {
    const { chart, sriov, upf } = setup();
    const claims = new DraNetworkClaims(chart, 'C', { workload: upf });
    expect(thrown(() => claims.attach(sriov, { interface: 'n3', rendering: 'nad-annotation' as any }))).toBe(
      "DraNetworkClaims test/C attachment 0: 'rendering' must be one of \"dra-cni\", \"dra-sriov\", \"dra-dranet\": got \"nad-annotation\"; use a value of AttachmentRendering (a DRA rendering): one of \"dra-cni\", \"dra-sriov\", \"dra-dranet\"");
    expect(claims.attachments).toEqual([]);
    expect(of(Testing.synth(chart), 'ResourceClaimTemplate')).toEqual([]);
  });
});
