import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { FiveGUdnChart } from '../../examples/five-g-dra/udn-chart';
import { parseNetworksAnnotation } from '../../lib/multus/selection-element';
import { UdnLint } from '../../lib/cli/udn-lint';
import { udnObjectProblems } from '../../lib/ovnk/user-defined-network';
import { runCli, writeYamlDocs } from '../util/cli';

/*
 * What is blocked: applying this rendering to the private kube-apiserver (as test/real/dra-apply
 * does for the other three) needs the k8s.ovn.org/v1 CRDs (UserDefinedNetwork,
 * ClusterUserDefinedNetwork), which OVN-Kubernetes generates from its Go types with
 * controller-gen. The Go module proxy answers 403 Forbidden for
 * github.com/ovn-org/ovn-kubernetes/go-controller and
 * github.com/ovn-kubernetes/ovn-kubernetes/go-controller at every version (the real
 * pseudo-version v0.0.0-20241220232705-6c366bb49d6f included; tried again 2026-12-05), and the CRD
 * YAML is not copied from upstream. So the UDN rendering is checked here by our model of the CRDs'
 * CEL rules (udnObjectProblems) and by the command's lint, not by a server.
 */

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

  test('the command lints the rendering with exit code 0 and no error line (the UDN rules and the topology of the annotated pods)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'five-g-udn-'));
    try {
      const file = writeYamlDocs(dir, 'udn.yaml', objs);
      // the NADs OVN-Kubernetes renders from the CUDNs: lint counts them as existing by itself
      const udn = new UdnLint();
      objs.forEach((object, index) => udn.add({ file, index, object }));
      const rendered = udn.renderedNads();
      expect(rendered.map((n) => `${n.namespace}/${n.name}`)).toEqual([
        'fivegc-cp/n2', 'ran/n2', 'fivegc-up/n3', 'ran/n3', 'fivegc-cp/n4', 'fivegc-up/n4', 'fivegc-up/n6',
      ]);
      const r = await runCli(['lint', file]);
      expect([r.code, r.out.split('\n').filter((l) => l.includes('error:'))]).toEqual([0, []]);
      // the same NADs declared external as well are not declared twice
      const both = await runCli(['lint', ...rendered.flatMap((n) => ['--external', `${n.namespace}/${n.name}`]), file]);
      expect([both.code, both.out.split('\n').filter((l) => l.includes('error:'))]).toEqual([0, []]);
      // without the CUDNs, every selection of the pods is unresolved (the rendered NADs came from them)
      const podsOnly = await runCli(['lint', writeYamlDocs(dir, 'pods.yaml', objs.filter((o) => o.kind !== 'ClusterUserDefinedNetwork'))]);
      expect(podsOnly.code).toBe(1);
      expect(podsOnly.out).toMatch(/Deployment fivegc-cp\/amf: error: '.*\[0\]\.name' does not resolve to a NetworkAttachmentDefinition of the App in namespace fivegc-cp: got "n2"/);
      expect(podsOnly.out).toMatch(/: 10 error\(s\)/);
      // and a broken copy is caught: an IPv6 Layer2 network under the MTU IPv6 needs
      const broken = objs.map((o) => (o.kind === 'ClusterUserDefinedNetwork' && o.metadata.name === 'n4'
        ? { ...o, spec: { ...o.spec, network: { ...o.spec.network, layer2: { ...o.spec.network.layer2, subnets: ['fd00:4::/64'], mtu: 1200 } } } } : o));
      const bad = await runCli(['lint', writeYamlDocs(dir, 'broken.yaml', broken)]);
      expect(bad.code).toBe(1);
      expect(bad.out).toMatch(/ClusterUserDefinedNetwork n4: error: 'spec\.network\.layer2\.mtu'/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
