import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Include, Size, Testing } from 'cdk8s';
import * as plus27 from 'cdk8s-plus-27';
import * as plus33 from 'cdk8s-plus-33';
import * as YAML from 'yaml';
import { CniConfig } from '../lib/cni/config';
import { SriovPlugin } from '../lib/cni/plugins/sriov';
import { PluginsProfile } from '../lib/cni/profile';
import { PreinstalledCniPlugins } from '../lib/installers/inventory';
import { IpamMode, Network, NetworkPlugin } from '../lib/network';
import { NetworkAttachmentDefinition } from '../lib/network-attachment-definition';
import { NetworkFunction, WorkloadKind } from '../lib/network-function';
import { PodNetworks } from '../lib/pod-networks';
import { TopologyValidation } from '../lib/topology-validation';
import { thrown } from './util/thrown';

/**
 * Device requests that add to the count the attachments make (attachment option `devices`), and
 * extended resources on a user's own workload (`PodNetworks.requestResource`): request and limit
 * alike, as quantities, on cdk8s-plus-27, cdk8s-plus-33 and an Include'd Deployment.
 */

const VFIO = 'intel.com/intel_x710vfio';
const IMAGE = 'registry.example.com/testpmd:1.0.0';
type Line = typeof plus27 | typeof plus33;
const LINES: readonly [string, Line][] = [['cdk8s-plus-27', plus27], ['cdk8s-plus-33', plus33]];

function chart(): Chart {
  const c = new Chart(Testing.app(), 'test', { namespace: 'core' });
  PreinstalledCniPlugins.fromProfile(c, 'NodePlugins', PluginsProfile.UPSTREAM);
  return c;
}

const vfioNad = (c: Chart) => new NetworkAttachmentDefinition(c, 'Dpdk', {
  metadata: { name: 'dpdk' },
  resourceName: VFIO,
  config: CniConfig.single(new SriovPlugin({ vlan: 2000 })),
});

const bridgeNet = (c: Chart) => new Network(c, 'Data', { plugin: NetworkPlugin.bridge({ bridge: 'br-data' }), subnets: ['10.1.0.0/24'], ipam: IpamMode.HOST_LOCAL });

/** The containers' resources of the first object of `kind`, as synthesized (the App's YAML parsed). */
function resourcesOf(c: Chart, kind: string): any[] {
  const objects = YAML.parseAllDocuments((c.node.root as App).synthYaml()).map((d) => d.toJSON());
  const o = objects.find((x: any) => x?.kind === kind);
  const spec = kind === 'Pod' ? o.spec : o.spec.template.spec;
  return spec.containers.map((k: any) => k.resources);
}

const UPSTREAM = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: testpmd
spec:
  replicas: 1
  selector:
    matchLabels: {app: testpmd}
  template:
    metadata:
      labels: {app: testpmd}
    spec:
      containers:
      - name: testpmd
        image: ${IMAGE}
        resources:
          requests: {memory: 1Gi}
      - name: sidecar
        image: ${IMAGE}
`;

function includeUpstream(c: Chart) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nfv-resources-'));
  const file = path.join(dir, 'upstream.yaml');
  fs.writeFileSync(file, UPSTREAM);
  const inc = new Include(c, 'Upstream', { url: file });
  fs.rmSync(dir, { recursive: true, force: true });
  return inc.apiObjects[0];
}

describe('devices: an attachment that takes more than one device of its network', () => {
  test('devices adds to the count of the other attachments, per container, request and limit alike', () => {
    const c = chart();
    const dpdk = vfioNad(c);
    const w = new plus27.Pod(c, 'Testpmd', { containers: [{ name: 'testpmd', image: IMAGE, resources: {} }, { name: 'ctl', image: IMAGE, resources: {} }] });
    const nets = PodNetworks.of(w);
    nets.attach(dpdk, { interface: 'dp0', devices: 2 });
    nets.attach(dpdk, { interface: 'dp1' });
    nets.attach(dpdk, { interface: 'dp2', container: 'ctl', devices: 3 });
    expect(resourcesOf(c, 'Pod')).toEqual([
      { requests: { [VFIO]: '3' }, limits: { [VFIO]: '3' } },
      { requests: { [VFIO]: '3' }, limits: { [VFIO]: '3' } },
    ]);
    expect(nets.deviceRequests()).toEqual({ [VFIO]: 6 });
    // the pod sees every device it asked for: no whole-topology problem
    expect(TopologyValidation.of(c).topology().pods[0].resourceRequests).toEqual({ [VFIO]: 6 });
    // not in the selection element: the annotation is that of three plain attachments
    expect(nets.selectionElements().map((e) => Object.keys(e))).toEqual([['name', 'namespace', 'interface'], ['name', 'namespace', 'interface'], ['name', 'namespace', 'interface']]);
  });

  test('on a NetworkFunction too (its attachments prop and attach)', () => {
    const c = chart();
    const dpdk = vfioNad(c);
    const fn = new NetworkFunction(c, 'Testpmd', { kind: WorkloadKind.POD, containers: [{ name: 'testpmd', image: IMAGE, resources: {} }], attachments: [{ network: dpdk, devices: 2 }] });
    fn.attach(dpdk, { devices: 1 });
    expect(resourcesOf(c, 'Pod')[0]).toEqual({ requests: { [VFIO]: '3' }, limits: { [VFIO]: '3' } });
    expect(fn._deviceRequests()).toEqual({ [VFIO]: 3 });
  });

  test('refused in the house style: not a whole number >= 1, a network without resourceName, a container that does not exist', () => {
    const c = chart();
    const dpdk = vfioNad(c);
    const data = bridgeNet(c);
    const nets = PodNetworks.of(new plus27.Pod(c, 'Testpmd', { containers: [{ name: 'testpmd', image: IMAGE }] }));
    expect(thrown(() => nets.attach(dpdk, { devices: 0 }))).toBe(
      "PodNetworks test/Testpmd attachment 0: 'devices' is out of range: must be an integer of at least 1: got 0; write a value of at least 1");
    expect(thrown(() => nets.attach(dpdk, { devices: 1.5 }))).toBe(
      "PodNetworks test/Testpmd attachment 0: 'devices' must be an integer of at least 1: got 1.5; write a whole number");
    expect(thrown(() => nets.attach(dpdk, { devices: '2' as any }))).toBe(
      "PodNetworks test/Testpmd attachment 0: 'devices' must be an integer of at least 1: got \"2\"; write a number, not a string");
    expect(thrown(() => nets.attach(data, { devices: 2 }))).toBe(
      "PodNetworks test/Testpmd attachment 0 (data): 'devices' needs a device-plugin network, but data names no resourceName: got 2; "
      + "leave devices out, or attach to a network with a resourceName (the device plugin's resource)");
    expect(thrown(() => nets.attach(dpdk, { devices: 2, container: 'nope' }))).toBe(
      "PodNetworks test/Testpmd attachment 0 (dpdk): 'container' is not a container of the pods: got \"nope\"; use one of testpmd");
    // nothing was attached nor requested by the refused calls
    expect(nets.attachments).toEqual([]);
    expect(nets.deviceRequests()).toEqual({});
  });
});

describe('requestResource: extended resources on any workload', () => {
  test.each(LINES)('%s Deployment: huge pages and a vendor resource, request and limit alike, as quantities', (_name, line) => {
    const c = chart();
    const memory = { request: Size.gibibytes(1), limit: Size.gibibytes(1) };
    const d = new line.Deployment(c, 'Upf', { replicas: 1, containers: [{ name: 'upf', image: IMAGE, resources: { memory } }, { name: 'qat', image: IMAGE, resources: {} }] });
    const nets = PodNetworks.of(d);
    nets.requestResource('hugepages-1Gi', '2Gi');
    nets.requestResource('hugepages-2Mi', '256Mi');
    nets.requestResource('example.com/qat', '1', { container: 'qat' });
    expect(resourcesOf(c, 'Deployment')).toEqual([
      { requests: { 'memory': '1024Mi', 'hugepages-1Gi': '2Gi', 'hugepages-2Mi': '256Mi' }, limits: { 'memory': '1024Mi', 'hugepages-1Gi': '2Gi', 'hugepages-2Mi': '256Mi' } },
      { requests: { 'example.com/qat': '1' }, limits: { 'example.com/qat': '1' } },
    ]);
    expect(nets.resourceRequests()).toEqual({ upf: { 'hugepages-1Gi': '2Gi', 'hugepages-2Mi': '256Mi' }, qat: { 'example.com/qat': '1' } });
    // huge pages on a container without cpu nor memory: Kubernetes refuses the pod, so does requestResource
    expect(thrown(() => nets.requestResource('hugepages-2Mi', '256Mi', { container: 'qat' }))).toBe(
      "PodNetworks test/Upf requestResource: 'resource' is huge pages, but the container has no cpu nor memory request or limit, which Kubernetes requires with huge pages: "
      + 'got "hugepages-2Mi"; give the container a memory request (cdk8s-plus `resources`, or the manifest)');
  });

  test.each(LINES)('%s: the container\'s own CPU and memory are kept; a later request of the same resource replaces the quantity', (_name, line) => {
    const c = chart();
    const p = new line.Pod(c, 'Upf', { containers: [{ name: 'upf', image: IMAGE }] });
    const nets = PodNetworks.of(p);
    nets.requestResource('hugepages-1Gi', '1Gi');
    nets.requestResource('hugepages-1Gi', '4Gi');
    const [r] = resourcesOf(c, 'Pod');
    expect(r.requests['hugepages-1Gi']).toBe('4Gi');
    expect(r.limits['hugepages-1Gi']).toBe('4Gi');
    // cdk8s-plus's CPU and memory defaults are still there
    expect(Object.keys(r.requests).sort()).toEqual(['cpu', 'hugepages-1Gi', 'memory']);
  });

  test('an Include\'d Deployment: written by JSON patch next to its own requests, with a device-plugin attachment of devices: 2', () => {
    const c = chart();
    const d = includeUpstream(c);
    const nets = PodNetworks.of(d);
    nets.requestResource('hugepages-1Gi', '4Gi');
    nets.requestResource('example.com/qat', '2', { container: 'sidecar' });
    nets.attach(vfioNad(c), { devices: 2 });
    expect(resourcesOf(c, 'Deployment')).toEqual([
      { requests: { 'memory': '1Gi', 'hugepages-1Gi': '4Gi', [VFIO]: '2' }, limits: { 'hugepages-1Gi': '4Gi', [VFIO]: '2' } },
      { requests: { 'example.com/qat': '2' }, limits: { 'example.com/qat': '2' } },
    ]);
  });

  test('NetworkFunction extendedResources take the same path and the same checks', () => {
    const c = chart();
    new NetworkFunction(c, 'Upf', { containers: [{ name: 'upf', image: IMAGE, resources: { memory: { request: Size.mebibytes(512) } }, extendedResources: { 'hugepages-2Mi': '512Mi', 'example.com/qat': '1' } }] });
    expect(resourcesOf(c, 'Deployment')[0]).toEqual({ requests: { 'memory': '512Mi', 'hugepages-2Mi': '512Mi', 'example.com/qat': '1' }, limits: { 'hugepages-2Mi': '512Mi', 'example.com/qat': '1' } });
    // cdk8s-plus's CPU and memory defaults count: no resources given is fine, resources without cpu nor memory is not
    expect(() => new NetworkFunction(chart(), 'Fn', { containers: [{ name: 'upf', image: IMAGE, extendedResources: { 'hugepages-2Mi': '512Mi' } }] })).not.toThrow();
    expect(thrown(() => new NetworkFunction(chart(), 'Fn', { containers: [{ name: 'upf', image: IMAGE, resources: {}, extendedResources: { 'hugepages-2Mi': '512Mi' } }] }))).toBe(
      "NetworkFunction test/Fn: 'containers[0].extendedResources.hugepages-2Mi' is huge pages, but the container has no cpu nor memory request or limit, which Kubernetes requires with huge pages: "
      + 'got "hugepages-2Mi"; give the container a memory request (cdk8s-plus `resources`, or the manifest)');
    expect(thrown(() => new NetworkFunction(chart(), 'Fn', { containers: [{ name: 'upf', image: IMAGE, extendedResources: { 'example.com/qat': '500m' } }] }))).toBe(
      "NetworkFunction test/Fn: 'containers[0].extendedResources.example.com/qat' must be a whole number for an extended resource (devices are not split): got \"500m\"; write a whole number such as \"2\"");
    expect(thrown(() => new NetworkFunction(chart(), 'Fn', { containers: [{ name: 'upf', image: IMAGE, extendedResources: { qat: '1' } }] }))).toBe(
      "NetworkFunction test/Fn: 'containers[0].extendedResources.qat' is not an extended resource name: <domain>/<name>: got \"qat\"; write the resource with its vendor domain, e.g. \"intel.com/sriov_netdevice\"");
  });

  test('the resource of a device-plugin network the pods attach to is refused, in either order (the attachments request it: use devices)', () => {
    const c = chart();
    const dpdk = vfioNad(c);
    const before = PodNetworks.of(new plus27.Pod(c, 'Before', { containers: [{ name: 'a', image: IMAGE }, { name: 'b', image: IMAGE }] }));
    before.attach(dpdk);
    expect(thrown(() => before.requestResource(VFIO, '1', { container: 'b' }))).toBe(
      `PodNetworks test/Before requestResource: 'resource' is the resource of a device-plugin network the pods attach to, whose attachments request its devices: got "${VFIO}"; `
      + "give the attachment 'devices' (how many devices of the network's resource it takes) instead");
    const after = PodNetworks.of(new plus27.Pod(c, 'After', { containers: [{ name: 'a', image: IMAGE }] }));
    after.requestResource(VFIO, '2');
    expect(thrown(() => after.attach(dpdk))).toBe(
      `PodNetworks test/After attachment 0 (dpdk): 'network' is a device-plugin network of ${VFIO}, which requestResource already requested for the pods: got "dpdk"; `
      + "remove that requestResource: the attachments request their network's devices (give 'devices' for more than one)");
    expect(after.attachments).toEqual([]);
  });

  test('refused in the house style: a container that does not exist, a bad name, a bad quantity; nothing is written', () => {
    const c = chart();
    const nets = PodNetworks.of(new plus27.Pod(c, 'Upf', { containers: [{ name: 'upf', image: IMAGE, resources: {} }] }));
    expect(thrown(() => nets.requestResource('hugepages-1Gi', '1Gi', { container: 'dp' }))).toBe(
      "PodNetworks test/Upf requestResource: 'container' is not a container of the pods: got \"dp\"; use one of upf");
    expect(thrown(() => nets.requestResource('cpu', '2'))).toBe(
      "PodNetworks test/Upf requestResource: 'resource' is a resource of the container's own requests and limits, not an extended resource: got \"cpu\"; "
      + "set it in the container's resources (cdk8s-plus `resources`, or the manifest)");
    expect(thrown(() => nets.requestResource('hugepages-1Gi', '2 GB'))).toBe(
      "PodNetworks test/Upf requestResource: 'quantity' must be a Kubernetes quantity: got \"2 GB\"; write a quantity of bytes such as \"1Gi\"");
    expect(thrown(() => nets.requestResource('example.com/qat', '1', { contianer: 'upf' } as any))).toMatch(
      /^PodNetworks test\/Upf requestResource: 'contianer' is not a prop of ResourceRequestOptions: got "upf"; /);
    expect(nets.resourceRequests()).toEqual({});
    expect(resourcesOf(c, 'Pod')).toEqual([undefined]);
  });
});
