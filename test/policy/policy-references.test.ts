import { lintObjects } from '../../lib/cli/lint';
import { CniConfig } from '../../lib/cni/config';
import { BridgePlugin } from '../../lib/cni/plugins/bridge';
import { MacvlanPlugin } from '../../lib/cni/plugins/macvlan';
import { Severity, formatProblem } from '../../lib/cni/problem';
import { POLICY_FOR_ANNOTATION } from '../../lib/multus/selection-element';
import {
  POLICY_FOR_FIELD, TopologyPodLabels, TopologyPolicy, checkPolicyReferences, networksByReference, parsePolicyFor, policyOf, policyReferenceProblems, renderPolicyFor, selectorMatches,
} from '../../lib/topology/policy-references';
import { TopologyNetwork } from '../../lib/topology/topology';

const macvlan = CniConfig.list([new MacvlanPlugin({ master: 'eth1' })]);
const bridge = CniConfig.list([new BridgePlugin({ bridge: 'br0' })]);

const NETWORKS: TopologyNetwork[] = [
  { name: 'n3', namespace: 'core', config: macvlan },
  { name: 'n4', namespace: 'core', config: bridge },
  { name: 'n6', namespace: 'dn', config: macvlan },
  { name: 'oam', namespace: 'infra', external: true },
];

function policy(policyFor: unknown, namespace: string = 'core', path: string = 'p'): TopologyPolicy {
  return { name: 'p', namespace, path, policyFor };
}

function lines(problems: ReturnType<typeof checkPolicyReferences>): string[] {
  return problems.map((p) => `${p.severity}: ${formatProblem({ ...p, path: undefined })}`);
}

describe('renderPolicyFor', () => {
  const refs = [{ name: 'n3', namespace: 'core' }, { name: 'n6', namespace: 'dn' }, { name: 'x' }];

  test('qualifies every entry whose namespace is known', () => {
    expect(renderPolicyFor(refs)).toBe('core/n3,dn/n6,x');
  });

  test('relative to the policy\'s namespace: its NADs bare, the others qualified', () => {
    expect(renderPolicyFor(refs, 'core')).toBe('n3,dn/n6,x');
    expect(renderPolicyFor(refs, 'elsewhere')).toBe('core/n3,dn/n6,x');
  });
});

describe('parsePolicyFor', () => {
  test('reads qualified and bare entries, spaces removed as the daemon does', () => {
    expect(parsePolicyFor(' core/n3 , n6')).toEqual({ references: [{ name: 'n3', namespace: 'core' }, { name: 'n6' }], problems: [] });
  });

  test('an entry that is no reference is a problem of its index, and stays a hole in the list', () => {
    const r = parsePolicyFor('n3,,a/b/c,N6,core/');
    expect(r.references).toEqual([{ name: 'n3' }, undefined, undefined, undefined, undefined]);
    expect(r.problems.map((p) => formatProblem(p))).toEqual([
      "'[1]' is empty: got \"\"; remove the extra comma",
      "'[2]' is not a NAD reference (<namespace>/<name>, or <name> in the policy's namespace; DNS-1123 labels): got \"a/b/c\"; write the NAD as e.g. core/n6, or n6 for a NAD of the policy's own namespace",
      "'[3]' is not a NAD reference (<namespace>/<name>, or <name> in the policy's namespace; DNS-1123 labels): got \"N6\"; write the NAD as e.g. core/n6, or n6 for a NAD of the policy's own namespace",
      "'[4]' is not a NAD reference (<namespace>/<name>, or <name> in the policy's namespace; DNS-1123 labels): got \"core/\"; write the NAD as e.g. core/n6, or n6 for a NAD of the policy's own namespace",
    ]);
  });
});

describe('checkPolicyReferences', () => {
  test('resolved references, bare ones in the policy\'s namespace, external NADs included: no problem', () => {
    expect(checkPolicyReferences({ networks: NETWORKS, policies: [policy('n3,dn/n6,infra/oam'), policy('n6', 'dn')] })).toEqual([]);
  });

  test('a reference to a NAD that is not there, bare or qualified, with the fix for each', () => {
    const problems = checkPolicyReferences({ networks: NETWORKS, policies: [policy('n6,core/n9', 'core', 'Policy core/p')] });
    expect(problems.map((p) => p.path)).toEqual(['Policy core/p', 'Policy core/p']);
    expect(lines(problems)).toEqual([
      `error: '${POLICY_FOR_FIELD}[0]' does not resolve to a NetworkAttachmentDefinition in namespace core, so the policy is not enforced on it: got "n6"; `
        + "create NAD n6 in namespace core (a bare name is a NAD of the policy's own namespace), name the NAD's namespace, or declare it as external (lint --external core/n6)",
      `error: '${POLICY_FOR_FIELD}[1]' does not resolve to a NetworkAttachmentDefinition in namespace core, so the policy is not enforced on it: got "core/n9"; `
        + 'create NAD n9 in namespace core, fix the reference, or declare it as external (lint --external core/n9)',
    ]);
  });

  test('a missing, non-string or empty annotation', () => {
    expect(lines(checkPolicyReferences({ networks: NETWORKS, policies: [policy(undefined), policy(42), policy('')] }))).toEqual([
      `error: '${POLICY_FOR_FIELD}' is missing, so the multi-networkpolicy daemon ignores the policy: got nothing; name the NADs the policy is for, e.g. ${POLICY_FOR_ANNOTATION}: core/<nad>`,
      `error: '${POLICY_FOR_FIELD}' must be a string: got 42; quote the annotation value: Kubernetes annotations are strings`,
      `error: '${POLICY_FOR_FIELD}[0]' is empty: got ""; remove the extra comma`,
    ]);
  });

  test('a NAD named twice (bare and qualified alike)', () => {
    expect(lines(checkPolicyReferences({ networks: NETWORKS, policies: [policy('n3,core/n3')] }))).toEqual([
      `error: '${POLICY_FOR_FIELD}[1]' repeats ${POLICY_FOR_FIELD}[0]: got "core/n3"; list each network once`,
    ]);
  });

  test('plugin types are checked only when the enforced ones are given (lint does not see the daemon\'s arguments)', () => {
    const input = { networks: NETWORKS, policies: [policy('n3,n4,infra/oam')] };
    expect(checkPolicyReferences(input)).toEqual([]);
    const problems = checkPolicyReferences(input, { enforcedPluginTypes: ['macvlan'] });
    expect(problems.map((p) => p.severity)).toEqual([Severity.ERROR]);
    expect(lines(problems)).toEqual([
      `error: '${POLICY_FOR_FIELD}[1]' is a "bridge" network, which the multi-networkpolicy daemon does not enforce (--network-plugins macvlan), so the policy would be ignored: got "n4"; `
        + 'add "bridge" to the daemon\'s --network-plugins (and to the policy\'s enforcedPluginTypes in the constructs), or use a macvlan network',
    ]);
    expect(checkPolicyReferences(input, { enforcedPluginTypes: ['macvlan', 'bridge'] })).toEqual([]);
  });

  test('policyReferenceProblems names the entries as the caller does', () => {
    const problems = policyReferenceProblems('core', [{ name: 'n3' }, { name: 'n3', namespace: 'core' }], networksByReference(NETWORKS), { entryField: (i) => `networks[${i}]` });
    expect(problems.map((p) => formatProblem(p))).toEqual(["'networks[1]' repeats networks[0]: got \"core/n3\"; list each network once"]);
  });
});

describe('policyOf', () => {
  test('reads a MultiNetworkPolicy of any k8s.cni.cncf.io version; the namespace defaults to default', () => {
    expect(policyOf({ apiVersion: 'k8s.cni.cncf.io/v1beta1', kind: 'MultiNetworkPolicy', metadata: { name: 'p', annotations: { [POLICY_FOR_ANNOTATION]: 'n3' } } }, 'x'))
      .toEqual({ name: 'p', namespace: 'default', path: 'x', policyFor: 'n3', peers: [] });
    expect(policyOf({ apiVersion: 'k8s.cni.cncf.io/v1beta2', kind: 'MultiNetworkPolicy', metadata: { name: 'p', namespace: 'core' } }))
      .toEqual({ name: 'p', namespace: 'core', path: undefined, policyFor: undefined, peers: [] });
  });

  test('anything else is not a policy, however broken', () => {
    for (const o of [null, 'text', [], { kind: 'MultiNetworkPolicy' }, { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' }, { apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition' }]) {
      expect(policyOf(o)).toBeUndefined();
    }
  });

  test('a policy with broken metadata is still read, its fields as far as they go', () => {
    expect(policyOf({ apiVersion: 'k8s.cni.cncf.io/v1beta1', kind: 'MultiNetworkPolicy', metadata: { name: 7, annotations: 'x' } }))
      .toEqual({ name: '', namespace: 'default', path: undefined, policyFor: undefined, peers: [] });
  });
});

describe('lint', () => {
  const nad = (name: string, namespace: string) => ({
    apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name, namespace }, spec: { config: macvlan.toString({ name }) },
  });
  const mnp = (name: string, namespace: string, policyFor?: string) => ({
    apiVersion: 'k8s.cni.cncf.io/v1beta1', kind: 'MultiNetworkPolicy',
    metadata: { name, namespace, annotations: policyFor === undefined ? undefined : { [POLICY_FOR_ANNOTATION]: policyFor } },
    spec: { podSelector: {}, policyTypes: ['Ingress'] },
  });
  const objects = (list: unknown[]) => list.map((object, index) => ({ file: 'in.yaml', index, object }));

  test('reports each bad policy as its own finding, with file and object; good policies pass', () => {
    const report = lintObjects(objects([nad('n3', 'core'), mnp('ok', 'core', 'n3'), mnp('gone', 'core', 'n3,n9'), mnp('bare', 'edge'), mnp('other', 'edge', 'core/n3')]));
    expect(report.findings.map((f) => [f.file, f.object, f.field, f.value, f.severity])).toEqual([
      ['in.yaml', 'MultiNetworkPolicy core/gone', `${POLICY_FOR_FIELD}[1]`, 'n9', Severity.ERROR],
      ['in.yaml', 'MultiNetworkPolicy edge/bare', POLICY_FOR_FIELD, undefined, Severity.ERROR],
    ]);
    expect(report.errors).toBe(2);
  });

  test('a NAD declared --external resolves', () => {
    const list = objects([mnp('p', 'core', 'shared/n6')]);
    expect(lintObjects(list).errors).toBe(1);
    expect(lintObjects(list, { external: [{ namespace: 'shared', name: 'n6' }] }).findings).toEqual([]);
  });
});

describe('pod peers naming their namespace', () => {
  const spec = (namespaceSelector: unknown, podSelector: unknown = { matchLabels: { app: 'gnb' } }) => ({
    ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }, { podSelector, namespaceSelector }] }],
  });
  const read = (s: unknown, namespace = 'prod') => policyOf({
    apiVersion: 'k8s.cni.cncf.io/v1beta1', kind: 'MultiNetworkPolicy', metadata: { name: 'p', namespace, annotations: { [POLICY_FOR_ANNOTATION]: 'n3' } }, spec: s,
  }, 'P')!;
  const networks: TopologyNetwork[] = [{ name: 'n3', namespace: 'prod', config: macvlan }];
  const pods: TopologyPodLabels[] = [{ namespace: 'prod', podLabels: { app: 'gnb', tier: 'ran' } }, { namespace: 'other', podLabels: { app: 'upf' } }];

  test('policyOf reads the peers that name namespaces by kubernetes.io/metadata.name, by label or In expression, and no others', () => {
    expect(read(spec({ matchLabels: { 'kubernetes.io/metadata.name': 'nfv' } })).peers).toEqual([
      { field: 'spec.ingress[0].from[1]', podSelector: { matchLabels: { app: 'gnb' } }, namespaces: ['nfv'] },
    ]);
    expect(read(spec({ matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['a', 'b'] }] })).peers![0].namespaces).toEqual(['a', 'b']);
    for (const other of [undefined, {}, { matchLabels: { zone: 'edge' } }, { matchLabels: { 'kubernetes.io/metadata.name': 'a', zone: 'edge' } },
      { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['a'] }] }]) {
      expect(read(spec(other)).peers).toEqual([]);
    }
    expect(read({ egress: 'nonsense', ingress: [null, { from: 'x' }] }).peers).toEqual([]);
  });

  test('a peer naming a namespace where none of the pods it selects run, while they run elsewhere: a warning naming where', () => {
    const problems = checkPolicyReferences({ networks, policies: [read(spec({ matchLabels: { 'kubernetes.io/metadata.name': 'nfv' } }))], pods });
    expect(problems.map((p) => p.path)).toEqual(['P']);
    expect(lines(problems)).toEqual([
      "warning: 'spec.ingress[0].from[1].namespaceSelector' names namespace nfv, where the inputs have no pod the peer selects; they run in prod: got \"nfv\"; "
        + "name the namespace the pods run in (prod); when the manifests were moved (kustomize namespace:, a release namespace), move the peer's kubernetes.io/metadata.name too (examples/kustomize: replacements)",
    ]);
  });

  test('no warning when a named namespace has the pods, when no pod of the inputs matches, or when pods are not given', () => {
    const check = (ns: unknown, podSelector?: unknown, withPods = true) =>
      checkPolicyReferences({ networks, policies: [read(spec(ns, podSelector))], pods: withPods ? pods : undefined });
    expect(check({ matchLabels: { 'kubernetes.io/metadata.name': 'prod' } })).toEqual([]);
    expect(check({ matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['nfv', 'prod'] }] })).toEqual([]);
    expect(check({ matchLabels: { 'kubernetes.io/metadata.name': 'nfv' } }, { matchLabels: { app: 'elsewhere' } })).toEqual([]);
    expect(check({ matchLabels: { 'kubernetes.io/metadata.name': 'nfv' } }, undefined, false)).toEqual([]);
  });
});

describe('selectorMatches', () => {
  const labels = { app: 'gnb', tier: 'ran' };
  test.each([
    [{}, true],
    [{ matchLabels: { app: 'gnb' } }, true],
    [{ matchLabels: { app: 'upf' } }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['ran', 'core'] }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['ran'] }] }, false],
    [{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['x'] }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, false],
    [{ matchExpressions: [{ key: 'app', operator: 'Like', values: ['gnb'] }] }, false],
  ])('%j matches: %s', (sel, expected) => {
    expect(selectorMatches(sel, labels)).toBe(expected);
  });
});

describe('at scale', () => {
  test('peers against many pods stay near linear: 2,000 policies and 20,000 pods in well under the test timeout, every wrong peer found', () => {
    const pods: TopologyPodLabels[] = [];
    for (let i = 0; i < 20_000; i++) pods.push({ namespace: i % 2 === 0 ? 'prod' : 'edge', podLabels: { app: `fn-${i % 1000}`, tier: 'x' } });
    const policies = Array.from({ length: 2_000 }, (_, i) => policyOf({
      apiVersion: 'k8s.cni.cncf.io/v1beta1', kind: 'MultiNetworkPolicy',
      metadata: { name: `p${i}`, namespace: 'prod', annotations: { [POLICY_FOR_ANNOTATION]: 'n3' } },
      // fn-<even> run in prod only, fn-<odd> in edge only: every odd peer names the wrong namespace
      spec: { ingress: [{ from: [{ podSelector: { matchLabels: { tier: 'x', app: `fn-${i % 1000}` } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'prod' } } }] }] },
    }, String(i))!);
    const started = Date.now();
    const problems = checkPolicyReferences({ networks: [{ name: 'n3', namespace: 'prod', config: macvlan }], policies, pods });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(problems).toHaveLength(1_000);
    expect(problems.every((p) => Number(p.path) % 2 === 1 && p.message.endsWith('they run in edge'))).toBe(true);
  });

  test('policyOf keeps nothing of its input', () => {
    const o = {
      apiVersion: 'k8s.cni.cncf.io/v1beta1', kind: 'MultiNetworkPolicy', metadata: { name: 'p', annotations: { [POLICY_FOR_ANNOTATION]: 'n3' } },
      spec: { ingress: [{ from: [{ podSelector: { matchLabels: { app: 'a' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'x' } } }] }] },
    };
    const p = policyOf(o)!;
    o.spec.ingress[0].from[0].podSelector.matchLabels.app = 'changed';
    expect(p.peers![0].podSelector).toEqual({ matchLabels: { app: 'a' } });
  });
});
