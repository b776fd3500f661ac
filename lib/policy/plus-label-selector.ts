import { ApiObject, App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';

/**
 * A cdk8s-plus `LabelSelector` in Kubernetes form, through cdk8s-plus's public API only.
 *
 * cdk8s-plus keeps a selector's labels and expressions private and writes them out only through
 * the resources that hold one. So the selector is given to a cdk8s-plus `NetworkPolicy` in a
 * scratch chart (never synthesized, emptied after each use) and read back from its
 * `spec.podSelector`: exactly what cdk8s-plus itself writes. Works for the selectors of
 * cdk8s-plus-27 and cdk8s-plus-33 alike (the policy only asks the selector to render itself).
 */

/** A label selector in Kubernetes form, as cdk8s-plus writes it. */
export interface KubeLabelSelector {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: { readonly key: string; readonly operator: string; readonly values?: string[] }[];
}

/** Pods selected by one selector: what the scratch policy is given. */
class SelectorHolder extends Construct implements kplus.IPodSelector {
  constructor(scope: Construct, id: string, private readonly selector: kplus.LabelSelector) {
    super(scope, id);
  }

  public toPodSelectorConfig(): kplus.PodSelectorConfig {
    return { labelSelector: this.selector };
  }
}

let scratch: Chart | undefined;
let next = 0;

/** The selector in Kubernetes form (`{}` for the empty selector). */
export function renderPlusLabelSelector(selector: unknown): KubeLabelSelector {
  scratch ??= new Chart(new App(), 'label-selector-scratch');
  const id = `s${next++}`;
  const holder = new SelectorHolder(scratch, `${id}-pods`, selector as kplus.LabelSelector);
  try {
    const policy = new kplus.NetworkPolicy(scratch, id, { selector: holder });
    return ApiObject.of(policy).toJson().spec?.podSelector ?? {};
  } finally {
    scratch.node.tryRemoveChild(id);
    scratch.node.tryRemoveChild(holder.node.id);
  }
}
