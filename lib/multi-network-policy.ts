// MultiNetworkPolicy lives in lib/policy/, one file per concept: the construct
// (multi-network-policy.ts), its props (props.ts), the networks it is for (networks.ts), peers
// (peer.ts), ports (port.ts), pod selections (pod-selection.ts) and label selectors
// (label-selector.ts, over cdk8s-plus's public API: plus-label-selector.ts). The check of the
// policy-for references is on the model (lib/topology/policy-references.ts), shared with lint.
// This file keeps the public names where they have always been imported from.

export { PolicyLabelExpression, PolicyLabelOperator, PolicyLabelSelector } from './policy/label-selector';
export type { PolicyLabelSelectorJson, PolicyLabelSelectorOptions } from './policy/label-selector';
export { DEFAULT_ENFORCED_PLUGIN_TYPES, MultiNetworkPolicy } from './policy/multi-network-policy';
export type { ExternalPolicyNetwork, IPolicyNetworkSource, MultiNetworkPolicyNetwork, ResolvedPolicyNetwork } from './policy/networks';
export { MultiNetworkPolicyPeer } from './policy/peer';
export type { MultiNetworkPolicyPodsPeerOptions } from './policy/peer';
export { NAMESPACE_NAME_LABEL } from './policy/pod-selection';
export type { IMultiNetworkPolicyTarget, MultiNetworkPolicyPodSelection } from './policy/pod-selection';
export { MultiNetworkPolicyPort, MultiNetworkPolicyProtocol } from './policy/port';
export type { MultiNetworkPolicyPortProps } from './policy/port';
export { MultiNetworkPolicyIsolation } from './policy/props';
export type { MultiNetworkPolicyAllowFromProps, MultiNetworkPolicyBaseProps, MultiNetworkPolicyProps, MultiNetworkPolicyRule } from './policy/props';
