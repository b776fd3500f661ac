import { Testing } from 'cdk8s';
import { CniConfig, HostLocalIpam, MacvlanMode, MacvlanPlugin, NetworkAttachmentDefinition, PluginsProfile, PreinstalledCniPlugins, lintCniConfig, parseCniConfig } from '../lib';

test('macvlan with host-local renders, parses back and validates', () => {
  const cfg = CniConfig.list([new MacvlanPlugin({ master: 'eth0', mode: MacvlanMode.BRIDGE, ipam: HostLocalIpam.subnet('10.10.10.0/24') })]);
  const json = cfg.toJson({ name: 'mv' });
  expect(json).toEqual({
    cniVersion: '1.0.0', name: 'mv',
    plugins: [{ type: 'macvlan', master: 'eth0', mode: 'bridge', ipam: { type: 'host-local', ranges: [[{ subnet: '10.10.10.0/24' }]] } }],
  });
  expect(parseCniConfig(JSON.stringify(json)).toJson()).toEqual(json);
});

test('fails on a bad macvlan mode with the one error style', () => {
  expect(() => new MacvlanPlugin({ mode: 'bogus' as MacvlanMode })).toThrow(/'mode' must be one of "bridge", "private", "vepa", "passthru": got "bogus"; use a MacvlanMode value/);
});

test('lint collects every problem', () => {
  const r = lintCniConfig({ cniVersion: '1.0.0', name: 'x', plugins: [{ type: 'macvlan', mode: 'l4', mtu: '1500', ipam: { type: 'host-local', ranges: [[{ subnet: '10.1.0.5/24' }]] } }] });
  const fields = r.problems.map((p) => p.field).sort();
  expect(fields).toEqual(['plugins[0].ipam.ranges[0][0].subnet', 'plugins[0].mode', 'plugins[0].mtu']);
});

test('NAD construct writes spec.config with the NAD name', () => {
  const chart = Testing.chart();
  PreinstalledCniPlugins.fromProfile(chart, 'NodePlugins', PluginsProfile.UPSTREAM);
  const n = new NetworkAttachmentDefinition(chart, 'Net', { metadata: { name: 'lan01' }, config: CniConfig.list([new MacvlanPlugin({ master: 'eth0' })]) });
  const [obj] = Testing.synth(chart);
  expect(obj.kind).toBe('NetworkAttachmentDefinition');
  expect(JSON.parse(obj.spec.config).name).toBe('lan01');
  expect(n.name).toBe('lan01');
});

test('the NAD is valid against its CRD schema', () => {
  const chart = Testing.chart();
  PreinstalledCniPlugins.fromProfile(chart, 'NodePlugins', PluginsProfile.UPSTREAM);
  new NetworkAttachmentDefinition(chart, 'Net', { metadata: { name: 'lan01' }, config: CniConfig.list([new MacvlanPlugin({ master: 'eth0' })]) });
  const { expectValidObjects, schemaErrors } = require('./util/schema');
  expectValidObjects(Testing.synth(chart));
  expect(schemaErrors({ apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name: 'x' }, spec: { config: 5 } })).toHaveLength(1);
});
