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

/** A label selector as written in a manifest. */
export interface LabelSelectorData {
  readonly matchLabels?: Readonly<Record<string, unknown>>;
  readonly matchExpressions?: readonly { readonly key?: unknown; readonly operator?: unknown; readonly values?: unknown }[];
}

/**
 * A pod peer of a policy rule that names its namespaces by `kubernetes.io/metadata.name` (how
 * the constructs write a peer of known namespace): a reference to those namespaces.
 */
export interface TopologyPolicyPeer {
  /** Where the peer is written, e.g. `spec.ingress[0].from[1]`. */
  readonly field: string;
  readonly podSelector: LabelSelectorData;
  /** The namespaces the peer names. */
  readonly namespaces: readonly string[];
}

/** Pods as the peer check sees them: where they run, with which labels. */
export interface TopologyPodLabels {
  readonly namespace: string;
  readonly podLabels: Readonly<Record<string, string>>;
}

/** The label Kubernetes puts on every namespace, holding its name. */
const NAMESPACE_NAME = 'kubernetes.io/metadata.name';

/** A MultiNetworkPolicy as the reference check sees it. */
export interface TopologyPolicy {
  readonly name: string;
  /** The policy's namespace (`default` when the manifest names none). */
  readonly namespace: string;
  /** Where it is declared (construct path, or file and object). */
  readonly path?: string;
  /** The annotation's value as written; undefined when the annotation is absent. */
  readonly policyFor: unknown;
  /** Its pod peers that name their namespaces. @default - none */
  readonly peers?: readonly TopologyPolicyPeer[];
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

function isRecord(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The namespaces a namespace selector names by `kubernetes.io/metadata.name` and nothing else; undefined when it selects otherwise. */
function namedNamespaces(sel: unknown): string[] | undefined {
  if (!isRecord(sel)) return undefined;
  const labels = isRecord(sel.matchLabels) ? Object.entries(sel.matchLabels) : [];
  const expressions = Array.isArray(sel.matchExpressions) ? sel.matchExpressions : [];
  if (labels.length === 1 && expressions.length === 0 && labels[0][0] === NAMESPACE_NAME && typeof labels[0][1] === 'string') return [labels[0][1]];
  const e = expressions[0];
  if (labels.length === 0 && expressions.length === 1 && isRecord(e) && e.key === NAMESPACE_NAME && e.operator === 'In'
    && Array.isArray(e.values) && e.values.length > 0 && e.values.every((v: unknown) => typeof v === 'string')) return [...e.values];
  return undefined;
}

/** The pod peers of a policy's spec that name their namespaces. */
function peersOf(spec: unknown): TopologyPolicyPeer[] {
  if (!isRecord(spec)) return [];
  const out: TopologyPolicyPeer[] = [];
  for (const [direction, side] of [['ingress', 'from'], ['egress', 'to']] as const) {
    const rules = Array.isArray(spec[direction]) ? spec[direction] : [];
    rules.forEach((rule: unknown, i: number) => {
      const peers = isRecord(rule) && Array.isArray(rule[side]) ? rule[side] : [];
      peers.forEach((peer: unknown, j: number) => {
        if (!isRecord(peer) || !isRecord(peer.podSelector)) return;
        const namespaces = namedNamespaces(peer.namespaceSelector);
        if (namespaces) out.push({ field: `spec.${direction}[${i}].${side}[${j}]`, podSelector: peer.podSelector, namespaces });
      });
    });
  }
  return out;
}

/** Whether `labels` match a selector (Kubernetes semantics); a selector that cannot be read matches nothing. */
export function selectorMatches(sel: LabelSelectorData, labels: Readonly<Record<string, string>>): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const key = typeof e?.key === 'string' ? e.key : undefined;
    if (key === undefined) return false;
    const has = Object.hasOwn(labels, key);
    const values = Array.isArray(e.values) ? e.values : [];
    switch (e.operator) {
      case 'In': if (!has || !values.includes(labels[key])) return false; break;
      case 'NotIn': if (has && values.includes(labels[key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

/**
 * Pod peers that name namespaces holding none of the pods they select, while the inputs have such
 * pods elsewhere: the mark of output moved to another namespace (kustomize `namespace:`, a Helm
 * release namespace) with the peer's namespace left behind. A warning: the pods may also run in a
 * namespace the inputs do not show.
 */
function peerProblems(policy: TopologyPolicy, pods: PodIndex): Problem[] {
  const out: Problem[] = [];
  for (const peer of policy.peers ?? []) {
    const where = new Set<string>();
    for (const p of pods.candidates(peer.podSelector)) if (selectorMatches(peer.podSelector, p.podLabels)) where.add(p.namespace);
    if (where.size === 0 || peer.namespaces.some((n) => where.has(n))) continue;
    const found = [...where].sort();
    out.push({
      field: `${peer.field}.namespaceSelector`, severity: Severity.WARNING, value: peer.namespaces.length === 1 ? peer.namespaces[0] : peer.namespaces,
      message: `names namespace ${peer.namespaces.join(', ')}, where the inputs have no pod the peer selects; they run in ${found.join(', ')}`,
      fix: `name the namespace the pods run in (${found[0]}); when the manifests were moved (kustomize namespace:, a release namespace), move the peer's ${NAMESPACE_NAME} too (examples/kustomize: replacements)`,
    });
  }
  return out;
}

/**
 * Pods by each `key=value` of their labels: a peer with `matchLabels` looks only at the pods that
 * carry the rarest of them, so the check stays near linear in pods and peers.
 */
class PodIndex {
  private readonly byLabel = new Map<string, TopologyPodLabels[]>();

  constructor(private readonly pods: readonly TopologyPodLabels[]) {
    for (const p of pods) {
      for (const [k, v] of Object.entries(p.podLabels)) {
        const key = `${k}\u0000${v}`;
        const list = this.byLabel.get(key);
        if (list) list.push(p);
        else this.byLabel.set(key, [p]);
      }
    }
  }

  /** The pods that may match `sel`: those with its rarest required label, or all. */
  public candidates(sel: LabelSelectorData): readonly TopologyPodLabels[] {
    let best: readonly TopologyPodLabels[] = this.pods;
    for (const [k, v] of Object.entries(sel.matchLabels ?? {})) {
      const list = typeof v === 'string' ? this.byLabel.get(`${k}\u0000${v}`) ?? [] : [];
      if (list.length < best.length) best = list;
    }
    return best;
  }
}

/** A MultiNetworkPolicy of a manifest as the check sees it (a copy: nothing of `o` is kept); undefined for any other object. */
export function policyOf(o: unknown, path?: string): TopologyPolicy | undefined {
  if (typeof o !== 'object' || o === null) return undefined;
  const x = o as { apiVersion?: unknown; kind?: unknown; metadata?: any };
  if (x.kind !== 'MultiNetworkPolicy' || typeof x.apiVersion !== 'string' || !x.apiVersion.startsWith('k8s.cni.cncf.io/')) return undefined;
  const metadata = typeof x.metadata === 'object' && x.metadata !== null ? x.metadata : {};
  const annotations = typeof metadata.annotations === 'object' && metadata.annotations !== null ? metadata.annotations : {};
  const policy: TopologyPolicy = {
    name: typeof metadata.name === 'string' ? metadata.name : '',
    namespace: typeof metadata.namespace === 'string' ? metadata.namespace : 'default',
    path,
    policyFor: Object.hasOwn(annotations, POLICY_FOR_ANNOTATION) ? annotations[POLICY_FOR_ANNOTATION] : undefined,
    peers: peersOf((o as { spec?: unknown }).spec),
  };
  // strings cut from a file's text would keep the whole text alive while lint streams a large input
  try {
    return structuredClone(policy);
  } catch {
    return policy; // not cloneable (a caller's object with functions): as read
  }
}

/** What {@link checkPolicyReferences} checks. */
export interface PolicyReferenceInput {
  readonly networks: readonly TopologyNetwork[];
  readonly policies: readonly TopologyPolicy[];
  /** The pods of the inputs with their labels, for the peers' namespaces. @default - peers are not checked */
  readonly pods?: readonly TopologyPodLabels[];
}

/**
 * Checks every policy's `policy-for`: present, a string of NAD references, each naming a NAD of
 * `networks` (those declared external included) once; and that its pod peers name a namespace
 * where the pods they select run. Problems carry the policy's path.
 */
export function checkPolicyReferences(input: PolicyReferenceInput, opts: PolicyReferenceOptions = {}): Problem[] {
  const networks = networksByReference(input.networks);
  const pods = input.pods && input.policies.some((p) => (p.peers ?? []).length > 0) ? new PodIndex(input.pods) : undefined;
  const out: Problem[] = [];
  for (const policy of input.policies) {
    const problems = [...policyForProblems(policy, networks, opts), ...(pods ? peerProblems(policy, pods) : [])];
    for (const p of problems) out.push(policy.path ? { ...p, path: policy.path } : p);
  }
  return out;
}

/** The problems of one policy's annotation. */
function policyForProblems(policy: TopologyPolicy, networks: ReadonlyMap<string, TopologyNetwork>, opts: PolicyReferenceOptions): Problem[] {
  const v = policy.policyFor;
  if (v === undefined) {
    return [{
      field: POLICY_FOR_FIELD, message: 'is missing, so the multi-networkpolicy daemon ignores the policy', value: undefined, severity: Severity.ERROR,
      fix: `name the NADs the policy is for, e.g. ${POLICY_FOR_ANNOTATION}: ${policy.namespace}/<nad>`,
    }];
  }
  if (typeof v !== 'string') {
    return [{ field: POLICY_FOR_FIELD, message: 'must be a string', value: v, fix: 'quote the annotation value: Kubernetes annotations are strings', severity: Severity.ERROR }];
  }
  const parsed = parsePolicyFor(v);
  return [
    ...parsed.problems.map((p) => ({ ...p, field: joinField(POLICY_FOR_FIELD, p.field) })),
    ...policyReferenceProblems(policy.namespace, parsed.references, networks, opts),
  ];
}
