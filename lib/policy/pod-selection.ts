import type * as plus from 'cdk8s-plus-27';
import { PropType } from '../cni/props-check';
import { PolicyLabelExpression, PolicyLabelSelector } from './label-selector';

/**
 * The ways a MultiNetworkPolicy names pods (its target, a pod peer), resolved to label selectors.
 */

/** The label Kubernetes puts on every namespace, holding the namespace's name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * Anything whose pods a MultiNetworkPolicy can select or allow: a network function, a workload.
 * Implement it on a construct to make it usable as a policy target and as a pod peer.
 */
export interface IMultiNetworkPolicyTarget {
  /** Labels that select exactly the pods of this object (e.g. a workload's `matchLabels`). */
  readonly podSelectorLabels: Readonly<Record<string, string>>;
  /**
   * The namespace of the pods.
   * @default - the namespace of the policy that refers to them
   */
  readonly namespace?: string;
}

/**
 * The ways to name pods: an {@link IMultiNetworkPolicyTarget}, a cdk8s-plus workload or `Pods`
 * selection (any `IPodSelector`), or a {@link PolicyLabelSelector}.
 */
export type MultiNetworkPolicyPodSelection = IMultiNetworkPolicyTarget | plus.IPodSelector | PolicyLabelSelector;

/** Pods resolved to selectors. */
export interface ResolvedPods {
  readonly pods: PolicyLabelSelector;
  /** The one namespace the pods live in, when known. */
  readonly namespace?: string;
  /** A namespace selector, when the selection spans namespaces chosen by labels. */
  readonly namespaces?: PolicyLabelSelector;
}

function isTarget(x: unknown): x is IMultiNetworkPolicyTarget {
  return typeof x === 'object' && x !== null && 'podSelectorLabels' in x;
}

/** A cdk8s-plus pod selector (of cdk8s-plus-27 or -33), recognised by its public method. */
function isPlusPodSelector(x: unknown): x is plus.IPodSelector {
  return typeof x === 'object' && x !== null && typeof (x as plus.IPodSelector).toPodSelectorConfig === 'function';
}

/** Resolves a selection to selectors; throws in the house style when it is none of the ways. */
export function resolvePods(selection: MultiNetworkPolicyPodSelection): ResolvedPods {
  if (selection instanceof PolicyLabelSelector) return { pods: selection };
  if (isTarget(selection)) return { pods: PolicyLabelSelector.labels(selection.podSelectorLabels), namespace: selection.namespace };
  if (isPlusPodSelector(selection)) {
    const cfg = selection.toPodSelectorConfig();
    const pods = PolicyLabelSelector.fromLabelSelector(cfg.labelSelector);
    const names = cfg.namespaces?.names ?? [];
    const labelled = cfg.namespaces?.labelSelector;
    const namespaces = labelled ? PolicyLabelSelector.fromLabelSelector(labelled) : undefined;
    if (names.length > 1) {
      return { pods, namespaces: PolicyLabelSelector.of({ expressions: [PolicyLabelExpression.in(NAMESPACE_NAME_LABEL, [...names])] }) };
    }
    return { pods, namespace: names[0], namespaces };
  }
  throw new Error(`'selection' is not a pod selection: got ${JSON.stringify(selection)}; pass an IMultiNetworkPolicyTarget, a cdk8s-plus workload or a PolicyLabelSelector`);
}

/** The runtime shape of a {@link MultiNetworkPolicyPodSelection} (for callers without a type checker). */
export const POD_SELECTION: PropType = {
  description: 'a network function, a cdk8s-plus workload or pod selector, or a PolicyLabelSelector',
  check(value, path, sink) {
    if (value instanceof PolicyLabelSelector || isTarget(value) || isPlusPodSelector(value)) return;
    sink.error(path, 'must be a network function, a cdk8s-plus workload or pod selector, or a PolicyLabelSelector', value,
      'pass the NetworkFunction or workload construct, or PolicyLabelSelector.labels({...})');
  },
};
