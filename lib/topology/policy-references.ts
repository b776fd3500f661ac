import { Problem, Severity, joinField } from '../cni/problem';
import { DNS1123_LABEL, POLICY_FOR_ANNOTATION } from '../multus/selection-element';
import { TopologyNetwork } from './topology';

/**
 * The `k8s.v1.cni.cncf.io/policy-for` references of MultiNetworkPolicies, checked once for the
 * constructs and for `cdk8s-nfv lint`.
 *
 * What multi-networkpolicy-iptables does with the annotation: it removes the spaces, splits the
 * value at commas, reads an entry `namespace/name` as that NAD and a bare `name` as a NAD of the
 * policy's own namespace, and enforces the policy only on interfaces attached through one of them
 * whose (first) plugin type is among its `--network-plugins` (default `macvlan`). A policy without
 * the annotation is ignored. A bare name therefore follows the policy when the manifests are moved
 * to another namespace (Helm release namespace, kustomize `namespace:`); a `namespace/name` entry
 * stays where it points.
 */

/** The field of the annotation, as lint names it. */
export const POLICY_FOR_FIELD = `metadata.annotations["${POLICY_FOR_ANNOTATION}"]`;

/** One entry of `policy-for`: a NAD by name, in `namespace`, or in the policy's own namespace when bare. */
export interface PolicyReference {
  readonly name: string;
  /** @default - the policy's own namespace */
  readonly namespace?: string;
}

/** A MultiNetworkPolicy as the reference check sees it. */
export interface TopologyPolicy {
  readonly name: string;
  /** The policy's namespace (`default` when the manifest names none). */
  readonly namespace: string;
  /** Where it is declared (construct path, or file and object). */
  readonly path?: string;
  /** The annotation's value as written; undefined when the annotation is absent. */
  readonly policyFor: unknown;
}

/** Options of {@link policyReferenceProblems}. */
export interface PolicyReferenceOptions {
  /**
   * The plugin types the multi-networkpolicy daemon enforces (`--network-plugins`); a reference to
   * a NAD of another type is reported. The constructs know them (the policy's
   * `enforcedPluginTypes`); lint does not see the daemon's arguments, so it does not check this.
   * @default - plugin types are not checked
   */
  readonly enforcedPluginTypes?: readonly string[];
  /**
   * The field that names entry `i` in messages.
   * @default - `metadata.annotations["k8s.v1.cni.cncf.io/policy-for"][i]`
   */
  readonly entryField?: (i: number) => string;
}

/**
 * The annotation's value for `references`. An entry is written bare when its namespace is
 * `relativeTo` (the policy's namespace, for namespace-relative output) or unknown.
 */
export function renderPolicyFor(references: readonly PolicyReference[], relativeTo?: string): string {
  return references.map((r) => (r.namespace === undefined || r.namespace === relativeTo ? r.name : `${r.namespace}/${r.name}`)).join(',');
}

function isNameLabel(s: string): boolean {
  return s.length <= 63 && DNS1123_LABEL.test(s);
}

/** Reads the annotation's value as the daemon does (spaces removed, split at commas); entries that are no reference are problems of field `[i]`. */
export function parsePolicyFor(text: string): { references: (PolicyReference | undefined)[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const references = text.replace(/\s/g, '').split(',').map((entry, i): PolicyReference | undefined => {
    const parts = entry.split('/');
    const [namespace, name] = parts.length === 2 ? parts : [undefined, parts[0]];
    if (parts.length > 2 || !isNameLabel(name) || (namespace !== undefined && !isNameLabel(namespace))) {
      problems.push({
        field: `[${i}]`, message: entry === '' ? 'is empty' : 'is not a NAD reference (<namespace>/<name>, or <name> in the policy\'s namespace; DNS-1123 labels)',
        value: entry, fix: entry === '' ? 'remove the extra comma' : 'write the NAD as e.g. core/n6, or n6 for a NAD of the policy\'s own namespace', severity: Severity.ERROR,
      });
      return undefined;
    }
    return namespace === undefined ? { name } : { name, namespace };
  });
  return { references, problems };
}

/**
 * Problems of the references of one policy in `policyNamespace`: an entry named twice, a NAD
 * missing from `networks`, a NAD whose plugin type the daemon does not enforce. Entries left
 * undefined (already reported by {@link parsePolicyFor}) are skipped.
 */
export function policyReferenceProblems(
  policyNamespace: string, references: readonly (PolicyReference | undefined)[], networks: ReadonlyMap<string, TopologyNetwork>, opts: PolicyReferenceOptions = {},
): Problem[] {
  const enforced = opts.enforcedPluginTypes;
  const field = opts.entryField ?? ((i: number) => `${POLICY_FOR_FIELD}[${i}]`);
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  references.forEach((r, i) => {
    if (r === undefined) return;
    const ns = r.namespace ?? policyNamespace;
    const key = `${ns}/${r.name}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({ field: field(i), message: `repeats ${field(first)}`, value: key, fix: 'list each network once', severity: Severity.ERROR });
      return;
    }
    seen.set(key, i);
    const net = networks.get(key);
    if (!net) {
      problems.push({
        field: field(i), message: `does not resolve to a NetworkAttachmentDefinition in namespace ${ns}, so the policy is not enforced on it`, value: r.namespace === undefined ? r.name : key,
        fix: r.namespace === undefined
          ? `create NAD ${r.name} in namespace ${ns} (a bare name is a NAD of the policy's own namespace), name the NAD's namespace, or declare it as external (lint --external ${key})`
          : `create NAD ${r.name} in namespace ${ns}, fix the reference, or declare it as external (lint --external ${key})`,
        severity: Severity.ERROR,
      });
      return;
    }
    const type = enforced === undefined || net.external ? undefined : net.config?.main?.type;
    if (type !== undefined && !enforced!.includes(type)) {
      problems.push({
        field: field(i), value: r.name, severity: Severity.ERROR,
        message: `is a "${type}" network, which the multi-networkpolicy daemon does not enforce (--network-plugins ${enforced!.join(',')}), so the policy would be ignored`,
        fix: `add "${type}" to the daemon's --network-plugins (and to the policy's enforcedPluginTypes in the constructs), or use a macvlan network`,
      });
    }
  });
  return problems;
}

/** The networks by `namespace/name`, for {@link policyReferenceProblems}. */
export function networksByReference(networks: readonly TopologyNetwork[]): Map<string, TopologyNetwork> {
  const out = new Map<string, TopologyNetwork>();
  for (const n of networks) if (!out.has(`${n.namespace}/${n.name}`)) out.set(`${n.namespace}/${n.name}`, n);
  return out;
}

/** A MultiNetworkPolicy of a manifest as the check sees it; undefined for any other object. */
export function policyOf(o: unknown, path?: string): TopologyPolicy | undefined {
  if (typeof o !== 'object' || o === null) return undefined;
  const x = o as { apiVersion?: unknown; kind?: unknown; metadata?: any };
  if (x.kind !== 'MultiNetworkPolicy' || typeof x.apiVersion !== 'string' || !x.apiVersion.startsWith('k8s.cni.cncf.io/')) return undefined;
  const metadata = typeof x.metadata === 'object' && x.metadata !== null ? x.metadata : {};
  const annotations = typeof metadata.annotations === 'object' && metadata.annotations !== null ? metadata.annotations : {};
  return {
    name: typeof metadata.name === 'string' ? metadata.name : '',
    namespace: typeof metadata.namespace === 'string' ? metadata.namespace : 'default',
    path,
    policyFor: Object.hasOwn(annotations, POLICY_FOR_ANNOTATION) ? annotations[POLICY_FOR_ANNOTATION] : undefined,
  };
}

/**
 * Checks every policy's `policy-for`: present, a string of NAD references, each naming a NAD of
 * `networks` (those declared external included) once. Problems carry the policy's path.
 */
export function checkPolicyReferences(input: { readonly networks: readonly TopologyNetwork[]; readonly policies: readonly TopologyPolicy[] }, opts: PolicyReferenceOptions = {}): Problem[] {
  const networks = networksByReference(input.networks);
  const out: Problem[] = [];
  const at = (p: Problem, path?: string): Problem => (path ? { ...p, path } : p);
  for (const policy of input.policies) {
    const v = policy.policyFor;
    if (v === undefined) {
      out.push(at({
        field: POLICY_FOR_FIELD, message: 'is missing, so the multi-networkpolicy daemon ignores the policy', value: undefined, severity: Severity.ERROR,
        fix: `name the NADs the policy is for, e.g. ${POLICY_FOR_ANNOTATION}: ${policy.namespace}/<nad>`,
      }, policy.path));
      continue;
    }
    if (typeof v !== 'string') {
      out.push(at({ field: POLICY_FOR_FIELD, message: 'must be a string', value: v, fix: 'quote the annotation value: Kubernetes annotations are strings', severity: Severity.ERROR }, policy.path));
      continue;
    }
    const parsed = parsePolicyFor(v);
    for (const p of parsed.problems) out.push(at({ ...p, field: joinField(POLICY_FOR_FIELD, p.field) }, policy.path));
    for (const p of policyReferenceProblems(policy.namespace, parsed.references, networks, opts)) out.push(at(p, policy.path));
  }
  return out;
}
