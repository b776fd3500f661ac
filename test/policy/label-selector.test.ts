import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as kplus33 from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { PolicyLabelExpression, PolicyLabelOperator, PolicyLabelSelector } from '../../lib/policy/label-selector';
import { renderPlusLabelSelector } from '../../lib/policy/plus-label-selector';

/** Selectors of cdk8s-plus read through its public API, and ours handed back to it. */

const EXPRESSIONS = [
  kplus.LabelExpression.in('tier', ['a', 'b']),
  kplus.LabelExpression.notIn('zone', ['x']),
  kplus.LabelExpression.exists('app'),
  kplus.LabelExpression.doesNotExist('canary'),
];

describe('renderPlusLabelSelector', () => {
  test('writes what cdk8s-plus writes: {} when empty, labels and expressions otherwise', () => {
    expect(renderPlusLabelSelector(kplus.LabelSelector.of())).toEqual({});
    expect(renderPlusLabelSelector(kplus.LabelSelector.of({ labels: { app: 'upf' }, expressions: EXPRESSIONS }))).toEqual({
      matchLabels: { app: 'upf' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['a', 'b'] },
        { key: 'zone', operator: 'NotIn', values: ['x'] },
        { key: 'app', operator: 'Exists' },
        { key: 'canary', operator: 'DoesNotExist' },
      ],
    });
  });
});

describe('PolicyLabelSelector and cdk8s-plus', () => {
  test('fromLabelSelector reads every operator, and validates what cdk8s-plus does not', () => {
    const s = PolicyLabelSelector.fromLabelSelector(kplus.LabelSelector.of({ labels: { app: 'upf' }, expressions: EXPRESSIONS }));
    expect(s.labels).toEqual({ app: 'upf' });
    expect(s.expressions.map((e) => [e.key, e.operator, e.values])).toEqual([
      ['tier', PolicyLabelOperator.IN, ['a', 'b']],
      ['zone', PolicyLabelOperator.NOT_IN, ['x']],
      ['app', PolicyLabelOperator.EXISTS, undefined],
      ['canary', PolicyLabelOperator.DOES_NOT_EXIST, undefined],
    ]);
    expect(() => PolicyLabelSelector.fromLabelSelector(kplus.LabelSelector.of({ labels: { app: 'not valid!' } })))
      .toThrow(/'matchLabels.app' is not a valid label value: got "not valid!";/);
    expect(() => PolicyLabelSelector.fromLabelSelector(kplus.LabelSelector.of({ expressions: [kplus.LabelExpression.in('tier', [])] })))
      .toThrow(/'matchExpressions.values' must not be empty for the In operator: got \[\];/);
  });

  test('toLabelSelector gives cdk8s-plus the same selection (round trip)', () => {
    const ours = PolicyLabelSelector.of({
      labels: { app: 'upf' },
      expressions: [PolicyLabelExpression.in('tier', ['a']), PolicyLabelExpression.notIn('zone', ['x']), PolicyLabelExpression.exists('app'), PolicyLabelExpression.doesNotExist('canary')],
    });
    const back = PolicyLabelSelector.fromLabelSelector(ours.toLabelSelector());
    expect(back.toJson()).toEqual(ours.toJson());
    expect(PolicyLabelSelector.fromLabelSelector(PolicyLabelSelector.all().toLabelSelector()).isEmpty).toBe(true);
  });

  test('a cdk8s-plus NetworkPolicy takes our selector', () => {
    class Selected extends Construct implements kplus.IPodSelector {
      public toPodSelectorConfig(): kplus.PodSelectorConfig {
        return { labelSelector: PolicyLabelSelector.of({ labels: { app: 'upf' }, expressions: [PolicyLabelExpression.exists('tier')] }).toLabelSelector() };
      }
    }
    const chart = Testing.chart();
    new kplus.NetworkPolicy(chart, 'Np', { selector: new Selected(chart, 'Upf') });
    expect(Testing.synth(chart).find((o) => o.kind === 'NetworkPolicy').spec.podSelector)
      .toEqual({ matchLabels: { app: 'upf' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] });
  });

  test('fromLabelExpression refuses an operator Kubernetes does not have', () => {
    const bad = { key: 'app', operator: 'Like', values: ['x'] } as unknown as kplus.LabelExpression;
    expect(() => PolicyLabelExpression.fromLabelExpression(bad))
      .toThrow(/'operator' must be one of "In", "NotIn", "Exists", "DoesNotExist": got "Like"; build the expression with LabelExpression.in, .notIn, .exists or .doesNotExist/);
    expect(PolicyLabelExpression.fromLabelExpression(kplus.LabelExpression.in('tier', ['a'])).toLabelExpression()).toEqual(kplus.LabelExpression.in('tier', ['a']));
  });

  test('selectors of cdk8s-plus-33 are read the same way', () => {
    const chart = new Chart(Testing.app(), 'c33');
    const d = new kplus33.Deployment(chart, 'Upf', { containers: [{ image: 'registry.example/upf:1.0' }] });
    const s = PolicyLabelSelector.fromLabelSelector(d.toPodSelectorConfig().labelSelector as unknown as kplus.LabelSelector);
    expect(s.labels).toEqual({ [kplus33.Pod.ADDRESS_LABEL]: d.podMetadata.getLabel(kplus33.Pod.ADDRESS_LABEL) });
  });
});

test('fails on bad selectors', () => {
  expect(() => PolicyLabelSelector.labels({ app: 'not valid!' })).toThrow(/'matchLabels.app' is not a valid label value: got "not valid!";/);
  expect(() => PolicyLabelSelector.labels({ '-bad': 'x' })).toThrow(/'matchLabels.-bad' is not a valid label key: got "-bad";/);
  expect(() => PolicyLabelExpression.in('tier', [])).toThrow(/'matchExpressions.values' must not be empty for the In operator: got \[\]; list at least one value, or use PolicyLabelExpression.exists\(\)/);
});
