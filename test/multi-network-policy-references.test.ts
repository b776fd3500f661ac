import { App, Chart, Testing } from 'cdk8s';
import { lintObjects } from '../lib/cli/lint';
import { CniConfig } from '../lib/cni/config';
import { HostLocalIpam } from '../lib/cni/ipam/host-local';
import { MacvlanPlugin } from '../lib/cni/plugins/macvlan';
import { PluginsProfile } from '../lib/cni/profile';
import { ExternalNetwork } from '../lib/external-network';
import { PreinstalledCniPlugins } from '../lib/installers/inventory';
import { MultiNetworkPolicy, MultiNetworkPolicyPeer } from '../lib/multi-network-policy';
import { POLICY_FOR_ANNOTATION } from '../lib/multus/selection-element';
import { NetworkAttachmentDefinition } from '../lib/network-attachment-definition';
import { NAMESPACE_RELATIVE_CONTEXT, NetworkReferences } from '../lib/network-references';

/**
 * The policy-for annotation and where the manifests end up: namespace-relative references (an
 * App-level choice, shared with the networks annotation) leave the namespace out of entries for
 * NADs of the policy's own namespace, so a Helm release namespace or kustomize `namespace:` keeps
 * them working; lint checks the references in both forms.
 */

/** A macvlan NAD on eth1: each name its own subnet (one range under two names on one uplink is the rulebook's error). */
function nad(scope: Chart, id: string, name: string, namespace?: string): NetworkAttachmentDefinition {
  return new NetworkAttachmentDefinition(scope, id, {
    metadata: { name, namespace },
    config: CniConfig.list([new MacvlanPlugin({ master: 'eth1', ipam: HostLocalIpam.subnet(name === 'n6' ? '10.7.0.0/24' : '10.6.0.0/24') })]),
  });
}

/** A chart in `core` with a policy for a NAD of core, one of dn, and an external one of infra. */
function build(app: App) {
  const chart = new Chart(app, 'core', { namespace: 'core' });
  PreinstalledCniPlugins.fromProfile(chart, 'NodePlugins', PluginsProfile.UPSTREAM);
  const n3 = nad(chart, 'N3', 'n3');
  const n6 = nad(chart, 'N6', 'n6', 'dn');
  const oam = new ExternalNetwork(chart, 'Oam', { name: 'oam', namespace: 'infra' });
  const policy = MultiNetworkPolicy.denyAllIngress(chart, 'P', { metadata: { name: 'p' }, networks: [n3, n6, oam] });
  return { chart, policy };
}

function policyFor(chart: Chart): string {
  return Testing.synth(chart).find((o) => o.kind === 'MultiNetworkPolicy').metadata.annotations[POLICY_FOR_ANNOTATION];
}

/** Every object moved to namespace `to` (what kustomize `namespace:` does), keeping cluster-scoped ones. */
function moved(objects: any[], to: string): any[] {
  return objects.map((o) => (o.metadata?.namespace === undefined ? o : { ...o, metadata: { ...o.metadata, namespace: to } }));
}

function lint(objects: any[]) {
  return lintObjects(objects.map((object, index) => ({ file: 'out.yaml', index, object })), { external: [{ namespace: 'infra', name: 'oam' }] });
}

test('by default every entry names its namespace', () => {
  const { chart, policy } = build(Testing.app());
  expect(policyFor(chart)).toBe('core/n3,dn/n6,infra/oam');
  expect(policy.policyFor).toBe('core/n3,dn/n6,infra/oam');
});

test('namespace-relative: the NAD of the policy\'s own namespace is bare, the others keep theirs', () => {
  const app = Testing.app();
  NetworkReferences.namespaceRelative(app);
  const { chart, policy } = build(app);
  expect(policyFor(chart)).toBe('n3,dn/n6,infra/oam');
  expect(policy.policyFor).toBe('n3,dn/n6,infra/oam');
});

test('the context key is the same choice', () => {
  const app = Testing.app();
  app.node.setContext(NAMESPACE_RELATIVE_CONTEXT, true);
  expect(policyFor(build(app).chart)).toBe('n3,dn/n6,infra/oam');
});

test('the annotation is written at synth: the choice may come after the policy', () => {
  const app = Testing.app();
  const { chart } = build(app);
  NetworkReferences.namespaceRelative(app);
  expect(policyFor(chart)).toBe('n3,dn/n6,infra/oam');
});

test('everything synth writes passes lint, in both forms', () => {
  for (const relative of [false, true]) {
    const app = Testing.app();
    if (relative) NetworkReferences.namespaceRelative(app);
    expect(lint(Testing.synth(build(app).chart)).findings).toEqual([]);
  }
});

test('moved to another namespace, namespace-relative references still resolve and qualified ones do not: lint says which', () => {
  const relativeApp = Testing.app();
  NetworkReferences.namespaceRelative(relativeApp);
  // every object moves, the NAD of dn too (as kustomize namespace: would): only the bare entry follows
  const relative = lint(moved(Testing.synth(build(relativeApp).chart), 'prod'));
  expect(relative.findings.map((f) => [f.object, f.field, f.value])).toEqual([
    ['MultiNetworkPolicy prod/p', `metadata.annotations["${POLICY_FOR_ANNOTATION}"][1]`, 'dn/n6'],
  ]);
  const qualified = lint(moved(Testing.synth(build(Testing.app()).chart), 'prod'));
  expect(qualified.findings.map((f) => [f.object, f.field, f.value])).toEqual([
    ['MultiNetworkPolicy prod/p', `metadata.annotations["${POLICY_FOR_ANNOTATION}"][0]`, 'core/n3'],
    ['MultiNetworkPolicy prod/p', `metadata.annotations["${POLICY_FOR_ANNOTATION}"][1]`, 'dn/n6'],
  ]);
});

test('a policy and NAD without namespace stay bare in both forms', () => {
  for (const relative of [false, true]) {
    const app = Testing.app();
    if (relative) NetworkReferences.namespaceRelative(app);
    const chart = new Chart(app, 'plain');
    PreinstalledCniPlugins.fromProfile(chart, 'NodePlugins', PluginsProfile.UPSTREAM);
    const policy = MultiNetworkPolicy.denyAll(chart, 'P', { networks: [nad(chart, 'N3', 'n3')] });
    expect(policy.policyFor).toBe('n3');
  }
});

test('a pod peer keeps naming its namespace in both forms (the daemon matches a bare pod selector in every namespace)', () => {
  const app = Testing.app();
  NetworkReferences.namespaceRelative(app);
  const { chart, policy } = build(app);
  policy.addIngressRule(MultiNetworkPolicyPeer.pods({ podSelectorLabels: { app: 'gnb' } }));
  const spec = Testing.synth(chart).find((o) => o.kind === 'MultiNetworkPolicy').spec;
  expect(spec.ingress[0].from[0].namespaceSelector).toEqual({ matchLabels: { 'kubernetes.io/metadata.name': 'core' } });
});
