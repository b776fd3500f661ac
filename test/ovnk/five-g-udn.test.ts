import { Testing } from 'cdk8s';
import { FiveGUdnChart } from '../../examples/five-g-dra/udn-chart';
import { parseNetworksAnnotation } from '../../lib/multus/selection-element';
import { udnObjectProblems } from '../../lib/ovnk/user-defined-network';

describe('the 5G example rendered as OVN-Kubernetes ClusterUserDefinedNetworks', () => {
  const objs = Testing.synth(new FiveGUdnChart(Testing.app(), 'five-g-udn'));
  const of = (kind: string) => objs.filter((o) => o.kind === kind);

  test('one CUDN per network, for the namespaces that attach to it, and no NAD of our own', () => {
    expect(of('ClusterUserDefinedNetwork').map((o) => [o.metadata.name, o.spec.network.topology, o.spec.namespaceSelector.matchExpressions[0].values])).toEqual([
      ['n2', 'Localnet', ['fivegc-cp', 'ran']],
      ['n3', 'Localnet', ['fivegc-up', 'ran']],
      ['n4', 'Layer2', ['fivegc-cp', 'fivegc-up']],
      ['n6', 'Localnet', ['fivegc-up']],
    ]);
    expect(of('NetworkAttachmentDefinition')).toEqual([]);
    for (const o of of('ClusterUserDefinedNetwork')) expect(udnObjectProblems(o)).toEqual([]);
  });

  test('every selection names a network a CUDN makes in the pod\'s namespace', () => {
    const made = new Set(of('ClusterUserDefinedNetwork').flatMap((o) => o.spec.namespaceSelector.matchExpressions[0].values.map((ns: string) => `${ns}/${o.metadata.name}`)));
    const selected = of('Deployment').flatMap((d) => parseNetworksAnnotation(d.spec.template.metadata.annotations['k8s.v1.cni.cncf.io/networks']).elements
      .map((e) => `${e.namespace ?? d.metadata.namespace}/${e.name}`));
    expect(selected.length).toBe(10);
    for (const s of selected) expect(made.has(s)).toBe(true);
  });
});
