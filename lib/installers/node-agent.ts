/**
 * The shared base of every node-level CNI installer (Multus, the reference plugins, whereabouts,
 * SR-IOV, Flannel, Calico, ...): a DaemonSet that runs one privileged-enough pod per node with
 * the host's CNI directories mounted.
 *
 * ## Why L1 under a typed API, and not cdk8s-plus `DaemonSet`
 * cdk8s-plus-27 `DaemonSet` injects defaults that are wrong for a node agent (runAsNonRoot,
 * readOnlyRootFilesystem, resource limits, imagePullPolicy Always, automountServiceAccountToken
 * false) and cannot express hostPID, mountPropagation, an exact `securityContext` (privileged OR
 * exactly a capability set) or the exact upstream volume layout without overriding nearly every
 * field. So this module renders the L1 `k8s.KubeDaemonSet` and puts a small typed API on top:
 * every field that appears in the output is one the caller asked for, or one of the documented
 * defaults below. No hidden defaults.
 *
 * ## Public API (use it without asking)
 * ```ts
 * const ds = new NodeAgentDaemonSet(scope, 'DaemonSet', {
 *   name: 'kube-multus-ds',                       // metadata.name
 *   namespace: 'kube-system',                     // @default 'kube-system'
 *   selectorLabels: { name: 'multus' },           // @default { name: <name> }; also on the pod
 *   labels: { tier: 'node', app: 'multus' },      // extra labels on the DaemonSet and the pod
 *   hostNetwork: true,                            // @default true
 *   hostPid: false,                               // @default false
 *   tolerations: [Toleration.exists()],           // @default [{operator: Exists}] (everything)
 *   priorityClass: PriorityClass.NONE,            // @default PriorityClass.SYSTEM_NODE_CRITICAL
 *   nodeSelector: { 'kubernetes.io/os': 'linux' },// @default that one; {} for none
 *   serviceAccountName: 'multus',                 // @default - none (the namespace's default SA)
 *   updateStrategy: UpdateStrategy.rollingUpdate(), // @default rollingUpdate() (type only)
 *   terminationGracePeriodSeconds: 10,            // @default - none (Kubernetes: 30)
 *   cniBinDir: '/opt/cni/bin',                    // host path of volume 'cni-bin'  (ds.cniBinVolume)
 *   cniConfDir: '/etc/cni/net.d',                 // host path of volume 'cni-conf' (ds.cniConfVolume)
 *   cniBinVolumeName: 'cnibin', cniConfVolumeName: 'cni', // @default 'cni-bin' / 'cni-conf'
 * });
 * ds.addHostPathVolume('hostroot', '/', HostPathType.UNSET);   // any other host path
 * ds.addConfigMapVolume('multus-daemon-config', 'multus-daemon-config', { items: [{ key: 'daemon-config.json', path: 'daemon-config.json' }] });
 * ds.addInitContainer({ name: 'install', image, command: [...], security: NodeAgentSecurity.privileged(),
 *   mounts: [{ volume: ds.cniBinVolume, mountPath: '/host/opt/cni/bin', propagation: MountPropagation.BIDIRECTIONAL }] });
 * ds.addContainer({ name: 'kube-multus', image, command, args,
 *   env: [EnvEntry.fieldRef('MULTUS_NODE_NAME', 'spec.nodeName'), EnvEntry.value('X', 'y')],
 *   security: NodeAgentSecurity.capabilities(['NET_ADMIN', 'NET_RAW']),  // or .privileged(), .restricted(), .custom({...})
 *   resources: { requests: { cpu: '100m', memory: '50Mi' }, limits: { cpu: '100m', memory: '50Mi' } },
 *   mounts: [...], ports, readinessProbe, livenessProbe, lifecycle, terminationMessagePolicy,
 *   imagePullPolicy: ImagePullPolicy.IF_NOT_PRESENT });           // @default IF_NOT_PRESENT
 * ds.apiObject;          // the L1 KubeDaemonSet, for `addJsonPatch` on anything not modelled
 * ds.podTemplateLabels;  // selector + extra labels
 * ```
 * Volumes are emitted only when a container mounts them (so the default `cni-bin`/`cni-conf`
 * volumes appear only if used); a mount of an undeclared volume fails at synth.
 * RBAC: see `NodeAgentIdentity` (lib/installers/node-agent-identity.ts). Images: `ContainerImage`
 * (lib/installers/container-image.ts), which rejects floating tags.
 */
import { JsonPatch, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { formatProblem, ProblemSink, throwIfErrors } from '../cni/problem';
import { ContainerImage } from './container-image';
import { PropType, assertArg, assertProps, pArray, pEither, pEnum, pInstance, pInt, pString, propsShape } from '../cni/props-check';
import { BOOL_PROP, COUNT_PROP, STRING_MAP_PROP, STRING_PROP, TOLERATIONS_PROP } from './installer-props';

/** The namespace upstream CNI installs use. */
export const KUBE_SYSTEM = 'kube-system';
/** The default host directory of CNI plugin binaries. */
export const DEFAULT_CNI_BIN_DIR = '/opt/cni/bin';
/** The default host directory of CNI network configurations. */
export const DEFAULT_CNI_CONF_DIR = '/etc/cni/net.d';

// Runtime shapes of the helper factories below (for callers without a type checker).
const ENV_NAME = pString();
const INT_OR_PERCENT = pEither('a non-negative integer or a percentage such as "10%"', 'write a whole number such as 1, or a percentage such as "10%"',
  [(v) => typeof v === 'number', (v) => typeof v === 'string'], [pInt({ min: 0 }), pString({ pattern: /^\d+%$/, patternText: 'a percentage such as "10%"' })]);
const ROLLING_UPDATE_SHAPE = propsShape('UpdateStrategy.rollingUpdate options', { maxUnavailable: INT_OR_PERCENT, maxSurge: INT_OR_PERCENT });

/** A pod priority class for the node agent. */
export class PriorityClass {
  /** `system-node-critical`: what most CNI DaemonSets use. */
  public static readonly SYSTEM_NODE_CRITICAL = new PriorityClass('system-node-critical');
  /** `system-cluster-critical`. */
  public static readonly SYSTEM_CLUSTER_CRITICAL = new PriorityClass('system-cluster-critical');
  /** No priorityClassName (as Multus, SR-IOV, whereabouts, Romana and the reference installer). */
  public static readonly NONE = new PriorityClass(undefined);
  /** A priority class by name. */
  public static of(name: string): PriorityClass {
    assertArg(pString(), name, 'name', 'PriorityClass.of', 'name the priority class');
    return new PriorityClass(name);
  }
  private constructor(public readonly name: string | undefined) {}
}

/**
 * A {@link PriorityClass} prop (runtime check for callers without a type checker).
 * @internal
 */
export const PRIORITY_CLASS_PROP: PropType = pInstance([PriorityClass], 'a PriorityClass', 'use PriorityClass.SYSTEM_NODE_CRITICAL or PriorityClass.of(name)');

/** A taint effect a toleration matches. */
export enum TaintEffect {
  NO_SCHEDULE = 'NoSchedule',
  PREFER_NO_SCHEDULE = 'PreferNoSchedule',
  NO_EXECUTE = 'NoExecute',
}

const TAINT_EFFECT = pEnum(TaintEffect, 'TaintEffect');
const TOLERATION_EXISTS_SHAPE = propsShape('Toleration.exists options', { key: pString(), effect: TAINT_EFFECT, tolerationSeconds: pInt({ min: 0 }) });

/** Builds tolerations. */
export class Toleration {
  /** `{operator: Exists}` (optionally for one key and/or effect): with no key, tolerates every taint. */
  public static exists(options: { key?: string; effect?: TaintEffect; tolerationSeconds?: number } = {}): k8s.Toleration {
    assertProps(TOLERATION_EXISTS_SHAPE, options, 'Toleration.exists');
    return { key: options.key, operator: 'Exists', effect: options.effect, tolerationSeconds: options.tolerationSeconds };
  }
  /** `{key, operator: Equal, value, effect}`. */
  public static equal(key: string, value: string, effect?: TaintEffect): k8s.Toleration {
    assertArg(pString(), key, 'key', 'Toleration.equal', 'give the taint key');
    assertArg(pString({ allowEmpty: true }), value, 'value', 'Toleration.equal', 'give the taint value');
    assertArg(TAINT_EFFECT, effect, 'effect', 'Toleration.equal');
    return { key, operator: 'Equal', value, effect };
  }
  /** The default of node agents: tolerate everything. */
  public static everything(): k8s.Toleration[] {
    return [Toleration.exists()];
  }
  private constructor() {}
}

/** `hostPath.type`. */
export enum HostPathType {
  /** No type: no check before mounting (what most upstream manifests use). */
  UNSET = '',
  DIRECTORY_OR_CREATE = 'DirectoryOrCreate',
  DIRECTORY = 'Directory',
  FILE_OR_CREATE = 'FileOrCreate',
  FILE = 'File',
  SOCKET = 'Socket',
  CHAR_DEVICE = 'CharDevice',
  BLOCK_DEVICE = 'BlockDevice',
}

/** `volumeMounts[].mountPropagation`. */
export enum MountPropagation {
  NONE = 'None',
  HOST_TO_CONTAINER = 'HostToContainer',
  BIDIRECTIONAL = 'Bidirectional',
}

/** `imagePullPolicy`. */
export enum ImagePullPolicy {
  IF_NOT_PRESENT = 'IfNotPresent',
  ALWAYS = 'Always',
  NEVER = 'Never',
}

/** A container's security context: privileged, exactly a capability set, or given verbatim. */
export class NodeAgentSecurity {
  /** `{privileged: true}`. */
  public static privileged(): NodeAgentSecurity {
    return new NodeAgentSecurity({ privileged: true });
  }
  /** `{privileged: false, capabilities: {add: [...]}}` (exactly these; `drop` optional). */
  public static capabilities(add: string[], drop?: string[]): NodeAgentSecurity {
    assertArg(pArray(pString()), add, 'add', 'NodeAgentSecurity.capabilities', 'list the capabilities to add, e.g. ["NET_ADMIN"]');
    assertArg(pArray(pString()), drop, 'drop', 'NodeAgentSecurity.capabilities');
    return new NodeAgentSecurity({ privileged: false, capabilities: { add: [...add], drop: drop ? [...drop] : undefined } });
  }
  /** Unprivileged, all capabilities dropped, read-only root filesystem, no privilege escalation. */
  public static restricted(): NodeAgentSecurity {
    return new NodeAgentSecurity({
      privileged: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
  }
  /** Exactly the given L1 security context. */
  public static custom(context: k8s.SecurityContext): NodeAgentSecurity {
    return new NodeAgentSecurity(context);
  }
  private constructor(public readonly context: k8s.SecurityContext) {}
}

/** Builds `env` entries. */
export class EnvEntry {
  /** A literal value. */
  public static value(name: string, value: string): k8s.EnvVar {
    assertArg(ENV_NAME, name, 'name', 'EnvEntry.value', 'name the variable');
    return { name, value };
  }
  /** From the pod's own fields, e.g. `spec.nodeName`, `metadata.namespace`. */
  public static fieldRef(name: string, fieldPath: string): k8s.EnvVar {
    assertArg(ENV_NAME, name, 'name', 'EnvEntry.fieldRef', 'name the variable');
    return { name, valueFrom: { fieldRef: { fieldPath } } };
  }
  /** From a ConfigMap key. */
  public static configMapKey(name: string, configMap: string, key: string, optional?: boolean): k8s.EnvVar {
    assertArg(ENV_NAME, name, 'name', 'EnvEntry.configMapKey', 'name the variable');
    return { name, valueFrom: { configMapKeyRef: { name: configMap, key, optional } } };
  }
  /** From a Secret key. */
  public static secretKey(name: string, secret: string, key: string, optional?: boolean): k8s.EnvVar {
    assertArg(ENV_NAME, name, 'name', 'EnvEntry.secretKey', 'name the variable');
    return { name, valueFrom: { secretKeyRef: { name: secret, key, optional } } };
  }
  /** From a container resource, e.g. `limits.memory`. */
  public static resourceField(name: string, resource: string, containerName?: string, divisor?: string): k8s.EnvVar {
    assertArg(ENV_NAME, name, 'name', 'EnvEntry.resourceField', 'name the variable');
    return {
      name,
      valueFrom: { resourceFieldRef: { resource, containerName, divisor: divisor ? k8s.Quantity.fromString(divisor) : undefined } },
    };
  }
  private constructor() {}
}

/** A volume mount of a node-agent container. */
export interface NodeAgentMount {
  /** The volume name (declared on the DaemonSet). */
  readonly volume: string;
  /** Where it appears in the container. */
  readonly mountPath: string;
  /** @default false */
  readonly readOnly?: boolean;
  /** @default - none (Kubernetes: None) */
  readonly propagation?: MountPropagation;
  /** @default - the whole volume */
  readonly subPath?: string;
}

/** CPU and memory amounts, e.g. `{cpu: '100m', memory: '50Mi'}`. */
export interface ResourceAmounts {
  /** @default - not set */
  readonly cpu?: string;
  /** @default - not set */
  readonly memory?: string;
}

/** Requests and limits. No defaults: upstream numbers are set by each installer. */
export interface NodeAgentResources {
  /** @default - none */
  readonly requests?: ResourceAmounts;
  /** @default - none */
  readonly limits?: ResourceAmounts;
}

/** A container (or init container) of a node agent. */
export interface NodeAgentContainerProps {
  /** Container name. */
  readonly name: string;
  /** The pinned image. */
  readonly image: ContainerImage;
  /** @default ImagePullPolicy.IF_NOT_PRESENT */
  readonly imagePullPolicy?: ImagePullPolicy;
  /** @default - the image's entrypoint */
  readonly command?: string[];
  /** @default - none */
  readonly args?: string[];
  /** @default - none */
  readonly env?: k8s.EnvVar[];
  /** ConfigMaps whose keys become environment variables. @default - none */
  readonly envFromConfigMaps?: { readonly name: string; readonly optional?: boolean }[];
  /** @default - no securityContext (the runtime's unprivileged default) */
  readonly security?: NodeAgentSecurity;
  /** @default - none */
  readonly resources?: NodeAgentResources;
  /** @default - none */
  readonly mounts?: NodeAgentMount[];
  /** @default - none */
  readonly ports?: k8s.ContainerPort[];
  /** @default - none */
  readonly readinessProbe?: k8s.Probe;
  /** @default - none */
  readonly livenessProbe?: k8s.Probe;
  /** @default - none */
  readonly startupProbe?: k8s.Probe;
  /** @default - none */
  readonly lifecycle?: k8s.Lifecycle;
  /** @default - none (Kubernetes: File) */
  readonly terminationMessagePolicy?: 'File' | 'FallbackToLogsOnError';
  /** @default - none */
  readonly workingDir?: string;
}

/** How a DaemonSet replaces pods. */
export class UpdateStrategy {
  /** `{type: RollingUpdate}`, optionally with `maxUnavailable` / `maxSurge`. */
  public static rollingUpdate(options: { maxUnavailable?: number | string; maxSurge?: number | string } = {}): UpdateStrategy {
    assertProps(ROLLING_UPDATE_SHAPE, options, 'UpdateStrategy.rollingUpdate');
    const io = (v?: number | string) => (v === undefined ? undefined : typeof v === 'number' ? k8s.IntOrString.fromNumber(v) : k8s.IntOrString.fromString(v));
    const ru = options.maxUnavailable !== undefined || options.maxSurge !== undefined
      ? { maxUnavailable: io(options.maxUnavailable), maxSurge: io(options.maxSurge) }
      : undefined;
    return new UpdateStrategy({ type: 'RollingUpdate', rollingUpdate: ru });
  }
  /** `{type: OnDelete}`. */
  public static onDelete(): UpdateStrategy {
    return new UpdateStrategy({ type: 'OnDelete' });
  }
  /** No `updateStrategy` field (Kubernetes defaults to RollingUpdate). */
  public static readonly UNSET = new UpdateStrategy(undefined);
  private constructor(public readonly strategy: k8s.DaemonSetUpdateStrategy | undefined) {}
}

/** Properties of a {@link NodeAgentDaemonSet}. */
export interface NodeAgentDaemonSetProps {
  /** `metadata.name` of the DaemonSet. */
  readonly name: string;
  /** @default 'kube-system' */
  readonly namespace?: string;
  /**
   * The selector's `matchLabels`, also set on the pod template (immutable once deployed).
   * @default { name: <name> }
   */
  readonly selectorLabels?: Record<string, string>;
  /** Extra labels on the DaemonSet and the pod template. @default - none */
  readonly labels?: Record<string, string>;
  /** Annotations on the pod template. @default - none */
  readonly podAnnotations?: Record<string, string>;
  /** Annotations on the DaemonSet. @default - none */
  readonly annotations?: Record<string, string>;
  /** @default true */
  readonly hostNetwork?: boolean;
  /** @default false */
  readonly hostPid?: boolean;
  /** @default false */
  readonly hostIpc?: boolean;
  /** @default [{operator: Exists}] (tolerate every taint); [] for none */
  readonly tolerations?: k8s.Toleration[];
  /** @default PriorityClass.SYSTEM_NODE_CRITICAL */
  readonly priorityClass?: PriorityClass;
  /** @default { 'kubernetes.io/os': 'linux' }; {} for none */
  readonly nodeSelector?: Record<string, string>;
  /** @default - none (the namespace's `default` ServiceAccount) */
  readonly serviceAccountName?: string;
  /** @default - not set (Kubernetes: true) */
  readonly automountServiceAccountToken?: boolean;
  /** @default UpdateStrategy.rollingUpdate() */
  readonly updateStrategy?: UpdateStrategy;
  /** @default - not set (Kubernetes: 30) */
  readonly terminationGracePeriodSeconds?: number;
  /** @default - not set (Kubernetes: ClusterFirst) */
  readonly dnsPolicy?: 'ClusterFirst' | 'ClusterFirstWithHostNet' | 'Default' | 'None';
  /** @default - not set */
  readonly restartPolicy?: 'Always';
  /** Host directory of CNI binaries (volume {@link NodeAgentDaemonSet.cniBinVolume}). @default '/opt/cni/bin' */
  readonly cniBinDir?: string;
  /** Host directory of CNI configs (volume {@link NodeAgentDaemonSet.cniConfVolume}). @default '/etc/cni/net.d' */
  readonly cniConfDir?: string;
  /** @default 'cni-bin' */
  readonly cniBinVolumeName?: string;
  /** @default 'cni-conf' */
  readonly cniConfVolumeName?: string;
}

/** The shape of {@link NodeAgentDaemonSetProps} (runtime checks for callers without a type checker). */
const NODE_AGENT_DAEMON_SET_PROPS_SHAPE = propsShape('NodeAgentDaemonSetProps', {
  name: { type: STRING_PROP, required: 'name the DaemonSet' },
  namespace: STRING_PROP,
  selectorLabels: STRING_MAP_PROP,
  labels: STRING_MAP_PROP,
  podAnnotations: STRING_MAP_PROP,
  annotations: STRING_MAP_PROP,
  hostNetwork: BOOL_PROP,
  hostPid: BOOL_PROP,
  hostIpc: BOOL_PROP,
  tolerations: TOLERATIONS_PROP,
  priorityClass: PRIORITY_CLASS_PROP,
  nodeSelector: STRING_MAP_PROP,
  serviceAccountName: STRING_PROP,
  automountServiceAccountToken: BOOL_PROP,
  updateStrategy: pInstance([UpdateStrategy], 'an UpdateStrategy', 'use UpdateStrategy.rollingUpdate() or UpdateStrategy.onDelete()'),
  terminationGracePeriodSeconds: COUNT_PROP,
  dnsPolicy: pEnum(['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'], 'dnsPolicy'),
  restartPolicy: pEnum(['Always'], 'restartPolicy'),
  cniBinDir: STRING_PROP,
  cniConfDir: STRING_PROP,
  cniBinVolumeName: STRING_PROP,
  cniConfVolumeName: STRING_PROP,
});

/** A node-level agent DaemonSet: see the module header for the whole API. */
export class NodeAgentDaemonSet extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  public readonly selectorLabels: Record<string, string>;
  public readonly labels: Record<string, string>;
  public readonly hostNetwork: boolean;
  public readonly hostPid: boolean;
  public readonly tolerations: k8s.Toleration[];
  public readonly priorityClass: PriorityClass;
  public readonly nodeSelector: Record<string, string>;
  public readonly serviceAccountName?: string;
  public readonly updateStrategy: UpdateStrategy;
  public readonly cniBinDir: string;
  public readonly cniConfDir: string;
  /** The name of the hostPath volume of {@link cniBinDir}. */
  public readonly cniBinVolume: string;
  /** The name of the hostPath volume of {@link cniConfDir}. */
  public readonly cniConfVolume: string;
  /** The L1 object. */
  public readonly apiObject: k8s.KubeDaemonSet;

  private readonly volumes = new Map<string, k8s.Volume>();
  private readonly containers: NodeAgentContainerProps[] = [];
  private readonly initContainers: NodeAgentContainerProps[] = [];

  constructor(scope: Construct, id: string, props: NodeAgentDaemonSetProps) {
    super(scope, id);
    assertProps(NODE_AGENT_DAEMON_SET_PROPS_SHAPE, props, `NodeAgentDaemonSet ${this.node.path}`);
    this.name = props.name;
    this.namespace = props.namespace ?? KUBE_SYSTEM;
    this.selectorLabels = { ...(props.selectorLabels ?? { name: props.name }) };
    this.labels = { ...(props.labels ?? {}) };
    this.hostNetwork = props.hostNetwork ?? true;
    this.hostPid = props.hostPid ?? false;
    this.tolerations = [...(props.tolerations ?? Toleration.everything())];
    this.priorityClass = props.priorityClass ?? PriorityClass.SYSTEM_NODE_CRITICAL;
    this.nodeSelector = { ...(props.nodeSelector ?? { 'kubernetes.io/os': 'linux' }) };
    this.serviceAccountName = props.serviceAccountName;
    this.updateStrategy = props.updateStrategy ?? UpdateStrategy.rollingUpdate();
    this.cniBinDir = props.cniBinDir ?? DEFAULT_CNI_BIN_DIR;
    this.cniConfDir = props.cniConfDir ?? DEFAULT_CNI_CONF_DIR;
    this.cniBinVolume = props.cniBinVolumeName ?? 'cni-bin';
    this.cniConfVolume = props.cniConfVolumeName ?? 'cni-conf';

    const sink = new ProblemSink();
    for (const [field, dir] of [['cniBinDir', this.cniBinDir], ['cniConfDir', this.cniConfDir]] as const) {
      if (!dir.startsWith('/')) sink.error(field, 'is not an absolute path', dir, `write an absolute host path such as "${field === 'cniBinDir' ? DEFAULT_CNI_BIN_DIR : DEFAULT_CNI_CONF_DIR}"`);
    }
    throwIfErrors(sink.problems, `NodeAgentDaemonSet ${this.node.path}`);
    this.addHostPathVolume(this.cniBinVolume, this.cniBinDir);
    this.addHostPathVolume(this.cniConfVolume, this.cniConfDir);

    const metaLabels = { ...this.labels, ...this.selectorLabels };
    this.apiObject = new k8s.KubeDaemonSet(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace, labels: metaLabels, annotations: props.annotations },
      spec: {
        selector: { matchLabels: { ...this.selectorLabels } },
        updateStrategy: this.updateStrategy.strategy,
        template: {
          metadata: { labels: { ...metaLabels }, annotations: props.podAnnotations },
          spec: {
            hostNetwork: this.hostNetwork || undefined,
            hostPid: this.hostPid || undefined,
            hostIpc: props.hostIpc || undefined,
            dnsPolicy: props.dnsPolicy,
            restartPolicy: props.restartPolicy,
            nodeSelector: Object.keys(this.nodeSelector).length > 0 ? this.nodeSelector : undefined,
            tolerations: this.tolerations.length > 0 ? this.tolerations : undefined,
            priorityClassName: this.priorityClass.name,
            serviceAccountName: this.serviceAccountName,
            automountServiceAccountToken: props.automountServiceAccountToken,
            terminationGracePeriodSeconds: props.terminationGracePeriodSeconds,
            initContainers: Lazy.any({ produce: () => (this.initContainers.length > 0 ? this.initContainers.map((c) => this.renderContainer(c)) : undefined) }) as any,
            containers: Lazy.any({ produce: () => this.containers.map((c) => this.renderContainer(c)) }) as any,
            volumes: Lazy.any({ produce: () => this.renderVolumes() }) as any,
          },
        },
      },
    });
    this.node.addValidation({ validate: () => this.validateSelf() });
  }

  /** The labels on the pod template: selector labels plus the extra labels. */
  public get podTemplateLabels(): Record<string, string> {
    return { ...this.labels, ...this.selectorLabels };
  }

  /** Declares (or redeclares) a hostPath volume; emitted only if a container mounts it. */
  public addHostPathVolume(name: string, hostPath: string, type: HostPathType = HostPathType.UNSET): this {
    this.volumes.set(name, { name, hostPath: { path: hostPath, type: type === HostPathType.UNSET ? undefined : type } });
    return this;
  }

  /** Declares a ConfigMap volume; emitted only if a container mounts it. */
  public addConfigMapVolume(name: string, configMapName: string, options: { items?: k8s.KeyToPath[]; defaultMode?: number; optional?: boolean } = {}): this {
    this.volumes.set(name, { name, configMap: { name: configMapName, items: options.items, defaultMode: options.defaultMode, optional: options.optional } });
    return this;
  }

  /** Declares a Secret volume; emitted only if a container mounts it. */
  public addSecretVolume(name: string, secretName: string, options: { items?: k8s.KeyToPath[]; defaultMode?: number; optional?: boolean } = {}): this {
    this.volumes.set(name, { name, secret: { secretName, items: options.items, defaultMode: options.defaultMode, optional: options.optional } });
    return this;
  }

  /** Declares any other L1 volume (emptyDir, projected, ...); emitted only if a container mounts it. */
  public addVolume(volume: k8s.Volume): this {
    this.volumes.set(volume.name, volume);
    return this;
  }

  /** The declared volume of that name, if any. */
  public volume(name: string): k8s.Volume | undefined {
    return this.volumes.get(name);
  }

  /** Appends a container. */
  public addContainer(container: NodeAgentContainerProps): this {
    this.containers.push(container);
    return this;
  }

  /** Appends an init container (they run in order, before the containers). */
  public addInitContainer(container: NodeAgentContainerProps): this {
    this.initContainers.push(container);
    return this;
  }

  /** Every container and init container, as given. */
  public get allContainers(): readonly NodeAgentContainerProps[] {
    return [...this.initContainers, ...this.containers];
  }

  /** Applies a JSON patch to the L1 object (for fields not modelled here). */
  public addJsonPatch(...ops: JsonPatch[]): void {
    this.apiObject.addJsonPatch(...ops);
  }

  private usedVolumes(): Set<string> {
    const used = new Set<string>();
    for (const c of this.allContainers) for (const m of c.mounts ?? []) used.add(m.volume);
    return used;
  }

  private renderVolumes(): k8s.Volume[] | undefined {
    const used = this.usedVolumes();
    const out = [...this.volumes.values()].filter((v) => used.has(v.name));
    return out.length > 0 ? out : undefined;
  }

  private renderContainer(c: NodeAgentContainerProps): k8s.Container {
    const amounts = (a?: ResourceAmounts) => {
      if (!a) return undefined;
      const out: Record<string, k8s.Quantity> = {};
      if (a.cpu !== undefined) out.cpu = k8s.Quantity.fromString(a.cpu);
      if (a.memory !== undefined) out.memory = k8s.Quantity.fromString(a.memory);
      return out;
    };
    return {
      name: c.name,
      image: c.image.toString(),
      imagePullPolicy: c.imagePullPolicy ?? ImagePullPolicy.IF_NOT_PRESENT,
      command: c.command,
      args: c.args,
      workingDir: c.workingDir,
      env: c.env && c.env.length > 0 ? c.env : undefined,
      envFrom: c.envFromConfigMaps?.map((r) => ({ configMapRef: { name: r.name, optional: r.optional } })),
      ports: c.ports,
      resources: c.resources ? { requests: amounts(c.resources.requests), limits: amounts(c.resources.limits) } : undefined,
      securityContext: c.security?.context,
      volumeMounts: c.mounts && c.mounts.length > 0
        ? c.mounts.map((m) => ({ name: m.volume, mountPath: m.mountPath, readOnly: m.readOnly, mountPropagation: m.propagation, subPath: m.subPath }))
        : undefined,
      readinessProbe: c.readinessProbe,
      livenessProbe: c.livenessProbe,
      startupProbe: c.startupProbe,
      lifecycle: c.lifecycle,
      terminationMessagePolicy: c.terminationMessagePolicy,
    };
  }

  private validateSelf(): string[] {
    const sink = new ProblemSink();
    if (this.containers.length === 0) {
      sink.error('containers', 'is empty: a DaemonSet needs at least one container', [], 'call addContainer(...)');
    }
    const names = new Set<string>();
    this.allContainers.forEach((c) => {
      if (names.has(c.name)) sink.error('containers', 'has a duplicate container name', c.name, 'give each container and init container its own name');
      names.add(c.name);
      for (const m of c.mounts ?? []) {
        if (!this.volumes.has(m.volume)) {
          sink.error(`containers[${c.name}].mounts`, 'names a volume that is not declared', m.volume,
            'declare it with addHostPathVolume, addConfigMapVolume, addSecretVolume or addVolume');
        }
      }
    });
    return sink.problems.map(formatProblem);
  }
}

/** Whether an object is the L1 DaemonSet of a node agent (for tests and lookups). */
export function isNodeAgentDaemonSet(x: unknown): x is NodeAgentDaemonSet {
  return x instanceof NodeAgentDaemonSet;
}
