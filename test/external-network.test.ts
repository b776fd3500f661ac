import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { PluginsProfile } from '../lib/cni/profile';
import { ExternalNetwork } from '../lib/external-network';
import { PreinstalledCniPlugins } from '../lib/installers/inventory';
import { NETWORKS_ANNOTATION } from '../lib/multus/selection-element';
import { NetworkFunction } from '../lib/network-function';
import { TopologyValidation } from '../lib/topology-validation';

const APP = { name: 'app', image: 'registry.example.com/app:1.0.0' };

function chart(): Chart {
  const c = new Chart(Testing.app(), 'test', { namespace: 'core' });
  PreinstalledCniPlugins.fromProfile(c, 'NodePlugins', PluginsProfile.UPSTREAM);
  return c;
}

describe('ExternalNetwork', () => {
  test('declares a NAD that exists outside the App, with its namespace', () => {
    const ext = new ExternalNetwork(chart(), 'Vendor', { name: 'vendor-n6', namespace: 'vendor', resourceName: 'intel.com/sriov_netdevice' });
    expect(ext.name).toBe('vendor-n6');
    expect(ext.namespace).toBe('vendor');
    expect(ext.resourceName).toBe('intel.com/sriov_netdevice');
    expect(ext.qualifiedName).toBe('vendor/vendor-n6');
  });

  test('synthesizes nothing', () => {
    const c = chart();
    new ExternalNetwork(c, 'Vendor', { name: 'vendor-n6', namespace: 'vendor' });
    expect(Testing.synth(c)).toEqual([]);
  });

  test('fails on a name or namespace that is not a DNS-1123 label', () => {
    expect(() => new ExternalNetwork(chart(), 'Bad', { name: 'Vendor_N6', namespace: 'vendor' })).toThrow(
      /^ExternalNetwork test\/Bad: 'name' is not a DNS-1123 label of at most 63 characters: got "Vendor_N6"; use the NAD name as it exists in the cluster$/,
    );
    expect(() => new ExternalNetwork(chart(), 'Bad', { name: 'n6', namespace: 'Vendor' })).toThrow(
      /^ExternalNetwork test\/Bad: 'namespace' is not a DNS-1123 label of at most 63 characters: got "Vendor"; use the namespace the NAD lives in$/,
    );
    // labels of 64 characters are refused, 63 accepted
    expect(() => new ExternalNetwork(chart(), 'Long', { name: 'n'.repeat(64), namespace: 'vendor' })).toThrow(/'name' is not a DNS-1123 label of at most 63 characters/);
    expect(() => new ExternalNetwork(chart(), 'Long', { name: 'n6', namespace: 'v'.repeat(64) })).toThrow(/'namespace' is not a DNS-1123 label of at most 63 characters/);
    expect(new ExternalNetwork(chart(), 'Ok', { name: 'n'.repeat(63), namespace: 'v'.repeat(63) }).name).toHaveLength(63);
  });

  test('attachments to it reference its namespace and resolve in the topology', () => {
    const c = chart();
    const ext = new ExternalNetwork(c, 'Vendor', { name: 'vendor-n6', namespace: 'vendor' });
    const fn = new NetworkFunction(c, 'Fn', { containers: [APP] });
    fn.attach(ext, { interface: 'n6', ips: ['198.51.100.7/24'] });
    const objects = Testing.synth(c);
    const d = objects.find((o) => o.kind === 'Deployment');
    expect(JSON.parse(d.spec.template.metadata.annotations[NETWORKS_ANNOTATION])).toEqual([
      { name: 'vendor-n6', namespace: 'vendor', interface: 'n6', ips: ['198.51.100.7/24'] },
    ]);
    const topology = TopologyValidation.of(c).topology();
    expect(topology.networks).toEqual([{ name: 'vendor-n6', namespace: 'vendor', resourceName: undefined, path: 'test/Vendor', external: true }]);
  });

  test('its config is unknown, so the static-address checks are skipped, not guessed', () => {
    const c = chart();
    const ext = new ExternalNetwork(c, 'Vendor', { name: 'vendor-n6', namespace: 'vendor' });
    // three replicas with one static address would be an error on a network of the App
    new NetworkFunction(c, 'Fn', { replicas: 3, containers: [APP] }).attach(ext, { ips: ['198.51.100.7/24'] });
    expect(() => Testing.synth(c)).not.toThrow();
  });

  test('its resourceName adds the device request', () => {
    const c = chart();
    const ext = new ExternalNetwork(c, 'Vendor', { name: 'vendor-sriov', namespace: 'vendor', resourceName: 'intel.com/sriov_netdevice' });
    new NetworkFunction(c, 'Fn', { containers: [APP] }).attach(ext);
    const d = Testing.synth(c).find((o) => o.kind === 'Deployment');
    expect(d.spec.template.spec.containers[0].resources.limits['intel.com/sriov_netdevice']).toBe('1');
    expect(d.spec.template.spec.containers[0].resources.requests['intel.com/sriov_netdevice']).toBe('1');
  });
});

test('ExternalNetwork.isExternalNetwork: by brand, also for an ExternalNetwork of another copy of the library', () => {
  const chart = Testing.chart();
  let other: typeof import('../lib/external-network') | undefined;
  jest.isolateModules(() => { other = require('../lib/external-network'); });
  expect(other!.ExternalNetwork).not.toBe(ExternalNetwork);
  const foreign = new other!.ExternalNetwork(chart, 'Foreign', { name: 'oam', namespace: 'infra' });
  expect(ExternalNetwork.isExternalNetwork(foreign)).toBe(true);
  expect(ExternalNetwork.isExternalNetwork(new ExternalNetwork(chart, 'Own', { name: 'oam', namespace: 'infra' }))).toBe(true);
  for (const x of [undefined, null, 'oam', { name: 'oam', namespace: 'infra' }, new Construct(chart, 'Plain')]) {
    expect(ExternalNetwork.isExternalNetwork(x)).toBe(false);
  }
});
