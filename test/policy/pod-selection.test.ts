import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { PolicyLabelSelector } from '../../lib/policy/label-selector';
import { NAMESPACE_NAME_LABEL, resolvePods } from '../../lib/policy/pod-selection';

/** Every way to name pods, resolved to selectors through public APIs only. */

function json(r: ReturnType<typeof resolvePods>) {
  return { pods: r.pods.toJson(), namespace: r.namespace, namespaces: r.namespaces?.toJson() };
}

test('a PolicyLabelSelector is taken as it is', () => {
  const s = PolicyLabelSelector.labels({ app: 'upf' });
  expect(resolvePods(s).pods).toBe(s);
  expect(resolvePods(s).namespace).toBeUndefined();
});

test('a target: its labels, and its namespace when it has one', () => {
  expect(json(resolvePods({ podSelectorLabels: { fn: 'upf' }, namespace: 'core' }))).toEqual({ pods: { matchLabels: { fn: 'upf' } }, namespace: 'core', namespaces: undefined });
  expect(json(resolvePods({ podSelectorLabels: { fn: 'upf' } })).namespace).toBeUndefined();
});

test('a cdk8s-plus Pod: its address label and the namespace of its chart', () => {
  const chart = new Chart(Testing.app(), 'c', { namespace: 'ran' });
  const pod = new kplus.Pod(chart, 'Gnb', { containers: [{ image: 'registry.example/gnb:1.0' }] });
  expect(json(resolvePods(pod))).toEqual({
    pods: { matchLabels: { [kplus.Pod.ADDRESS_LABEL]: pod.podMetadata.getLabel(kplus.Pod.ADDRESS_LABEL) } }, namespace: 'ran', namespaces: undefined,
  });
});

test('a cdk8s-plus Pods selection: labels and expressions; several namespaces by name become one In expression', () => {
  const chart = Testing.chart();
  const pods = kplus.Pods.select(chart, 'Sel', {
    labels: { app: 'dn' }, expressions: [kplus.LabelExpression.exists('tier')],
    namespaces: kplus.Namespaces.select(chart, 'Ns', { names: ['a', 'b'] }),
  });
  expect(json(resolvePods(pods))).toEqual({
    pods: { matchLabels: { app: 'dn' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] },
    namespace: undefined,
    namespaces: { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: ['a', 'b'] }] },
  });
  const one = kplus.Pods.select(chart, 'One', { labels: { app: 'dn' }, namespaces: kplus.Namespaces.select(chart, 'Ns1', { names: ['a'] }) });
  expect(json(resolvePods(one)).namespace).toBe('a');
  const byLabel = kplus.Pods.select(chart, 'ByLabel', { labels: { app: 'dn' }, namespaces: kplus.Namespaces.select(chart, 'Ns2', { labels: { zone: 'edge' } }) });
  expect(json(resolvePods(byLabel)).namespaces).toEqual({ matchLabels: { zone: 'edge' } });
});

test('anything else is refused in the house style', () => {
  expect(() => resolvePods({ labels: { app: 'x' } } as any))
    .toThrow("'selection' is not a pod selection: got {\"labels\":{\"app\":\"x\"}}; pass an IMultiNetworkPolicyTarget, a cdk8s-plus workload or a PolicyLabelSelector");
});
