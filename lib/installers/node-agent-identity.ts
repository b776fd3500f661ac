/**
 * The identity of a node agent: its ServiceAccount and exactly the RBAC rules it is given.
 *
 * ```ts
 * const id = new NodeAgentIdentity(scope, 'Identity', {
 *   name: 'multus',                        // ServiceAccount name
 *   namespace: 'kube-system',              // @default 'kube-system'
 *   clusterRules: [                        // @default - no ClusterRole / ClusterRoleBinding
 *     { apiGroups: ['k8s.cni.cncf.io'], resources: ['*'], verbs: ['*'] },
 *     { apiGroups: [''], resources: ['pods', 'pods/status'], verbs: ['get', 'list', 'update', 'watch'] },
 *   ],
 *   clusterRoleName: 'multus',             // @default <name>; the binding has the same name
 *   clusterRoleBindingName: 'multus',      // @default <clusterRoleName>
 *   roles: [{ name: 'weave-net', rules: [...] }], // namespaced Role + RoleBinding (same name), @default - none
 * });
 * id.serviceAccountName; id.clusterRoleName;
 * ```
 * The rules are emitted exactly as given, in the given order: nothing is added or widened. A
 * rule with no verbs, no resources or an unknown verb is an error.
 */
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ProblemSink, throwIfErrors } from '../cni/problem';
import { KUBE_SYSTEM } from './node-agent';
import { assertProps, pArray, propsShape } from '../cni/props-check';
import { BOOL_PROP, OBJECT_PROP, STRING_MAP_PROP, STRING_PROP } from './installer-props';

/** One RBAC rule. `apiGroups: ['']` is the core group. */
export interface RbacRule {
  /** @default - none (only for nonResourceURLs rules, which node agents do not use) */
  readonly apiGroups: string[];
  readonly resources: string[];
  readonly verbs: string[];
  /** @default - every object of the resources */
  readonly resourceNames?: string[];
}

/** A namespaced Role with its RoleBinding (same name) to the agent's ServiceAccount. */
export interface NodeAgentRole {
  readonly name: string;
  /** @default - the identity's namespace */
  readonly namespace?: string;
  readonly rules: RbacRule[];
}

/** Properties of a {@link NodeAgentIdentity}. */
export interface NodeAgentIdentityProps {
  /** The ServiceAccount name. */
  readonly name: string;
  /** @default 'kube-system' */
  readonly namespace?: string;
  /** @default - no ClusterRole and no ClusterRoleBinding */
  readonly clusterRules?: RbacRule[];
  /** @default - the ServiceAccount name */
  readonly clusterRoleName?: string;
  /** @default - the ClusterRole name */
  readonly clusterRoleBindingName?: string;
  /** @default - none */
  readonly roles?: NodeAgentRole[];
  /** @default - not set (Kubernetes: true) */
  readonly automountServiceAccountToken?: boolean;
  /** Labels on every object. @default - none */
  readonly labels?: Record<string, string>;
}

const KNOWN_VERBS = new Set(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'bind', 'escalate', 'impersonate', 'use', 'approve', 'sign', '*']);

/** Checks RBAC rules for shape (not for breadth: rules are taken as given). */
export function checkRbacRules(sink: ProblemSink, field: string, rules: readonly RbacRule[]): void {
  rules.forEach((r, i) => {
    const f = `${field}[${i}]`;
    if (r.resources.length === 0) sink.error(`${f}.resources`, 'is empty', r.resources, 'name the resources the rule grants, e.g. ["pods"]');
    if (r.apiGroups.length === 0) sink.error(`${f}.apiGroups`, 'is empty', r.apiGroups, 'use [""] for the core group');
    if (r.verbs.length === 0) sink.error(`${f}.verbs`, 'is empty', r.verbs, 'name the verbs, e.g. ["get", "list", "watch"]');
    for (const v of r.verbs) {
      if (!KNOWN_VERBS.has(v)) sink.error(`${f}.verbs`, 'has an unknown verb', v, `use one of ${[...KNOWN_VERBS].join(', ')}`);
    }
  });
}

function toPolicyRules(rules: readonly RbacRule[]): k8s.PolicyRule[] {
  return rules.map((r) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs], resourceNames: r.resourceNames ? [...r.resourceNames] : undefined }));
}

/** The shape of {@link NodeAgentIdentityProps} (runtime checks for callers without a type checker). */
const NODE_AGENT_IDENTITY_PROPS_SHAPE = propsShape('NodeAgentIdentityProps', {
  name: { type: STRING_PROP, required: 'name the service account' },
  namespace: STRING_PROP,
  clusterRules: pArray(OBJECT_PROP),
  clusterRoleName: STRING_PROP,
  clusterRoleBindingName: STRING_PROP,
  roles: pArray(OBJECT_PROP),
  automountServiceAccountToken: BOOL_PROP,
  labels: STRING_MAP_PROP,
});

/** A ServiceAccount with exactly the given ClusterRole and Role rules. */
export class NodeAgentIdentity extends Construct {
  public readonly serviceAccountName: string;
  public readonly namespace: string;
  public readonly clusterRoleName?: string;
  public readonly clusterRules: readonly RbacRule[];
  public readonly serviceAccount: k8s.KubeServiceAccount;
  public readonly clusterRole?: k8s.KubeClusterRole;
  public readonly clusterRoleBinding?: k8s.KubeClusterRoleBinding;

  constructor(scope: Construct, id: string, props: NodeAgentIdentityProps) {
    super(scope, id);
    assertProps(NODE_AGENT_IDENTITY_PROPS_SHAPE, props, `NodeAgentIdentity ${this.node.path}`);
    this.serviceAccountName = props.name;
    this.namespace = props.namespace ?? KUBE_SYSTEM;
    this.clusterRules = props.clusterRules ?? [];
    const sink = new ProblemSink();
    checkRbacRules(sink, 'clusterRules', this.clusterRules);
    (props.roles ?? []).forEach((r, i) => checkRbacRules(sink, `roles[${i}].rules`, r.rules));
    throwIfErrors(sink.problems, `NodeAgentIdentity ${this.node.path}`);

    const labels = props.labels;
    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: this.serviceAccountName, namespace: this.namespace, labels },
      automountServiceAccountToken: props.automountServiceAccountToken,
    });
    const subject = { kind: 'ServiceAccount', name: this.serviceAccountName, namespace: this.namespace };
    if (props.clusterRules !== undefined) {
      this.clusterRoleName = props.clusterRoleName ?? this.serviceAccountName;
      this.clusterRole = new k8s.KubeClusterRole(this, 'ClusterRole', {
        metadata: { name: this.clusterRoleName, labels },
        rules: toPolicyRules(this.clusterRules),
      });
      this.clusterRoleBinding = new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
        metadata: { name: props.clusterRoleBindingName ?? this.clusterRoleName, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: this.clusterRoleName },
        subjects: [subject],
      });
    }
    for (const role of props.roles ?? []) {
      const ns = role.namespace ?? this.namespace;
      new k8s.KubeRole(this, `Role-${role.name}`, { metadata: { name: role.name, namespace: ns, labels }, rules: toPolicyRules(role.rules) });
      new k8s.KubeRoleBinding(this, `RoleBinding-${role.name}`, {
        metadata: { name: role.name, namespace: ns, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.name },
        subjects: [subject],
      });
    }
  }
}
