import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  CniCapability, CniConfig, HostLocalIpam, MacvlanMode, MacvlanPlugin, NetworkAttachmentDefinition, PluginsProfile,
  PreinstalledCniPlugins, SriovPlugin, HostDevicePlugin, formatProblem,
} from '../lib';
import { UncheckedPlugin } from '../lib/cni/plugin';
import { PodNetworks } from '../lib/pod-networks';
import { deviceSourceProblems } from '../lib/topology/network-rules';
import { RESOURCE_NAME_ANNOTATION } from '../lib/network-attachment-definition';
import { DNS1123_LABEL } from '../lib/multus/selection-element';
import { expectValidObjects, schemaErrors } from './util/schema';

function chartWithPlugins(): Chart {
  const chart = Testing.chart();
  PreinstalledCniPlugins.fromProfile(chart, 'NodePlugins', PluginsProfile.UPSTREAM);
  return chart;
}

function macvlanList(): CniConfig {
  return CniConfig.list([new MacvlanPlugin({ master: 'eth0', mode: MacvlanMode.BRIDGE, ipam: HostLocalIpam.subnet('10.10.10.0/24') })]);
}

function nads(chart: Chart): any[] {
  return Testing.synth(chart).filter((o) => o.kind === 'NetworkAttachmentDefinition');
}

describe('NetworkAttachmentDefinition', () => {
  test('writes spec.config as the config JSON, its name defaulting to the NAD name', () => {
    const chart = chartWithPlugins();
    const n = new NetworkAttachmentDefinition(chart, 'Net', { metadata: { name: 'lan01' }, config: macvlanList() });
    const [obj] = nads(chart);
    expect(obj.apiVersion).toBe('k8s.cni.cncf.io/v1');
    expect(obj.metadata.name).toBe('lan01');
    expect(typeof obj.spec.config).toBe('string');
    expect(JSON.parse(obj.spec.config)).toEqual({
      cniVersion: '1.0.0', name: 'lan01',
      plugins: [{ type: 'macvlan', master: 'eth0', mode: 'bridge', ipam: { type: 'host-local', ranges: [[{ subnet: '10.10.10.0/24' }]] } }],
    });
    expect(n.name).toBe('lan01');
    expect(JSON.parse(n.renderConfig())).toEqual(JSON.parse(obj.spec.config));
    expect(obj.metadata.annotations).toBeUndefined();
  });

  test('a config with its own name keeps it', () => {
    const chart = chartWithPlugins();
    new NetworkAttachmentDefinition(chart, 'Net', {
      metadata: { name: 'lan01' },
      config: CniConfig.list([new MacvlanPlugin({ master: 'eth0' })], { name: 'own-net' }),
    });
    const [obj] = nads(chart);
    expect(obj.metadata.name).toBe('lan01');
    expect(JSON.parse(obj.spec.config).name).toBe('own-net');
  });

  test('a generated name is a DNS-1123 label and names the config', () => {
    const chart = chartWithPlugins();
    const n = new NetworkAttachmentDefinition(chart, 'Net', { config: macvlanList() });
    expect(n.name).toMatch(DNS1123_LABEL);
    const [obj] = nads(chart);
    expect(obj.metadata.name).toBe(n.name);
    expect(JSON.parse(obj.spec.config).name).toBe(n.name);
  });

  test('without a config, spec is empty and renderConfig fails with a fix', () => {
    const chart = chartWithPlugins();
    const n = new NetworkAttachmentDefinition(chart, 'Net', { metadata: { name: 'from-node-file' } });
    expect(n.config).toBeUndefined();
    const [obj] = nads(chart);
    expect(obj.spec).toEqual({});
    expect(() => n.renderConfig()).toThrow(/^'config' is not set on .*Net: got nothing; this NAD reads its config from a file on the node$/);
  });

  test('resourceName writes the resourceName annotation, merged with the user annotations', () => {
    const chart = chartWithPlugins();
    const n = new NetworkAttachmentDefinition(chart, 'Net', {
      metadata: { name: 'sriov-a', annotations: { 'example.com/owner': 'team-a' } },
      config: CniConfig.list([new SriovPlugin({ vlan: 100 })]),
      resourceName: 'intel.com/sriov_netdevice',
    });
    expect(n.resourceName).toBe('intel.com/sriov_netdevice');
    const [obj] = nads(chart);
    expect(obj.metadata.annotations).toEqual({
      'example.com/owner': 'team-a',
      [RESOURCE_NAME_ANNOTATION]: 'intel.com/sriov_netdevice',
    });
    expect(RESOURCE_NAME_ANNOTATION).toBe('k8s.v1.cni.cncf.io/resourceName');
    expect(JSON.parse(obj.spec.config).plugins).toEqual([{ type: 'sriov', vlan: 100 }]);
  });

  test('user annotations alone are kept', () => {
    const chart = chartWithPlugins();
    new NetworkAttachmentDefinition(chart, 'Net', { metadata: { name: 'a', annotations: { x: 'y' } }, config: macvlanList() });
    expect(nads(chart)[0].metadata.annotations).toEqual({ x: 'y' });
  });

  describe('namespace and qualifiedName', () => {
    test('from metadata', () => {
      const chart = chartWithPlugins();
      const n = new NetworkAttachmentDefinition(chart, 'Net', { metadata: { name: 'lan01', namespace: 'cnf' }, config: macvlanList() });
      expect(n.namespace).toBe('cnf');
      expect(n.qualifiedName).toBe('cnf/lan01');
      expect(nads(chart)[0].metadata.namespace).toBe('cnf');
    });

    test('from the chart', () => {
      const app = Testing.app();
      const chart = new Chart(app, 'C', { namespace: 'telco' });
      PreinstalledCniPlugins.fromProfile(chart, 'NodePlugins', PluginsProfile.UPSTREAM);
      const n = new NetworkAttachmentDefinition(chart, 'Net', { metadata: { name: 'lan01' }, config: macvlanList() });
      expect(n.namespace).toBe('telco');
      expect(n.qualifiedName).toBe('telco/lan01');
    });

    test('metadata wins over the chart', () => {
      const app = Testing.app();
      const chart = new Chart(app, 'C', { namespace: 'telco' });
      PreinstalledCniPlugins.fromProfile(chart, 'NodePlugins', PluginsProfile.UPSTREAM);
      const n = new NetworkAttachmentDefinition(chart, 'Net', { metadata: { name: 'lan01', namespace: 'cnf' }, config: macvlanList() });
      expect(n.qualifiedName).toBe('cnf/lan01');
    });

    test('no namespace: the bare name', () => {
      const chart = chartWithPlugins();
      const n = new NetworkAttachmentDefinition(chart, 'Net', { metadata: { name: 'lan01' }, config: macvlanList() });
      expect(n.namespace).toBeUndefined();
      expect(n.qualifiedName).toBe('lan01');
    });
  });

  test('spec.config is rendered lazily: a capability added after construction appears', () => {
    const chart = chartWithPlugins();
    const plugin = new MacvlanPlugin({ master: 'eth0' });
    const n = new NetworkAttachmentDefinition(chart, 'Net', { metadata: { name: 'lan01' }, config: CniConfig.list([plugin]) });
    n.config!.ensureCapability(CniCapability.MAC);
    const [obj] = nads(chart);
    expect(JSON.parse(obj.spec.config).plugins[0]).toEqual({ type: 'macvlan', master: 'eth0', capabilities: { mac: true } });
  });

  test('the output is valid against the schemas', () => {
    const chart = chartWithPlugins();
    new NetworkAttachmentDefinition(chart, 'Net', { metadata: { name: 'lan01', namespace: 'cnf' }, config: macvlanList() });
    new NetworkAttachmentDefinition(chart, 'NodeFile', { metadata: { name: 'node-file' } });
    new NetworkAttachmentDefinition(chart, 'Sriov', {
      metadata: { name: 'sriov-a' }, config: CniConfig.list([new SriovPlugin()]), resourceName: 'intel.com/sriov_netdevice',
    });
    const objects = Testing.synth(chart);
    expect(objects.filter((o) => o.kind === 'NetworkAttachmentDefinition')).toHaveLength(3);
    expectValidObjects(objects);
    // the schema check itself can fail
    expect(schemaErrors({ apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name: 'x' }, spec: { config: 5 } })).toHaveLength(1);
  });

  describe('failures', () => {
    test('fails on a name that is not a DNS-1123 label', () => {
      const chart = chartWithPlugins();
      expect(() => new NetworkAttachmentDefinition(chart, 'Net', { metadata: { name: 'Lan_01' }, config: macvlanList() }))
        .toThrow(/'metadata\.name' is not a DNS-1123 label \(lowercase letters, digits and "-", at most 63 characters\): got "Lan_01"; set metadata\.name to a short name such as "data-plane"/);
    });

    test('fails on a name longer than 63 characters, accepts 63', () => {
      const chart = chartWithPlugins();
      const long = 'a'.repeat(64);
      expect(() => new NetworkAttachmentDefinition(chart, 'Long', { metadata: { name: long }, config: macvlanList() }))
        .toThrow(new RegExp(`'metadata\\.name' is not a DNS-1123 label .*: got "${long}"; `));
      expect(new NetworkAttachmentDefinition(chart, 'Ok', { metadata: { name: 'a'.repeat(63) }, config: macvlanList() }).name).toHaveLength(63);
    });

    test('fails on a namespace that is not a DNS-1123 label, given or from the chart', () => {
      const chart = chartWithPlugins();
      expect(() => new NetworkAttachmentDefinition(chart, 'Net', { metadata: { name: 'lan', namespace: 'Core' }, config: macvlanList() }))
        .toThrow(/'metadata\.namespace' is not a DNS-1123 label of at most 63 characters: got "Core"; use a valid namespace name/);
      const upper = new Chart(chart.node.scope as App, 'upper', { namespace: 'Edge_1' });
      expect(() => new NetworkAttachmentDefinition(upper, 'Net', { metadata: { name: 'lan' }, config: macvlanList() }))
        .toThrow(/'metadata\.namespace' is not a DNS-1123 label of at most 63 characters: got "Edge_1"; /);
    });

    test('fails on a bad resourceName', () => {
      const chart = chartWithPlugins();
      expect(() => new NetworkAttachmentDefinition(chart, 'Net', {
        metadata: { name: 'lan01' }, config: macvlanList(), resourceName: 'intel.com/sriov netdevice',
      })).toThrow(/'resourceName' is not an extended resource name: got "intel\.com\/sriov netdevice"; write vendor-domain\/resource, e\.g\. "intel\.com\/sriov_netdevice"/);
    });

    test('fails on an sriov config without resourceName', () => {
      const chart = chartWithPlugins();
      expect(() => new NetworkAttachmentDefinition(chart, 'Net', { metadata: { name: 'sriov-a' }, config: CniConfig.list([new SriovPlugin()]) }))
        .toThrow(/'resourceName' is required for an sriov network: Multus takes the VF from the device plugin: got nothing; set resourceName to the SR-IOV device plugin resource/);
    });

    test('reports every problem at once, under the construct path', () => {
      const chart = chartWithPlugins();
      expect(() => new NetworkAttachmentDefinition(chart, 'Net', { metadata: { name: 'BAD' }, resourceName: '/x' }))
        .toThrow(/^NetworkAttachmentDefinition .*Net: 2 problems:\n  'metadata\.name' .*\n  'resourceName' /);
    });

    test('fails at synth when no construct declares the plugins on the nodes', () => {
      const app = Testing.app();
      const chart = new Chart(app, 'Bare');
      new NetworkAttachmentDefinition(chart, 'Net', { metadata: { name: 'lan01' }, config: macvlanList() });
      expect(() => app.synth()).toThrow(/is not installed on the nodes/);
    });

    test('declared plugins: the same app synthesizes', () => {
      const app = new App({ outdir: require('fs').mkdtempSync(require('path').join(require('os').tmpdir(), 'nad-')) });
      const chart = new Chart(app, 'Ok');
      PreinstalledCniPlugins.fromProfile(chart, 'NodePlugins', PluginsProfile.UPSTREAM);
      new NetworkAttachmentDefinition(chart, 'Net', { metadata: { name: 'lan01' }, config: macvlanList() });
      expect(() => app.synth()).not.toThrow();
    });
  });
});

describe('reproducing an existing NAD exactly by meaning (metadata as it is, config through CniConfig.fromJson)', () => {
  // NADs of the real-world corpus, read verbatim from its upstream.yaml files
  const CASES: [folder: string, name: string, shape: string][] = [
    ['charmed-sdcore-upf', 'access-net', 'single bridge config, address baked into static IPAM, mac capability'],
    ['charmed-sdcore-upf', 'core-net', 'the same on another bridge'],
    ['free5gc-helm', 'n2network-free5gc-helm-free5gc-amf', 'ipvlan list without a name, static IPAM with the ips capability, default route'],
    ['free5gc-helm', 'n6network-free5gc-helm-free5gc-upf', 'ipvlan list on another master'],
    ['antrea-secondary-network', 'sriov-net-a', 'a plugin the library does not type (antrea) with the resourceName annotation'],
    ['ovs-cni-demo', 'ovs-net-1', 'ovs with the ovs-cni marker resourceName'],
    ['ovn-kubernetes-multihoming', 'l3-network', 'ovn-k8s-cni-overlay layer3 topology'],
    ['kube-ovn-multi-nic', 'macvlan', 'macvlan with the kube-ovn IPAM of the primary CNI'],
    ['userspace-cni-examples', 'userspace-ovs-net-1', 'userspace OVS-DPDK vhost-user'],
  ];

  function upstreamNad(folder: string, name: string): any {
    const text = fs.readFileSync(path.join(__dirname, 'corpus', folder, 'upstream.yaml'), 'utf8');
    const found = parseAllDocuments(text).map((d) => d.toJS()).find((o: any) => o?.kind === 'NetworkAttachmentDefinition' && o.metadata?.name === name);
    if (!found) throw new Error(`no NAD ${name} in test/corpus/${folder}/upstream.yaml`);
    return found;
  }

  test.each(CASES)('%s/%s: %s', (folder, name) => {
    const upstream = upstreamNad(folder, name);
    const config = CniConfig.fromJson(upstream.spec.config);
    const chart = Testing.chart();
    // the nodes run what the config names (declared: the inventory check needs every type)
    new PreinstalledCniPlugins(chart, 'Nodes', { types: config.plugins.flatMap((p) => [p.type, ...(p.ipam ? [p.ipam.type] : [])]) });
    const nad = new NetworkAttachmentDefinition(chart, 'Nad', { metadata: upstream.metadata, config });
    const [out] = nads(chart);
    expect(out.metadata).toEqual(upstream.metadata);
    const expected = JSON.parse(upstream.spec.config);
    // Multus injects the NAD's name into a config without one (network-attachment-definition-client GetCNIConfigFromSpec)
    if (expected.name === undefined) expected.name = upstream.metadata.name;
    expect(JSON.parse(out.spec.config)).toEqual(expected);
    expect(nad.resourceName).toBe(upstream.metadata.annotations?.[RESOURCE_NAME_ANNOTATION]);
  });

  test('the parsed config is the typed model: the baked address and the declared capability are readable', () => {
    const upstream = upstreamNad('charmed-sdcore-upf', 'access-net');
    const config = CniConfig.fromJson(upstream.spec.config);
    expect(config.format).toBe('single');
    expect(config.declares(CniCapability.MAC)).toBe(true);
    expect(config.main.ipam!.addressing().staticAddresses.map((a) => a.address.toString())).toEqual(['192.168.252.3/24']);
  });

  test('the resourceName annotation of metadata is the NAD\'s resourceName; an sriov NAD passes with it alone', () => {
    const chart = chartWithPlugins();
    const nad = new NetworkAttachmentDefinition(chart, 'Vf', {
      metadata: { name: 'sriov-a', annotations: { [RESOURCE_NAME_ANNOTATION]: 'intel.com/sriov_netdevice' } }, config: CniConfig.list([new SriovPlugin()]),
    });
    expect(nad.resourceName).toBe('intel.com/sriov_netdevice');
    expect(nads(chart)[0].metadata.annotations).toEqual({ [RESOURCE_NAME_ANNOTATION]: 'intel.com/sriov_netdevice' });
  });

  test('fails when resourceName and the annotation disagree', () => {
    expect(() => new NetworkAttachmentDefinition(chartWithPlugins(), 'Vf', {
      metadata: { name: 'sriov-a', annotations: { [RESOURCE_NAME_ANNOTATION]: 'intel.com/a' } }, config: CniConfig.list([new SriovPlugin()]), resourceName: 'intel.com/b',
    })).toThrow(/^NetworkAttachmentDefinition test\/Vf: 'resourceName' differs from the k8s\.v1\.cni\.cncf\.io\/resourceName annotation of metadata \("intel\.com\/a"\): got "intel\.com\/b"; give the resource once: as resourceName, or as the annotation$/);
  });
});

describe('where a device-plugin network gets its device: the rule lint applies (lib/topology/network-rules.ts)', () => {
  test('host-device that waits for the device plugin\'s device needs a resourceName', () => {
    const config = () => CniConfig.list([new HostDevicePlugin({ capabilities: [CniCapability.DEVICE_ID] })]);
    expect(() => new NetworkAttachmentDefinition(chartWithPlugins(), 'Dev', { metadata: { name: 'hostdev' }, config: config() })).toThrow(
      /^NetworkAttachmentDefinition test\/Dev: 'resourceName' is not set and the host-device config names no device \(device, hwaddr, kernelpath, pciBusID\), so host-device has no device to move into the pod: got nothing; set resourceName to the device plugin resource/,
    );
    const nad = new NetworkAttachmentDefinition(chartWithPlugins(), 'Dev', { metadata: { name: 'hostdev' }, config: config(), resourceName: 'nvidia.com/hostdev' });
    expect(nad.resourceName).toBe('nvidia.com/hostdev');
  });

  test('the construct and the model rule give the same words for sriov without resourceName', () => {
    const config = CniConfig.list([new SriovPlugin()]);
    const words = deviceSourceProblems(config, undefined).map(formatProblem);
    expect(words).toHaveLength(1);
    expect(() => new NetworkAttachmentDefinition(chartWithPlugins(), 'Vf', { metadata: { name: 'vf' }, config })).toThrow(`NetworkAttachmentDefinition test/Vf: ${words[0]}`);
  });
});


test('an UncheckedPlugin NAD: the capabilities attach declares reach spec.config, merged over the raw ones', () => {
  const chart = chartWithPlugins();
  const plugin = new UncheckedPlugin('macvlan', { master: 'eth1', capabilities: { infinibandGUID: true }, ipam: { type: 'static' } });
  const nad = new NetworkAttachmentDefinition(chart, 'Vendor', { metadata: { name: 'vendor' }, config: CniConfig.list([plugin]) });
  const deployment = new kplus.Deployment(chart, 'App', { replicas: 1, containers: [{ name: 'app', image: 'registry.example.com/app:1.0' }] });
  PodNetworks.of(deployment).attach(nad, { ips: ['10.1.0.5/24'], mac: '02:00:00:00:00:05' });
  const [written] = nads(chart);
  expect(JSON.parse(written.spec.config).plugins).toEqual([
    { type: 'macvlan', master: 'eth1', capabilities: { infinibandGUID: true, ips: true, mac: true }, ipam: { type: 'static' } },
  ]);
});
