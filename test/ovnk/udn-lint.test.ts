import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { FiveGUdnChart } from '../../examples/five-g-dra/udn-chart';
import { lintObjects } from '../../lib/cli/lint';
import { UdnLint } from '../../lib/cli/udn-lint';
import { runCli } from '../util/cli';

const lint = (objects: any[]) => {
  const l = new UdnLint();
  objects.forEach((object, index) => l.add({ file: 'in.yaml', index, object }));
  return l.findings();
};

describe('lint of OVN-Kubernetes user-defined networks', () => {
  test('the 5G example\'s CUDNs have no finding (lint of the whole output: the selected NADs are declared external, as OVN-Kubernetes makes them)', () => {
    const objects = Testing.synth(new FiveGUdnChart(Testing.app(), 'five-g-udn'));
    expect(lint(objects)).toEqual([]);
    const external = objects.filter((o) => o.kind === 'ClusterUserDefinedNetwork')
      .flatMap((o) => o.spec.namespaceSelector.matchExpressions[0].values.map((namespace: string) => ({ namespace, name: o.metadata.name })));
    const report = lintObjects(objects.map((object, index) => ({ file: 'five-g-udn.yaml', index, object })), { external });
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  test('a primary UDN in a namespace of the inputs without the label', () => {
    expect(lint([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'blue' } },
      { apiVersion: 'k8s.ovn.org/v1', kind: 'UserDefinedNetwork', metadata: { name: 'p', namespace: 'blue' }, spec: { topology: 'Layer2', layer2: { role: 'Primary', subnets: ['10.5.0.0/16'] } } },
    ]).map((f) => [f.object, f.field, f.severity])).toEqual([['UserDefinedNetwork blue/p', 'metadata.namespace', 'error']]);
  });

  test('`cdk8s-nfv lint` reports a UDN rule in the house style with exit code 1', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nfv-udn-lint-'));
    try {
      const file = path.join(dir, 'udn.yaml');
      fs.writeFileSync(file, [
        'apiVersion: k8s.ovn.org/v1', 'kind: ClusterUserDefinedNetwork', 'metadata: {name: n6}', 'spec:',
        '  namespaceSelector: {matchLabels: {a: b}}',
        '  network: {topology: Layer2, layer2: {role: Secondary, subnets: ["fd00:6::/64"], mtu: 1200}}', '',
      ].join('\n'));
      const r = await runCli(['lint', file]);
      expect(r.code).toBe(1);
      expect(r.out.split('\n')).toContain(`${file}: ClusterUserDefinedNetwork n6: error: 'spec.network.layer2.mtu' is below 1280 with an IPv6 subnet: got 1200; use 1280 or more (IPv6's minimum link MTU)`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('renderedNads: the NADs OVN-Kubernetes writes, a UDN in its namespace, a CUDN in the namespaces it selects (by name, or by labels of the inputs\' Namespaces)', () => {
    const l = new UdnLint();
    [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'blue', labels: { tier: 'core' } } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'green', labels: { tier: 'edge' } } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'red' } },
      { apiVersion: 'k8s.ovn.org/v1', kind: 'UserDefinedNetwork', metadata: { name: 'own', namespace: 'red' }, spec: { topology: 'Layer2', layer2: { role: 'Secondary', subnets: ['10.9.0.0/24'] } } },
      { apiVersion: 'k8s.ovn.org/v1', kind: 'ClusterUserDefinedNetwork', metadata: { name: 'core' },
        spec: { namespaceSelector: { matchLabels: { tier: 'core' } }, network: { topology: 'Layer2', layer2: { role: 'Secondary', subnets: ['10.8.0.0/24'] } } } },
      { apiVersion: 'k8s.ovn.org/v1', kind: 'ClusterUserDefinedNetwork', metadata: { name: 'not-edge' },
        spec: { namespaceSelector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['edge'] }] }, network: { topology: 'Layer2', layer2: { role: 'Secondary', subnets: ['10.7.0.0/24'] } } } },
      { apiVersion: 'k8s.ovn.org/v1', kind: 'ClusterUserDefinedNetwork', metadata: { name: 'named' },
        spec: { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['elsewhere', 'blue'] }] }, network: { topology: 'Layer2', layer2: { role: 'Secondary', subnets: ['10.6.0.0/24'] } } } },
    ].forEach((object, index) => l.add({ file: 'in.yaml', index, object }));
    expect(l.renderedNads().map((n) => `${n.namespace}/${n.name}`)).toEqual(['red/own', 'blue/core', 'blue/not-edge', 'red/not-edge', 'elsewhere/named', 'blue/named']);
  });
});
