import * as kplus from 'cdk8s-plus-27';
import { ProblemSink, reportProblems } from '../cni/problem';
import { assertProps, pArray, pInstance, pRecord, pString, propsShape } from '../cni/props-check';
import { KubeLabelSelector, renderPlusLabelSelector } from './plus-label-selector';
import { fail } from './report';

/**
 * Label selectors of a MultiNetworkPolicy, validated (cdk8s-plus checks no label key or value),
 * and interchangeable with cdk8s-plus's public `LabelSelector` and `LabelExpression`.
 */

const LABEL_NAME_RE = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS1123_SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function checkLabelKey(sink: ProblemSink, field: string, key: string): void {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const prefixOk = prefix === undefined || (prefix.length <= 253 && DNS1123_SUBDOMAIN_RE.test(prefix));
  if (!prefixOk || name.length > 63 || !LABEL_NAME_RE.test(name)) {
    sink.error(field, 'is not a valid label key', key,
      'write an optional DNS subdomain prefix and "/", then a name of at most 63 letters, digits, "-", "_" or ".", e.g. "app.kubernetes.io/name"');
  }
}

function checkLabelValue(sink: ProblemSink, field: string, value: string): void {
  if (typeof value !== 'string' || value.length > 63 || (value !== '' && !LABEL_NAME_RE.test(value))) {
    sink.error(field, 'is not a valid label value', value,
      'use at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit');
  }
}

/** The operator of a {@link PolicyLabelExpression}. */
export enum PolicyLabelOperator {
  /** The label's value is one of the values. */
  IN = 'In',
  /** The label is absent or its value is none of the values. */
  NOT_IN = 'NotIn',
  /** The label is present. */
  EXISTS = 'Exists',
  /** The label is absent. */
  DOES_NOT_EXIST = 'DoesNotExist',
}

/** One requirement on a label (a `matchExpressions` entry). */
export class PolicyLabelExpression {
  /** The label's value is one of `values`. */
  public static in(key: string, values: string[]): PolicyLabelExpression {
    return new PolicyLabelExpression(key, PolicyLabelOperator.IN, values);
  }

  /** The label is absent or its value is none of `values`. */
  public static notIn(key: string, values: string[]): PolicyLabelExpression {
    return new PolicyLabelExpression(key, PolicyLabelOperator.NOT_IN, values);
  }

  /** The label is present, with any value. */
  public static exists(key: string): PolicyLabelExpression {
    return new PolicyLabelExpression(key, PolicyLabelOperator.EXISTS);
  }

  /** The label is absent. */
  public static doesNotExist(key: string): PolicyLabelExpression {
    return new PolicyLabelExpression(key, PolicyLabelOperator.DOES_NOT_EXIST);
  }

  /** The same requirement as a cdk8s-plus `LabelExpression` (its key, operator and values are public). */
  public static fromLabelExpression(expression: kplus.LabelExpression): PolicyLabelExpression {
    const operators = Object.values(PolicyLabelOperator) as string[];
    const operator = expression?.operator;
    if (!operators.includes(operator)) {
      fail('PolicyLabelExpression', 'operator', `must be one of ${operators.map((o) => JSON.stringify(o)).join(', ')}`, operator,
        'build the expression with LabelExpression.in, .notIn, .exists or .doesNotExist');
    }
    return new PolicyLabelExpression(expression.key, operator as PolicyLabelOperator, expression.values === undefined ? undefined : [...expression.values]);
  }

  private constructor(
    public readonly key: string,
    public readonly operator: PolicyLabelOperator,
    public readonly values?: readonly string[],
  ) {
    const sink = new ProblemSink('matchExpressions');
    if (typeof key !== 'string') sink.error('key', 'must be a string', key, 'write a label key such as "app.kubernetes.io/name"');
    else checkLabelKey(sink, 'key', key);
    if (values !== undefined && !Array.isArray(values)) {
      sink.error('values', 'must be a list of label values', values, typeof values === 'string' ? `write [${JSON.stringify(values)}], not a string` : 'write a list such as ["a", "b"]');
      reportProblems(sink.problems, 'PolicyLabelExpression');
      return;
    }
    const needsValues = operator === PolicyLabelOperator.IN || operator === PolicyLabelOperator.NOT_IN;
    if (needsValues && (values === undefined || values.length === 0)) {
      sink.error('values', `must not be empty for the ${operator} operator`, values ?? [],
        `list at least one value, or use PolicyLabelExpression.${operator === PolicyLabelOperator.IN ? 'exists' : 'doesNotExist'}()`);
    }
    (values ?? []).forEach((v, i) => checkLabelValue(sink, `values[${i}]`, v));
    reportProblems(sink.problems, 'PolicyLabelExpression');
  }

  /** The same requirement as a cdk8s-plus `LabelExpression`. */
  public toLabelExpression(): kplus.LabelExpression {
    switch (this.operator) {
      case PolicyLabelOperator.IN: return kplus.LabelExpression.in(this.key, [...this.values!]);
      case PolicyLabelOperator.NOT_IN: return kplus.LabelExpression.notIn(this.key, [...this.values!]);
      case PolicyLabelOperator.EXISTS: return kplus.LabelExpression.exists(this.key);
      case PolicyLabelOperator.DOES_NOT_EXIST: return kplus.LabelExpression.doesNotExist(this.key);
    }
  }
}

/** Options of {@link PolicyLabelSelector.of}. */
export interface PolicyLabelSelectorOptions {
  /**
   * Labels a selected object carries, all of them (`matchLabels`).
   * @default - no label is required
   */
  readonly labels?: Record<string, string>;
  /**
   * Requirements on labels, all of which hold (`matchExpressions`).
   * @default - none
   */
  readonly expressions?: PolicyLabelExpression[];
}

/** A label selector in Kubernetes form. */
export interface PolicyLabelSelectorJson {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: { readonly key: string; readonly operator: string; readonly values?: string[] }[];
}

/** The shape of {@link PolicyLabelSelectorOptions}. */
const SELECTOR_SHAPE = propsShape('PolicyLabelSelectorOptions', {
  labels: pRecord(pString({ allowEmpty: true })),
  expressions: pArray(pInstance([PolicyLabelExpression], 'a PolicyLabelExpression', 'build it with PolicyLabelExpression.in(key, values), .notIn, .exists or .doesNotExist')),
});

/** A Kubernetes label selector, validated. An empty selector selects everything. */
export class PolicyLabelSelector {
  /** A selector from labels and expressions. */
  public static of(options: PolicyLabelSelectorOptions = {}): PolicyLabelSelector {
    assertProps(SELECTOR_SHAPE, options, 'PolicyLabelSelector');
    return new PolicyLabelSelector({ ...(options.labels ?? {}) }, [...(options.expressions ?? [])]);
  }

  /** Selects objects carrying all of `labels`. */
  public static labels(labels: Record<string, string>): PolicyLabelSelector {
    return PolicyLabelSelector.of({ labels });
  }

  /** Selects every object (the empty selector). */
  public static all(): PolicyLabelSelector {
    return PolicyLabelSelector.of();
  }

  /**
   * The same selection as a cdk8s-plus `LabelSelector` (e.g. from a workload's or a `Pods`
   * selection's `toPodSelectorConfig()`), read through cdk8s-plus's public API and validated.
   */
  public static fromLabelSelector(selector: kplus.LabelSelector): PolicyLabelSelector {
    return selectorFromKube(renderPlusLabelSelector(selector));
  }

  private constructor(
    /** The `matchLabels`. */
    public readonly labels: Readonly<Record<string, string>>,
    /** The `matchExpressions`. */
    public readonly expressions: readonly PolicyLabelExpression[],
  ) {
    const sink = new ProblemSink('matchLabels');
    for (const [k, v] of Object.entries(labels)) {
      checkLabelKey(sink, k, k);
      checkLabelValue(sink, k, v);
    }
    reportProblems(sink.problems, 'PolicyLabelSelector');
  }

  /** Whether the selector selects everything. */
  public get isEmpty(): boolean {
    return Object.keys(this.labels).length === 0 && this.expressions.length === 0;
  }

  /** The same selection as a cdk8s-plus `LabelSelector`, for cdk8s-plus constructs. */
  public toLabelSelector(): kplus.LabelSelector {
    return kplus.LabelSelector.of({ labels: { ...this.labels }, expressions: this.expressions.map((e) => e.toLabelExpression()) });
  }

  /** The selector in Kubernetes form; `{}` when empty. */
  public toJson(): PolicyLabelSelectorJson {
    const matchLabels = Object.keys(this.labels).length > 0 ? { ...this.labels } : undefined;
    const matchExpressions = this.expressions.length > 0
      ? this.expressions.map((e) => ({
        key: e.key,
        operator: e.operator as string,
        values: e.values && e.values.length > 0 ? [...e.values] : undefined,
      }))
      : undefined;
    return { matchLabels, matchExpressions };
  }
}

/** A selector from its Kubernetes form, as cdk8s-plus writes it (validated). */
function selectorFromKube(json: KubeLabelSelector): PolicyLabelSelector {
  const expressions = (json.matchExpressions ?? []).map((e) => PolicyLabelExpression.fromLabelExpression(e as kplus.LabelExpression));
  return PolicyLabelSelector.of({ labels: json.matchLabels, expressions });
}
