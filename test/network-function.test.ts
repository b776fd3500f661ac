import { App, Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Capability } from '../lib/cni/common';
import { CniConfig } from '../lib/cni/config';
import { DhcpIpam } from '../lib/cni/ipam/dhcp';
import { HostLocalIpam } from '../lib/cni/ipam/host-local';
import { BandwidthPlugin } from '../lib/cni/plugins/bandwidth';
import { BondMode } from '../lib/cni/plugins/bond';
import { BridgePlugin } from '../lib/cni/plugins/bridge';
import { MacvlanPlugin } from '../lib/cni/plugins/macvlan';
import { PortmapPlugin } from '../lib/cni/plugins/portmap';
import { SriovPlugin } from '../lib/cni/plugins/sriov';
import { PluginsProfile } from '../lib/cni/profile';
import { ExternalNetwork } from '../lib/external-network';
import { PreinstalledCniPlugins } from '../lib/installers/inventory';
import { DEFAULT_NETWORK_ANNOTATION, NETWORKS_ANNOTATION, PortMappingProtocol, SELECTION_KEYS } from '../lib/multus/selection-element';
import { IpamMode, Network, NetworkPlugin } from '../lib/network';
import { NetworkAttachmentDefinition } from '../lib/network-attachment-definition';
import {
  FUNCTION_LABEL,
  NetworkFunction,
  NetworkFunctionContainer,
  REPLICA_LABEL,
  ReplicaAddressing,
  WorkloadKind,
} from '../lib/network-function';
import { expectValidObjects } from './util/schema';

const SRIOV_RESOURCE = 'intel.com/sriov_netdevice';
const APP: NetworkFunctionContainer = { name: 'app', image: 'registry.example.com/app:1.0.0' };

function chart(namespace: string | undefined = 'core'): Chart {
  const c = new Chart(Testing.app(), 'test', { namespace });
  PreinstalledCniPlugins.fromProfile(c, 'NodePlugins', PluginsProfile.UPSTREAM);
  return c;
}

/** Synthesizes, validates against the Kubernetes schemas, and returns the objects. */
function synth(c: Chart): any[] {
  const objects = Testing.synth(c);
  expectValidObjects(objects);
  return objects;
}

function podTemplate(o: any): any {
  return o.kind === 'Pod' ? o : o.spec.template;
}

/** The parsed networks annotation of every workload object, by object name. */
function annotations(objects: any[], key: string = NETWORKS_ANNOTATION): Record<string, any> {
  const out: Record<string, any> = {};
  for (const o of objects) {
    if (!['Pod', 'Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind)) continue;
    const text = podTemplate(o).metadata?.annotations?.[key];
    out[o.metadata.name] = text === undefined ? undefined : JSON.parse(text);
  }
  return out;
}

function nadConfig(objects: any[], name: string, namespace: string = 'core'): any {
  const nad = objects.find((o) => o.kind === 'NetworkAttachmentDefinition' && o.metadata.name === name && o.metadata.namespace === namespace);
  if (!nad) throw new Error(`no NAD ${namespace}/${name}`);
  return JSON.parse(nad.spec.config);
}

function containersOf(objects: any[], name: string): any[] {
  return podTemplate(objects.find((o) => o.metadata.name === name && o.kind !== 'NetworkAttachmentDefinition')).spec.containers;
}

const dataNet = (c: Chart, props: Partial<ConstructorParameters<typeof Network>[2]> = {}) =>
  new Network(c, 'Data', { plugin: NetworkPlugin.macvlan({ uplink: 'eth1' }), subnets: ['10.1.0.0/24'], ...props });

describe('NetworkFunction', () => {
  describe('the networks annotation', () => {
    test('is the JSON form on the pod template, in declared order, with only NPWG keys and explicit namespaces', () => {
      const c = chart();
      const data = dataNet(c, { ipam: IpamMode.STATIC, gateways: ['10.1.0.1'] });
      const mgmt = new Network(c, 'Mgmt', { plugin: NetworkPlugin.bridge({ bridge: 'br-mgmt' }), subnets: ['192.168.50.0/24'] });
      const fn = new NetworkFunction(c, 'Router', { containers: [APP] });
      fn.attach(mgmt);
      fn.attach(data, { interface: 'data0', ips: ['10.1.0.10/24'], defaultRoute: true, cniArgs: { vrf: 'blue' } });
      fn.attach(mgmt, { interface: 'mgmt1' });
      const objects = synth(c);
      const deployment = objects.find((o) => o.kind === 'Deployment');
      expect(deployment.metadata).toMatchObject({ name: 'router', namespace: 'core' });
      const text = deployment.spec.template.metadata.annotations[NETWORKS_ANNOTATION];
      expect(text.trim().startsWith('[')).toBe(true);
      const elements = JSON.parse(text);
      expect(elements).toEqual([
        { name: 'mgmt', namespace: 'core', interface: 'net1' },
        { name: 'data', namespace: 'core', interface: 'data0', ips: ['10.1.0.10/24'], 'default-route': ['10.1.0.1'], 'cni-args': { vrf: 'blue' } },
        { name: 'mgmt', namespace: 'core', interface: 'mgmt1' },
      ]);
      for (const e of elements) for (const k of Object.keys(e)) expect(SELECTION_KEYS).toContain(k);
      // the workload's own metadata carries no annotation; the pods do
      expect(deployment.metadata.annotations?.[NETWORKS_ANNOTATION]).toBeUndefined();
      expect(fn.attachments.map((a) => a.interface)).toEqual(['net1', 'data0', 'mgmt1']);
    });

    test('carries every NetworkSelectionElement field', () => {
      const c = chart();
      const net = new NetworkAttachmentDefinition(c, 'Nad', {
        metadata: { name: 'full' },
        config: CniConfig.list([
          new BridgePlugin({ bridge: 'br-full', ipam: HostLocalIpam.subnet('10.1.0.0/24') }),
          new PortmapPlugin({}),
          new BandwidthPlugin({}),
        ]),
      });
      const fn = new NetworkFunction(c, 'Fn', { containers: [APP] });
      fn.attach(net, {
        interface: 'full0',
        mac: '02:00:00:00:00:01',
        portMappings: [{ hostPort: 8080, containerPort: 80, protocol: PortMappingProtocol.TCP }],
        bandwidth: { ingressRate: 1000000, ingressBurst: 100000 },
        defaultRoute: ['10.1.0.1'],
        ipamClaimReference: 'fn-claim',
      });
      expect(annotations(synth(c)).fn).toEqual([{
        name: 'full', namespace: 'core', interface: 'full0', mac: '02:00:00:00:00:01', 'default-route': ['10.1.0.1'],
        portMappings: [{ hostPort: 8080, containerPort: 80, protocol: 'tcp' }],
        bandwidth: { ingressRate: 1000000, ingressBurst: 100000 },
        'ipam-claim-reference': 'fn-claim',
      }]);
    });

    test('attachments can be given as props', () => {
      const c = chart();
      const data = dataNet(c);
      new NetworkFunction(c, 'Fn', { containers: [APP], attachments: [{ network: data, interface: 'd0' }, { network: data, interface: 'd1' }] });
      expect(annotations(synth(c)).fn.map((e: any) => e.interface)).toEqual(['d0', 'd1']);
    });

    test.each([
      [WorkloadKind.POD, 'Pod'],
      [WorkloadKind.DEPLOYMENT, 'Deployment'],
      [WorkloadKind.STATEFUL_SET, 'StatefulSet'],
      [WorkloadKind.DAEMON_SET, 'DaemonSet'],
    ])('works on a %s', (kind, k8sKind) => {
      const c = chart();
      const fn = new NetworkFunction(c, 'Fn', { kind, containers: [{ ...APP, ports: [8080] }] });
      fn.attach(dataNet(c));
      const objects = synth(c);
      const w = objects.find((o) => o.kind === k8sKind);
      expect(podTemplate(w).metadata.labels[FUNCTION_LABEL]).toBe('fn');
      expect(annotations(objects).fn).toEqual([{ name: 'data', namespace: 'core', interface: 'net1' }]);
      expect(fn.podSelectorLabels).toEqual({ [FUNCTION_LABEL]: 'fn' });
    });

    test('references a NAD of another namespace with its namespace', () => {
      const c = chart();
      const infra = new NetworkAttachmentDefinition(c, 'Backhaul', {
        metadata: { name: 'backhaul', namespace: 'net-infra' },
        config: CniConfig.list([new MacvlanPlugin({ master: 'eth2', ipam: HostLocalIpam.subnet('10.40.0.0/24') })]),
      });
      new NetworkFunction(c, 'Fn', { containers: [APP] }).attach(infra, { interface: 'bh0' });
      expect(annotations(synth(c)).fn).toEqual([{ name: 'backhaul', namespace: 'net-infra', interface: 'bh0' }]);
    });

    test('references an external network by its declared namespace', () => {
      const c = chart();
      const ext = new ExternalNetwork(c, 'Vendor', { name: 'vendor-net', namespace: 'vendor' });
      new NetworkFunction(c, 'Fn', { containers: [APP] }).attach(ext, { mac: '02:00:00:00:00:09' });
      const objects = synth(c);
      expect(annotations(objects).fn).toEqual([{ name: 'vendor-net', namespace: 'vendor', interface: 'net1', mac: '02:00:00:00:00:09' }]);
      // nothing is synthesized for the external NAD
      expect(objects.filter((o) => o.kind === 'NetworkAttachmentDefinition')).toEqual([]);
    });

    test('defaultRoute: true routes through the logical network\'s gateway', () => {
      const c = chart();
      const n6 = new Network(c, 'N6', { plugin: NetworkPlugin.macvlan({ uplink: 'eth3' }), subnets: ['10.6.0.0/24'], gateways: ['10.6.0.254'] });
      new NetworkFunction(c, 'Fn', { containers: [APP] }).attach(n6, { defaultRoute: true });
      expect(annotations(synth(c)).fn[0]['default-route']).toEqual(['10.6.0.254']);
    });
  });

  describe('construction checks', () => {
    test('fail on bad function props, all reported at once', () => {
      expect(() => new NetworkFunction(chart(), 'Fn', { name: 'Bad_Name', containers: [] })).toThrow(
        /^NetworkFunction test\/Fn: 2 problems:\n  'name' is not a DNS-1123 label of at most 50 characters: got "Bad_Name"; .*\n  'containers' is empty: got \[\]; add at least one container$/,
      );
      // types and ranges are checked first (the props check), every one of them at once
      expect(() => new NetworkFunction(chart(), 'Fn', { name: 7, replicas: -1, containers: [] } as any)).toThrow(
        "NetworkFunction test/Fn: 2 problems:\n  'name' must be a non-empty string: got 7; write a non-empty string, not a number\n  'replicas' is out of range: must be an integer from 0 to 2147483647: got -1; write a value from 0 to 2147483647",
      );
    });

    test('fail on a namespace that is not a DNS-1123 label, given or from the chart', () => {
      expect(() => new NetworkFunction(chart(), 'Fn', { namespace: 'Core', containers: [APP] })).toThrow(
        /^NetworkFunction test\/Fn: 'namespace' is not a DNS-1123 label of at most 63 characters: got "Core"; use a valid namespace name/,
      );
      expect(() => new NetworkFunction(new Chart(Testing.app(), 'c', { namespace: 'n'.repeat(64) }), 'Fn', { containers: [APP] })).toThrow(
        /'namespace' is not a DNS-1123 label of at most 63 characters: got "n{64}"/,
      );
    });

    test('fail on images that are not pinned', () => {
      for (const image of ['registry.example.com/app', 'registry.example.com/app:latest']) {
        expect(() => new NetworkFunction(chart(), 'Fn', { containers: [{ name: 'app', image }] })).toThrow(
          new RegExp(`'containers\\[0\\]\\.image' is not pinned to a tag or digest: got "${image}"; write image:tag \\(not latest\\) or image@sha256:\\.\\.\\.`),
        );
      }
      expect(() => new NetworkFunction(chart(), 'Fn', { containers: [{ name: 'app', image: 'registry.example.com:5000/app@sha256:' + 'a'.repeat(64) }] })).not.toThrow();
    });

    test('fail on a StatefulSet without ports (its headless Service needs one)', () => {
      expect(() => new NetworkFunction(chart(), 'Fn', { kind: WorkloadKind.STATEFUL_SET, containers: [APP] })).toThrow(
        /^NetworkFunction test\/Fn: 'containers' declare no port, which the headless Service of a StatefulSet needs: got \["app"\]; add ports to a container, or use a Deployment$/,
      );
    });

    test('fail on two containers with one name', () => {
      expect(() => new NetworkFunction(chart(), 'Fn', { containers: [APP, APP] })).toThrow(/'containers\[1\]\.name' is used twice: got "app"/);
    });

    test('fail on per-replica addressing of a DaemonSet', () => {
      expect(() => new NetworkFunction(chart(), 'Fn', { kind: WorkloadKind.DAEMON_SET, replicaAddressing: ReplicaAddressing.PER_REPLICA, containers: [APP] })).toThrow(
        /'replicaAddressing' is per-replica but the workload is a DaemonSet: got "per-replica"; use a Deployment or StatefulSet, or shared addressing/,
      );
    });

    test.each([
      ['eth0 as interface name', { interface: 'eth0' }, /'interface' is taken by the cluster network or loopback: got "eth0"; pick another name, such as net1/],
      ['lo as interface name', { interface: 'lo' }, /'interface' is taken by the cluster network or loopback: got "lo"/],
      ['a 16-character interface name', { interface: 'dataplane-uplink' }, /'interface' is longer than 15 characters \(16\): got "dataplane-uplink"/],
      ['a multicast MAC', { mac: '01:00:5e:00:00:01' }, /'mac' is a multicast MAC address: got "01:00:5e:00:00:01"; clear bit 0/],
      ['a malformed MAC', { mac: '02:00:00:00:00' }, /'mac' is not a MAC address: got "02:00:00:00:00"/],
      ['a malformed IP', { ips: ['10.1.0.300/24'] }, /'ips\[0\]' is not an IP address: got "10\.1\.0\.300\/24"/],
      ['an unknown container', { container: 'sidecar' }, /'container' is not a container of the function: got "sidecar"; use one of app/],
      ['ipsPerReplica without per-replica addressing', { ipsPerReplica: [['10.1.0.5/24']] }, /'ipsPerReplica' needs per-replica addressing: got \[\["10\.1\.0\.5\/24"\]\]; set replicaAddressing: ReplicaAddressing\.PER_REPLICA on the function/],
      ['macPerReplica without per-replica addressing', { macPerReplica: ['02:00:00:00:00:01'] }, /'macPerReplica' needs per-replica addressing and one MAC per replica/],
    ])('fail on %s, naming the function and the attachment', (_what, options, message) => {
      const c = chart();
      const data = dataNet(c);
      const fn = new NetworkFunction(c, 'Fn', { containers: [APP] });
      let error: Error | undefined;
      try {
        fn.attach(data, options);
      } catch (e) {
        error = e as Error;
      }
      expect(error?.message).toMatch(/^NetworkFunction test\/Fn attachment 0 \(data\): /);
      expect(error?.message).toMatch(message);
    });

    test('fail on an interface name used twice in the function', () => {
      const c = chart();
      const data = dataNet(c);
      const fn = new NetworkFunction(c, 'Fn', { containers: [APP] });
      fn.attach(data, { interface: 'net2' });
      fn.attach(data);
      // the rulebook's rule (the one lint applies), reported at synth on the function's workload
      expect(() => Testing.synth(c)).toThrow(
        "[NfvTopologyValidation] [test/Fn/Workload] 'attachments[1].interface' is used twice in the pod (also by attachment 0): got \"net2\"; give every attachment of a pod its own interface name",
      );
    });

    test('fail on a logical network as the default-network override', () => {
      const c = chart();
      const data = dataNet(c);
      expect(() => new NetworkFunction(c, 'Fn', { containers: [APP], defaultNetwork: data })).toThrow(
        /^'defaultNetwork' cannot be a logical network: got test\/Data; .*network\.nadFor\('kube-system'\)/,
      );
    });
  });

  describe('capability coherence (requests that Multus would drop silently)', () => {
    test('ips on a host-local network declares the ips capability on the NAD of the namespace', () => {
      const c = chart();
      const data = dataNet(c);
      new NetworkFunction(c, 'Fn', { containers: [APP] }).attach(data, { ips: ['10.1.0.5/24'] });
      new NetworkFunction(c, 'Other', { namespace: 'edge', containers: [APP] }).attach(data);
      const objects = synth(c);
      expect(nadConfig(objects, 'data').plugins[0].capabilities).toEqual({ ips: true });
      // the NAD of the other namespace asks for nothing
      expect(nadConfig(objects, 'data', 'edge').plugins[0].capabilities).toBeUndefined();
    });

    test('mac on bridge declares mac on bridge; portMappings and bandwidth on the chained plugins that read them', () => {
      const c = chart();
      const web = dataNet(c, { plugin: NetworkPlugin.bridge({ bridge: 'br-web' }), chain: () => [new PortmapPlugin({}), new BandwidthPlugin({})] });
      new NetworkFunction(c, 'Fn', { containers: [APP] }).attach(web, {
        mac: '02:00:00:00:00:02',
        portMappings: [{ hostPort: 8080, containerPort: 80 }],
        bandwidth: { egressRate: 1000000, egressBurst: 100000 },
      });
      const config = nadConfig(synth(c), 'data');
      expect(config.plugins.map((p: any) => [p.type, p.capabilities])).toEqual([
        ['bridge', { mac: true }],
        ['portmap', { portMappings: true }],
        ['bandwidth', { bandwidth: true }],
      ]);
    });

    test('a capability already declared is left as it is', () => {
      const c = chart();
      const nad = new NetworkAttachmentDefinition(c, 'Nad', {
        metadata: { name: 'pre' },
        config: CniConfig.list([new MacvlanPlugin({ master: 'eth1', ipam: HostLocalIpam.subnet('10.1.0.0/24'), capabilities: [Capability.IPS] })]),
      });
      new NetworkFunction(c, 'Fn', { containers: [APP] }).attach(nad, { ips: ['10.1.0.5/24'] });
      expect(nadConfig(synth(c), 'pre').plugins[0].capabilities).toEqual({ ips: true });
    });

    test('fails on portMappings when no plugin of the chain reads them (no portmap)', () => {
      const c = chart();
      const data = dataNet(c);
      const fn = new NetworkFunction(c, 'Fn', { containers: [APP] });
      expect(() => fn.attach(data, { portMappings: [{ hostPort: 8080, containerPort: 80 }] })).toThrow(
        /^NetworkFunction test\/Fn attachment 0 \(data\): 'portMappings' cannot be honoured: no plugin of the chain \(macvlan\) reads 'portMappings': got "portMappings"; chain a portmap plugin/,
      );
    });

    test('fails on bandwidth without a bandwidth plugin', () => {
      const c = chart();
      const fn = new NetworkFunction(c, 'Fn', { containers: [APP] });
      expect(() => fn.attach(dataNet(c), { bandwidth: { ingressRate: 1000, ingressBurst: 100 } })).toThrow(
        /'bandwidth' cannot be honoured: no plugin of the chain \(macvlan\) reads 'bandwidth'/,
      );
    });

    test('fails on mac with a plugin that cannot set it (ipvlan shares the parent MAC)', () => {
      const c = chart();
      const l3 = new Network(c, 'L3', { plugin: NetworkPlugin.ipvlan({ uplink: 'eth1' }), subnets: ['10.2.0.0/24'] });
      const fn = new NetworkFunction(c, 'Fn', { containers: [APP] });
      expect(() => fn.attach(l3, { mac: '02:00:00:00:00:03' })).toThrow(/'mac' cannot be honoured: no plugin of the chain \(ipvlan\) reads 'mac'/);
    });

    test('fails on ips with an IPAM that cannot take them (dhcp)', () => {
      const c = chart();
      const nad = new NetworkAttachmentDefinition(c, 'Nad', {
        metadata: { name: 'dyn' },
        config: CniConfig.list([new MacvlanPlugin({ master: 'eth1', ipam: new DhcpIpam({}) })]),
      });
      const fn = new NetworkFunction(c, 'Fn', { containers: [APP] });
      expect(() => fn.attach(nad, { ips: ['10.1.0.5/24'] })).toThrow(/'ips' cannot be honoured: no plugin of the chain \(macvlan\) reads 'ips'/);
    });

    test('fails on infiniband-guid on a chain that does not read it', () => {
      const c = chart();
      const fn = new NetworkFunction(c, 'Fn', { containers: [APP] });
      expect(() => fn.attach(dataNet(c), { infinibandGuid: '00:11:22:33:44:55:66:77' })).toThrow(/'infinibandGuid' cannot be honoured: no plugin of the chain \(macvlan\) reads 'infinibandGUID'/);
    });
  });

  describe('SR-IOV coupling', () => {
    function resources(objects: any[], fnName: string, container: number): any {
      return containersOf(objects, fnName)[container].resources;
    }

    test('attaching twice to an SR-IOV network requests two devices on the first container, limits too', () => {
      const c = chart();
      const n3 = new Network(c, 'N3', { plugin: NetworkPlugin.sriov({ resourceName: SRIOV_RESOURCE }), subnets: ['10.3.0.0/24'] });
      const fn = new NetworkFunction(c, 'Upf', { containers: [APP, { name: 'sidecar', image: 'registry.example.com/sidecar:1.0.0' }] });
      fn.attach(n3, { interface: 'n3a' });
      fn.attach(n3, { interface: 'n3b' });
      const objects = synth(c);
      expect(resources(objects, 'upf', 0).requests[SRIOV_RESOURCE]).toBe('2');
      expect(resources(objects, 'upf', 0).limits[SRIOV_RESOURCE]).toBe('2');
      // the other container gets none, and the CPU and memory defaults stay
      expect(resources(objects, 'upf', 1).requests[SRIOV_RESOURCE]).toBeUndefined();
      expect(resources(objects, 'upf', 0).requests.cpu).toBe('1000m');
      const nad = objects.find((o) => o.kind === 'NetworkAttachmentDefinition');
      expect(nad.metadata.annotations['k8s.v1.cni.cncf.io/resourceName']).toBe(SRIOV_RESOURCE);
    });

    test('the device goes to the container the attachment names, one per attachment', () => {
      const c = chart();
      const nad = new NetworkAttachmentDefinition(c, 'Sriov', {
        metadata: { name: 'sriov-n6' },
        resourceName: SRIOV_RESOURCE,
        config: CniConfig.list([new SriovPlugin({ vlan: 600, ipam: HostLocalIpam.subnet('10.6.0.0/24') })]),
      });
      const other = new NetworkAttachmentDefinition(c, 'Mlx', {
        metadata: { name: 'sriov-mlx' },
        resourceName: 'mellanox.com/cx6',
        config: CniConfig.list([new SriovPlugin({ ipam: HostLocalIpam.subnet('10.7.0.0/24') })]),
      });
      const fn = new NetworkFunction(c, 'Upf', { containers: [APP, { name: 'dp', image: 'registry.example.com/dp:2.0.0' }] });
      fn.attach(nad, { container: 'dp', interface: 'n6' });
      fn.attach(other, { container: 'dp', interface: 'mlx0' });
      fn.attach(nad, { interface: 'n6b' });
      const objects = synth(c);
      expect(resources(objects, 'upf', 1).requests).toMatchObject({ [SRIOV_RESOURCE]: '1', 'mellanox.com/cx6': '1' });
      expect(resources(objects, 'upf', 1).limits).toMatchObject({ [SRIOV_RESOURCE]: '1', 'mellanox.com/cx6': '1' });
      expect(resources(objects, 'upf', 0).requests[SRIOV_RESOURCE]).toBe('1');
      expect(resources(objects, 'upf', 0).limits[SRIOV_RESOURCE]).toBe('1');
    });

    test('works on a bare Pod and an external network with a resource', () => {
      const c = chart();
      const ext = new ExternalNetwork(c, 'Ext', { name: 'vendor-sriov', namespace: 'vendor', resourceName: SRIOV_RESOURCE });
      const fn = new NetworkFunction(c, 'Probe', { kind: WorkloadKind.POD, containers: [APP] });
      fn.attach(ext);
      const objects = synth(c);
      const pod = objects.find((o) => o.kind === 'Pod');
      expect(pod.spec.containers[0].resources.requests[SRIOV_RESOURCE]).toBe('1');
      expect(pod.spec.containers[0].resources.limits[SRIOV_RESOURCE]).toBe('1');
    });

    test('works on containers with their own resources, or an empty resources block', () => {
      const c = chart();
      const n3 = new Network(c, 'N3', { plugin: NetworkPlugin.sriov({ resourceName: SRIOV_RESOURCE }) });
      const fn = new NetworkFunction(c, 'Upf', {
        containers: [
          { ...APP, resources: { cpu: { limit: kplus.Cpu.millis(500) } } },
          { name: 'dp', image: 'registry.example.com/dp:2.0.0', resources: {} },
          { name: 'cp', image: 'registry.example.com/cp:2.0.0', resources: { memory: { request: Size.mebibytes(256) } } },
        ],
      });
      fn.attach(n3);
      fn.attach(n3, { container: 'dp' });
      fn.attach(n3, { container: 'dp' });
      fn.attach(n3, { container: 'cp' });
      const objects = synth(c);
      expect(resources(objects, 'upf', 0)).toEqual({ limits: { cpu: '500m', [SRIOV_RESOURCE]: '1' }, requests: { [SRIOV_RESOURCE]: '1' } });
      expect(resources(objects, 'upf', 1)).toEqual({ limits: { [SRIOV_RESOURCE]: '2' }, requests: { [SRIOV_RESOURCE]: '2' } });
      expect(resources(objects, 'upf', 2)).toEqual({ limits: { [SRIOV_RESOURCE]: '1' }, requests: { memory: '256Mi', [SRIOV_RESOURCE]: '1' } });
    });

    test('every per-replica workload gets its devices', () => {
      const c = chart();
      const n3 = new Network(c, 'N3', { plugin: NetworkPlugin.sriov({ resourceName: SRIOV_RESOURCE }), subnets: ['10.3.0.0/24'] });
      const fn = new NetworkFunction(c, 'Upf', { replicas: 2, replicaAddressing: ReplicaAddressing.PER_REPLICA, containers: [APP] });
      fn.attach(n3);
      const objects = synth(c);
      for (const name of ['upf-0', 'upf-1']) expect(containersOf(objects, name)[0].resources.limits[SRIOV_RESOURCE]).toBe('1');
    });
  });

  describe('least privilege', () => {
    test('containers drop ALL capabilities, add only the declared ones, and are never privileged by default', () => {
      const c = chart();
      new NetworkFunction(c, 'Router', {
        containers: [
          { name: 'router', image: 'quay.io/frrouting/frr:10.2.1', capabilities: [kplus.Capability.NET_ADMIN, kplus.Capability.NET_RAW] },
          { name: 'exporter', image: 'registry.example.com/exporter:1.0.0' },
        ],
      });
      const [router, exporter] = containersOf(synth(c), 'router');
      expect(router.securityContext).toEqual({
        privileged: false,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        // capabilities only take effect for root
        runAsNonRoot: false,
        capabilities: { drop: ['ALL'], add: ['CAP_NET_ADMIN', 'CAP_NET_RAW'] },
      });
      expect(exporter.securityContext).toEqual({
        privileged: false,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
      });
    });

    test('privileged is an explicit opt-in', () => {
      const c = chart();
      new NetworkFunction(c, 'Fn', { containers: [{ ...APP, privileged: true }] });
      expect(containersOf(synth(c), 'fn')[0].securityContext).toMatchObject({ privileged: true, allowPrivilegeEscalation: true });
    });

    test('the service account token is not mounted', () => {
      const c = chart();
      new NetworkFunction(c, 'Fn', { containers: [APP] });
      const d = synth(c).find((o) => o.kind === 'Deployment');
      expect(d.spec.template.spec.automountServiceAccountToken).toBe(false);
    });
  });

  describe('per-replica addressing', () => {
    test('one single-replica workload per replica, each with its own addresses and MAC', () => {
      const c = chart();
      const n3 = dataNet(c, { ipam: IpamMode.STATIC });
      const fn = new NetworkFunction(c, 'Upf', { replicas: 3, replicaAddressing: ReplicaAddressing.PER_REPLICA, containers: [APP] });
      fn.attach(n3, {
        interface: 'n3',
        ipsPerReplica: [['10.1.0.20/24'], ['10.1.0.21/24'], ['10.1.0.22/24']],
        macPerReplica: ['02:00:00:00:03:20', '02:00:00:00:03:21', '02:00:00:00:03:22'],
      });
      const objects = synth(c);
      const deployments = objects.filter((o) => o.kind === 'Deployment');
      expect(deployments.map((d) => [d.metadata.name, d.spec.replicas, d.spec.template.metadata.labels[REPLICA_LABEL], d.spec.template.metadata.labels[FUNCTION_LABEL]])).toEqual([
        ['upf-0', 1, '0', 'upf'], ['upf-1', 1, '1', 'upf'], ['upf-2', 1, '2', 'upf'],
      ]);
      const a = annotations(objects);
      expect([0, 1, 2].map((i) => a[`upf-${i}`][0])).toEqual([0, 1, 2].map((i) => ({
        name: 'data', namespace: 'core', interface: 'n3', ips: [`10.1.0.2${i}/24`], mac: `02:00:00:00:03:2${i}`,
      })));
      expect(fn.workloads).toHaveLength(3);
      expect(fn.selectionElements(2)[0].ips).toEqual(['10.1.0.22/24']);
    });

    test('a StatefulSet per replica works too', () => {
      const c = chart();
      const fn = new NetworkFunction(c, 'Db', { kind: WorkloadKind.STATEFUL_SET, replicas: 2, replicaAddressing: ReplicaAddressing.PER_REPLICA, containers: [{ ...APP, ports: [5432] }] });
      fn.attach(dataNet(c, { ipam: IpamMode.STATIC }), { ipsPerReplica: [['10.1.0.30/24'], ['10.1.0.31/24']] });
      expect(synth(c).filter((o) => o.kind === 'StatefulSet').map((s) => [s.metadata.name, s.spec.replicas])).toEqual([['db-0', 1], ['db-1', 1]]);
    });

    test('fails when ipsPerReplica does not have one entry per replica', () => {
      const c = chart();
      const fn = new NetworkFunction(c, 'Upf', { replicas: 3, replicaAddressing: ReplicaAddressing.PER_REPLICA, containers: [APP] });
      expect(() => fn.attach(dataNet(c, { ipam: IpamMode.STATIC }), { ipsPerReplica: [['10.1.0.20/24']] })).toThrow(
        /'ipsPerReplica' has 1 entries for 3 replicas: got \[\["10\.1\.0\.20\/24"\]\]; give one address list per replica/,
      );
    });

    test('fails when ips and ipsPerReplica are combined', () => {
      const c = chart();
      const fn = new NetworkFunction(c, 'Upf', { replicas: 1, replicaAddressing: ReplicaAddressing.PER_REPLICA, containers: [APP] });
      expect(() => fn.attach(dataNet(c, { ipam: IpamMode.STATIC }), { ips: ['10.1.0.20/24'], ipsPerReplica: [['10.1.0.21/24']] })).toThrow(
        /'ips' cannot be combined with 'ipsPerReplica'/,
      );
    });
  });

  describe('default-network override', () => {
    test('writes v1.multus-cni.io/default-network with exactly one element and its namespace', () => {
      const c = chart();
      const primary = new ExternalNetwork(c, 'Calico', { name: 'calico', namespace: 'kube-system' });
      const fn = new NetworkFunction(c, 'Fn', { containers: [APP], defaultNetwork: primary });
      fn.attach(dataNet(c));
      const objects = synth(c);
      expect(annotations(objects, DEFAULT_NETWORK_ANNOTATION).fn).toEqual([{ name: 'calico', namespace: 'kube-system' }]);
      expect(annotations(objects).fn).toEqual([{ name: 'data', namespace: 'core', interface: 'net1' }]);
      expect(fn.defaultNetwork).toBe(primary);
    });

    test('a NAD of the App derived for kube-system works as the default network', () => {
      const c = chart();
      const primary = new Network(c, 'Primary', { plugin: NetworkPlugin.bridge({ bridge: 'cni0' }), subnets: ['10.244.0.0/16'] });
      new NetworkFunction(c, 'Fn', { containers: [APP], defaultNetwork: primary.nadFor('kube-system') });
      expect(annotations(synth(c), DEFAULT_NETWORK_ANNOTATION).fn).toEqual([{ name: 'primary', namespace: 'kube-system' }]);
    });
  });

  describe('bonding', () => {
    test('addBond renders a bond NAD over the pod interfaces of two attachments (linksInContainer), attached after them', () => {
      const c = chart();
      const n3 = new Network(c, 'N3', { plugin: NetworkPlugin.sriov({ resourceName: SRIOV_RESOURCE }) });
      const fn = new NetworkFunction(c, 'Upf', { containers: [APP] });
      const a = fn.attach(n3, { interface: 'n3a' });
      const b = fn.attach(n3, { interface: 'n3b' });
      const bond = fn.addBond({ links: [a, b], interface: 'bond0', ipam: HostLocalIpam.subnet('10.3.0.0/24') });
      expect(bond).toMatchObject({ nadName: 'upf-bond0', nadNamespace: 'core', interface: 'bond0' });
      const objects = synth(c);
      expect(annotations(objects).upf).toEqual([
        { name: 'n3', namespace: 'core', interface: 'n3a' },
        { name: 'n3', namespace: 'core', interface: 'n3b' },
        { name: 'upf-bond0', namespace: 'core', interface: 'bond0' },
      ]);
      expect(nadConfig(objects, 'upf-bond0')).toEqual({
        cniVersion: '1.0.0',
        name: 'upf-bond0',
        plugins: [{
          type: 'bond',
          mode: 'active-backup',
          miimon: '100',
          links: [{ name: 'n3a' }, { name: 'n3b' }],
          linksInContainer: true,
          failOverMac: 1,
          ipam: { type: 'host-local', ranges: [[{ subnet: '10.3.0.0/24' }]] },
        }],
      });
      // the bond itself needs no device; the two VFs do
      expect(containersOf(objects, 'upf')[0].resources.limits[SRIOV_RESOURCE]).toBe('2');
    });

    test('other modes and intervals', () => {
      const c = chart();
      const data = dataNet(c);
      const fn = new NetworkFunction(c, 'Fn', { containers: [APP] });
      const links = [fn.attach(data, { interface: 'p0' }), fn.attach(data, { interface: 'p1' })];
      fn.addBond({ links, interface: 'agg0', mode: BondMode.BALANCE_XOR, miimonMs: 50 });
      const plugin = nadConfig(synth(c), 'fn-agg0').plugins[0];
      expect(plugin).toMatchObject({ mode: 'balance-xor', miimon: '50', links: [{ name: 'p0' }, { name: 'p1' }] });
      expect(plugin).not.toHaveProperty('failOverMac');
    });

    test('fails over fewer than two links, or links of another function', () => {
      const c = chart();
      const data = dataNet(c);
      const fn = new NetworkFunction(c, 'Fn', { containers: [APP] });
      const other = new NetworkFunction(c, 'Other', { containers: [APP] });
      const a = fn.attach(data, { interface: 'p0' });
      const foreign = other.attach(data, { interface: 'p1' });
      expect(() => fn.addBond({ links: [a] })).toThrow(
        /^NetworkFunction test\/Fn bond bond0: 'links' needs at least two attachments: got \["p0"\]; aggregate two or more attachments$/,
      );
      expect(() => fn.addBond({ links: [a, foreign] })).toThrow(/'links' names an attachment of another function: got "p1"; aggregate attachments of this function/);
    });
  });

  test('the namespace defaults to the chart\'s, else default', () => {
    const app = Testing.app();
    PreinstalledCniPlugins.fromProfile(app as unknown as Chart, 'NodePlugins', PluginsProfile.UPSTREAM);
    const withNs = new NetworkFunction(new Chart(app, 'a', { namespace: 'ran' }), 'Fn', { containers: [APP] });
    const without = new NetworkFunction(new Chart(app, 'b'), 'Fn', { containers: [APP] });
    expect(withNs.namespace).toBe('ran');
    expect(without.namespace).toBe('default');
  });

  test('synthesizes deterministically', () => {
    const build = () => {
      const app = new App({ outdir: Testing.app().outdir });
      const c = new Chart(app, 'test', { namespace: 'core' });
      PreinstalledCniPlugins.fromProfile(c, 'NodePlugins', PluginsProfile.UPSTREAM);
      const fn = new NetworkFunction(c, 'Fn', { containers: [APP] });
      fn.attach(dataNet(c, { ipam: IpamMode.STATIC }), { ips: ['10.1.0.5/24'] });
      return app.synthYaml();
    };
    expect(build()).toBe(build());
  });
});
