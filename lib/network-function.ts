import { ApiObjectMetadataDefinition, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { ATTACHMENT_SHAPE, Attachment, AttachmentOptions, copyOptions } from './attachment-options';
import { AttachmentRendering } from './attachment-rendering';
import { CniConfig } from './cni/config';
import { Ipam } from './cni/ipam';
import { BondMode, BondPlugin } from './cni/plugins/bond';
import { ProblemSink, throwIfErrors } from './cni/problem';
import { PluginsProfile } from './cni/profile';
import {
  P_PORT, PropType, PropsShape, assertProps, checkProps, extendShape, pAny, pArray, pBool, pEnum, pInstance, pInt,
  pJsonObject, pObject, pRecord, pString, propsShape,
} from './cni/props-check';
import { DNS1123_LABEL, NetworkSelectionElement } from './multus/selection-element';
import { NetworkAttachmentDefinition } from './network-attachment-definition';
import { NETWORK_TARGET, NetworkTarget } from './network-target';
import { PodNetworks } from './pod-networks';
import { PodTemplate } from './pod-template';
import { FUNCTION_LABEL } from './topology/expectations';
import { HUGEPAGES_NEED_COMPUTE, QUANTITY, isHugePages, resourceRequestProblems } from './topology/extended-resources';

export { FUNCTION_LABEL };
export type { Attachment, AttachmentOptions, NetworkTarget };

/** The label with the replica index, on per-replica workloads. */
export const REPLICA_LABEL = 'nfv.cdk8s.io/replica';

/** Per-replica workloads are one construct each: more than this is a mistake, not a topology. */
export const MAX_PER_REPLICA_WORKLOADS = 1000;

/** The workload kind that runs a function's pods (what a function builds; a wrapped workload may be any kind with a pod template). */
export enum WorkloadKind {
  POD = 'Pod',
  DEPLOYMENT = 'Deployment',
  STATEFUL_SET = 'StatefulSet',
  DAEMON_SET = 'DaemonSet',
}

/** How replicas get static addresses. */
export enum ReplicaAddressing {
  /** One workload with `replicas` pods; static `ips` and `mac` are refused when replicas > 1. */
  SHARED = 'shared',
  /**
   * One single-replica workload per replica (`<name>-0`, `<name>-1`, ...), so each replica gets
   * its own predictable address from `ipsPerReplica`.
   */
  PER_REPLICA = 'per-replica',
}

/**
 * A container of a network function: every container setting of cdk8s-plus (`kplus.ContainerProps`:
 * probes, volume mounts, lifecycle, envFrom, workingDir, ...), a few shorthands, and extended
 * resources.
 *
 * Hardening defaults, each with its opt-out:
 * - the root filesystem is read-only: `securityContext: { readOnlyRootFilesystem: false }`;
 * - the container must not run as root unless it declares capabilities (they only take effect
 *   for root): `ensureNonRoot: false` (or `securityContext: { ensureNonRoot: false }`);
 * - every Linux capability is dropped, only `capabilities` are added back:
 *   `securityContext: { capabilities: { ... } }` replaces the set;
 * - no privilege, no privilege escalation: `privileged: true` (or
 *   `securityContext: { allowPrivilegeEscalation: true }`);
 * - cdk8s-plus's CPU and memory defaults (requests 1 CPU / 512Mi, limits 1.5 CPU / 2Gi): give
 *   `resources`, or `resources: {}` for none;
 * - cdk8s-plus's `imagePullPolicy` default, Always: `imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT`.
 *
 * Keys of `securityContext` replace the defaults above one by one.
 */
export interface NetworkFunctionContainer extends Omit<kplus.ContainerProps, 'name' | 'ports'> {
  /** Container name (DNS-1123 label). */
  readonly name: string;
  /**
   * The Linux capabilities the container needs (e.g. NET_ADMIN for a router); everything else is
   * dropped.
   * @default - none
   */
  readonly capabilities?: readonly kplus.Capability[];
  /**
   * Run privileged. Explicit opt-in only.
   * @default false
   */
  readonly privileged?: boolean;
  /**
   * Refuse to run as root.
   * @default - true when no capability is declared (capabilities only take effect for root)
   */
  readonly ensureNonRoot?: boolean;
  /**
   * Environment variables as plain values (merged with `envVariables`, which win).
   * @default - none
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Ports: numbers, or cdk8s-plus container ports.
   * @default - none
   */
  readonly ports?: readonly (number | kplus.ContainerPort)[];
  /**
   * Extended resources, requested and limited alike (extended resources cannot be
   * overcommitted), as Kubernetes quantities: hugepages (`hugepages-1Gi: '2Gi'`), device-plugin
   * resources the networks do not add themselves, as {@link PodNetworks.requestResource} writes
   * them (the same checks). The resource of a device-plugin network the function attaches to is
   * refused: its attachments request it (attachment option `devices` for more than one each).
   * @default - none
   */
  readonly extendedResources?: Readonly<Record<string, string>>;
}

/** Pod settings of cdk8s-plus passed through to the workloads a function builds. */
export interface NetworkFunctionPodOptions extends Omit<kplus.AbstractPodProps, 'containers' | 'metadata'> {}

/** Deployment settings of cdk8s-plus passed through (kind Deployment): strategy, minReady, progressDeadline, spread. */
export interface NetworkFunctionDeploymentOptions extends Omit<kplus.DeploymentProps, keyof kplus.AbstractPodProps | 'replicas' | 'podMetadata' | 'select' | 'metadata'> {}

/** StatefulSet settings of cdk8s-plus passed through (kind StatefulSet): service, podManagementPolicy, strategy, minReady. */
export interface NetworkFunctionStatefulSetOptions extends Omit<kplus.StatefulSetProps, keyof kplus.AbstractPodProps | 'replicas' | 'podMetadata' | 'select' | 'metadata'> {}

/** DaemonSet settings of cdk8s-plus passed through (kind DaemonSet): minReadySeconds. */
export interface NetworkFunctionDaemonSetOptions extends Omit<kplus.DaemonSetProps, keyof kplus.AbstractPodProps | 'podMetadata' | 'select' | 'metadata'> {}

/** Properties of a {@link NetworkFunction}. */
export interface NetworkFunctionProps {
  /**
   * The containers; the first is the one device-plugin devices go to unless an attachment names
   * another. Required unless `workload` is given.
   * @default - none (then `workload` is required)
   */
  readonly containers?: readonly NetworkFunctionContainer[];
  /**
   * An existing workload to attach instead of building one: a cdk8s-plus workload or Pod (either
   * line), or an ApiObject with a pod template (`Include`, `Helm`, hand-made). The function then
   * builds nothing: `containers`, `kind`, `replicas`, `namespace` and the workload options do not
   * apply, and per-replica addressing is refused (it needs one workload per replica).
   * @default - the function builds its workload
   */
  readonly workload?: IConstruct;
  /**
   * @default WorkloadKind.DEPLOYMENT
   */
  readonly kind?: WorkloadKind;
  /**
   * The function's name: workload name and the value of the function label.
   * @default - the construct id in lower case
   */
  readonly name?: string;
  /**
   * Number of pods (ignored for DaemonSet and Pod).
   * @default 1
   */
  readonly replicas?: number;
  /**
   * How replicas get static addresses.
   * @default ReplicaAddressing.SHARED
   */
  readonly replicaAddressing?: ReplicaAddressing;
  /**
   * The namespace.
   * @default - the chart's namespace, else "default"
   */
  readonly namespace?: string;
  /**
   * Extra pod labels.
   * @default - only the function label
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Replaces the cluster default network (eth0) of the pods (`v1.multus-cni.io/default-network`).
   * @default - the cluster network
   */
  readonly defaultNetwork?: NetworkTarget;
  /**
   * Attachments, in interface order (see {@link NetworkFunction.attach}).
   * @default - none
   */
  readonly attachments?: readonly (AttachmentOptions & { readonly network: NetworkTarget })[];
  /**
   * How the attachments are written out (see {@link PodNetworks.of}): the Multus annotation with
   * NADs, or the claims of a DRA network driver.
   * @default - the App's default (`AttachmentRenderings.setDefault`, or the context key
   * `cdk8s-nfv:attachmentRendering`), else AttachmentRendering.NAD_ANNOTATION
   */
  readonly rendering?: AttachmentRendering;
  /**
   * cdk8s-plus pod settings: init containers, volumes, restartPolicy, dns, hostAliases,
   * serviceAccount, terminationGracePeriod, hostNetwork, the pod securityContext, ... Node
   * selection and tolerations go through cdk8s-plus's scheduling API on the workloads
   * (`fn.builtWorkloads[i].scheduling.attract(...)`, `.tolerate(...)`).
   *
   * Hardening defaults: `automountServiceAccountToken: false` (opt out with `true`); the pod
   * securityContext leaves `runAsNonRoot` to each container (`ensureNonRoot: false` at the pod).
   * @default - cdk8s-plus's defaults, with the hardening defaults above
   */
  readonly pod?: NetworkFunctionPodOptions;
  /** cdk8s-plus Deployment settings (kind Deployment). @default - cdk8s-plus's defaults */
  readonly deployment?: NetworkFunctionDeploymentOptions;
  /** cdk8s-plus StatefulSet settings (kind StatefulSet), e.g. `service`. @default - cdk8s-plus's defaults (a headless Service) */
  readonly statefulSet?: NetworkFunctionStatefulSetOptions;
  /** cdk8s-plus DaemonSet settings (kind DaemonSet). @default - cdk8s-plus's defaults */
  readonly daemonSet?: NetworkFunctionDaemonSetOptions;
}

/** Options of {@link NetworkFunction.addBond}. */
export interface BondOptions {
  /** Bond interface name in the pod. @default bond0 */
  readonly interface?: string;
  /** The two (or more) attachments to aggregate; they must be attached already. */
  readonly links: readonly Attachment[];
  /** @default BondMode.ACTIVE_BACKUP */
  readonly mode?: BondMode;
  /** Link monitoring interval in ms. @default 100 */
  readonly miimonMs?: number;
  /** Addresses of the bond. @default - none (layer 2) */
  readonly ipam?: Ipam;
  /** @default - 1500 */
  readonly mtu?: number;
  /** @default PluginsProfile.UPSTREAM */
  readonly profile?: PluginsProfile;
}

/** The workloads a function builds, or the one it wraps: a construct with the manifest metadata API. */
export type NetworkFunctionWorkload = IConstruct & { readonly metadata: ApiObjectMetadataDefinition };

/**
 * A workload a function builds: the cdk8s-plus-27 class of its `kind`, with the whole cdk8s-plus
 * API (`scheduling.attract(...)`, `.tolerate(...)`, `connections`, `addVolume(...)`, ...).
 */
export type BuiltWorkload = kplus.Deployment | kplus.StatefulSet | kplus.DaemonSet | kplus.Pod;

// ---------------------------------------------------------------------------------------------
// The runtime shapes of the props above (for callers without a type checker), checked first
// thing in the constructor, attach() and addBond(). cdk8s-plus's own props are passed through
// (pAny) and checked by cdk8s-plus.
// ---------------------------------------------------------------------------------------------

const PLUS = pAny('a cdk8s-plus value');

/** A port: a number (checked), or a cdk8s-plus ContainerPort object (checked by cdk8s-plus). */
const PORT: PropType = {
  description: P_PORT.description,
  check(value, path, sink) {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return;
    P_PORT.check(value, path, sink);
  },
};

const CONTAINER_SHAPE = propsShape('NetworkFunctionContainer', {
  name: { type: pString({ pattern: DNS1123_LABEL, patternText: 'a DNS-1123 label', maxLength: 63, fix: 'write a lowercase name such as "router"' }), required: 'name the container, e.g. "router"' },
  image: { type: pString(), required: 'give an image pinned to a tag or digest, e.g. "quay.io/frrouting/frr:10.2.1"' },
  capabilities: pArray(pEnum(kplus.Capability, 'kplus.Capability')),
  privileged: pBool(),
  ensureNonRoot: pBool(),
  command: pArray(pString({ allowEmpty: true })),
  args: pArray(pString({ allowEmpty: true })),
  env: pRecord(pString({ allowEmpty: true })),
  ports: pArray(PORT),
  resources: pJsonObject(),
  extendedResources: pRecord(pString({ pattern: QUANTITY, patternText: 'a Kubernetes quantity', fix: 'write a quantity such as "2Gi" or "1"' })),
  envVariables: PLUS, envFrom: PLUS, volumeMounts: PLUS, imagePullPolicy: PLUS, readiness: PLUS, liveness: PLUS, startup: PLUS,
  lifecycle: PLUS, securityContext: PLUS, workingDir: PLUS, portNumber: PLUS, port: PLUS, restartPolicy: PLUS,
});

/** A shape whose keys are cdk8s-plus props, passed through. */
function plusShape(owner: string, keys: readonly string[]): PropsShape {
  return propsShape(owner, Object.fromEntries(keys.map((k) => [k, PLUS])), {
    containers: 'give the containers in NetworkFunctionProps.containers',
    replicas: 'give replicas in NetworkFunctionProps.replicas',
    metadata: 'use NetworkFunctionProps.name, namespace and labels',
    podMetadata: 'use NetworkFunctionProps.labels',
  });
}

const POD_SHAPE = plusShape('NetworkFunctionPodOptions', ['initContainers', 'volumes', 'restartPolicy', 'serviceAccount', 'securityContext',
  'hostAliases', 'dns', 'dockerRegistryAuth', 'automountServiceAccountToken', 'isolate', 'hostNetwork', 'terminationGracePeriod']);
const DEPLOYMENT_SHAPE = plusShape('NetworkFunctionDeploymentOptions', ['strategy', 'minReady', 'progressDeadline', 'spread']);
const STATEFUL_SET_SHAPE = plusShape('NetworkFunctionStatefulSetOptions', ['service', 'podManagementPolicy', 'strategy', 'minReady']);
const DAEMON_SET_SHAPE = plusShape('NetworkFunctionDaemonSetOptions', ['minReadySeconds']);

const ATTACHMENT_ITEM_SHAPE = extendShape(ATTACHMENT_SHAPE, 'NetworkFunctionProps.attachments[]', {
  network: { type: NETWORK_TARGET, required: 'name the network: { network: myNetwork, ... }' },
});

const WORKLOAD: PropType = {
  description: 'a workload construct',
  check(value, path, sink) {
    const node = (value as { node?: unknown } | null)?.node;
    if (typeof value !== 'object' || value === null || typeof node !== 'object' || node === null) {
      sink.error(path, 'must be a workload construct', value, 'pass a cdk8s-plus workload or Pod, or an ApiObject with a pod template');
    }
  },
};

/** The shape of {@link NetworkFunctionProps}. */
const FUNCTION_SHAPE = propsShape('NetworkFunctionProps', {
  containers: pArray(pObject(CONTAINER_SHAPE)),
  kind: pEnum(WorkloadKind, 'WorkloadKind'),
  name: pString(),
  replicas: pInt({ min: 0, max: 2147483647 }),
  replicaAddressing: pEnum(ReplicaAddressing, 'ReplicaAddressing'),
  namespace: pString(),
  labels: pRecord(pString({ allowEmpty: true })),
  defaultNetwork: NETWORK_TARGET,
  attachments: pArray(pObject(ATTACHMENT_ITEM_SHAPE)),
  rendering: pEnum(AttachmentRendering, 'AttachmentRendering'),
  workload: WORKLOAD,
  pod: pObject(POD_SHAPE),
  deployment: pObject(DEPLOYMENT_SHAPE),
  statefulSet: pObject(STATEFUL_SET_SHAPE),
  daemonSet: pObject(DAEMON_SET_SHAPE),
});

/** The shape of {@link BondOptions}. */
const BOND_SHAPE = propsShape('BondOptions', {
  interface: pString(),
  links: { type: pArray(pJsonObject()), required: 'list the attachments to aggregate (values returned by attach())' },
  mode: pEnum(BondMode, 'BondMode'),
  miimonMs: pInt({ min: 0, max: 2147483647, unit: 'ms' }),
  ipam: pInstance([Ipam], 'an IPAM object', 'build it with an IPAM class such as StaticIpam'),
  mtu: pInt({ min: 68, max: 65535 }),
  profile: pInstance([PluginsProfile], 'a PluginsProfile', 'use a PluginsProfile such as PluginsProfile.UPSTREAM'),
});

/** The options of each kind, with the prop that carries them. */
const KIND_OPTIONS: readonly [keyof NetworkFunctionProps, WorkloadKind][] = [
  ['deployment', WorkloadKind.DEPLOYMENT], ['statefulSet', WorkloadKind.STATEFUL_SET], ['daemonSet', WorkloadKind.DAEMON_SET],
];

/**
 * A network function: a workload whose pods attach to several networks through Multus, a
 * convenience over {@link PodNetworks}. It builds its workload (a cdk8s-plus Deployment,
 * StatefulSet, DaemonSet or Pod with the hardening defaults of {@link NetworkFunctionContainer},
 * every cdk8s-plus container and pod setting passed through) or wraps an existing one
 * (`workload`), and gives it a function label. Networks are referenced by construct, never by
 * string; with per-replica addressing it builds one workload per replica, each with its own
 * addresses. The whole topology is checked at synth.
 */
export class NetworkFunction extends Construct {
  /** The function's name. */
  public readonly name: string;
  public readonly namespace: string;
  /** The workload kind (a wrapped workload may be any kind with a pod template, e.g. `Job`). */
  public readonly kind: string;
  public readonly replicas: number;
  public readonly replicaAddressing: ReplicaAddressing;
  /**
   * The workloads: one, or one per replica with per-replica addressing (the wrapped one when the
   * function wraps a workload). Typed for what every workload offers (its manifest metadata); for
   * the cdk8s-plus API of the workloads the function built, use {@link builtWorkloads}.
   */
  public readonly workloads: readonly NetworkFunctionWorkload[];
  /**
   * The workload the function wraps (props `workload`), as it was passed.
   * @default - none: the function built its workloads
   */
  public readonly wrapped?: NetworkFunctionWorkload;
  /** How the attachments are written out (props `rendering`, else the App's default). */
  public get rendering(): AttachmentRendering {
    return this.networks[0].rendering;
  }
  /** The labels that select this function's pods. */
  public readonly podSelectorLabels: Readonly<Record<string, string>>;
  /** The attachments of the pods of each workload, same order as `workloads`. */
  private readonly networks: readonly PodNetworks[];
  /**
   * The function's own attachments where they differ from the first workload's: those with
   * per-replica options (which the function keeps as given), by position.
   */
  private perReplicaAttachments?: Map<number, Attachment>;
  private readonly _defaultNetwork?: NetworkTarget;

  constructor(scope: Construct, id: string, props: NetworkFunctionProps) {
    super(scope, id);
    assertProps(FUNCTION_SHAPE, props, `NetworkFunction ${this.node.path}`);
    const wrapped = props.workload;
    const template = wrapped ? PodTemplate.of(wrapped, `NetworkFunction ${this.node.path}`) : undefined;
    this.name = props.name ?? id.toLowerCase();
    this.kind = template?.kind ?? props.kind ?? WorkloadKind.DEPLOYMENT;
    this.replicas = template ? template.replicas() ?? 1 : this.kind === WorkloadKind.POD ? 1 : props.replicas ?? 1;
    this.replicaAddressing = props.replicaAddressing ?? ReplicaAddressing.SHARED;
    this.namespace = template?.namespace ?? props.namespace ?? Chart.of(this).namespace ?? 'default';
    this.podSelectorLabels = { [FUNCTION_LABEL]: this.name };
    this.checkProps(props, template);

    const workloads: NetworkFunctionWorkload[] = [];
    if (wrapped) {
      this.wrapped = wrapped as NetworkFunctionWorkload;
      workloads.push(wrapped as NetworkFunctionWorkload);
      template!.setLabel(FUNCTION_LABEL, this.name);
      for (const [k, v] of Object.entries(props.labels ?? {})) template!.setLabel(k, v);
    } else {
      const perReplica = this.replicaAddressing === ReplicaAddressing.PER_REPLICA;
      const count = perReplica ? this.replicas : 1;
      for (let i = 0; i < count; i++) {
        const scopeFor = perReplica ? new Construct(this, `Replica${i}`) : this;
        workloads.push(this.buildWorkload(scopeFor, perReplica ? `${this.name}-${i}` : this.name, perReplica ? i : undefined, props));
      }
    }
    // an exact-size copy: the array grown by push keeps room for 17 entries, for every function
    this.workloads = workloads.slice();
    const renderingOptions = props.rendering === undefined ? undefined : { rendering: props.rendering };
    this.networks = this.workloads.map((w) => {
      const networks = PodNetworks.of(w, renderingOptions);
      networks._ownedBy(this, 'NetworkFunction', 'the function', !wrapped);
      return networks;
    });
    if (!wrapped) this.addExtendedResources(props.containers ?? []);

    this._defaultNetwork = props.defaultNetwork;
    if (props.defaultNetwork) for (const n of this.networks) n.setDefaultNetwork(props.defaultNetwork);
    // checked with the props above: each is copied and attached without a second check
    for (const a of props.attachments ?? []) {
      const { network, ...opts } = a;
      this.attachChecked(network, copyOptions(opts, this));
    }
  }

  /**
   * The workloads the function built, typed as their cdk8s-plus-27 classes (a copy, in the order
   * of `workloads`), e.g. `fn.builtWorkloads.forEach((w) => w.scheduling.attract(node))`. Empty when
   * the function wraps a workload: use the workload you passed (`wrapped`).
   */
  public get builtWorkloads(): BuiltWorkload[] {
    return this.wrapped ? [] : [...this.workloads] as BuiltWorkload[];
  }

  /** The attachments, in order (a copy). */
  public get attachments(): Attachment[] {
    const own = this.networks[0].attachments;
    if (this.perReplicaAttachments) for (const [i, a] of this.perReplicaAttachments) own[i] = a;
    return own;
  }

  /** How many attachments the function has. */
  private get attachmentCount(): number {
    return this.networks[0]._attachmentCount();
  }

  /** The default-network override, if any. */
  public get defaultNetwork(): NetworkTarget | undefined {
    return this._defaultNetwork;
  }

  /**
   * The device requests the attachments added to the pods' containers, summed by resource (e.g.
   * `intel.com/sriov`: 2); empty without device-plugin networks.
   * @internal
   */
  public _deviceRequests(): Readonly<Record<string, number>> {
    return this.networks[0].deviceRequests();
  }

  /**
   * Attaches the function's pods to a network (see {@link PodNetworks.attach}); with per-replica
   * addressing, replica i gets `ipsPerReplica[i]` and `macPerReplica[i]`.
   */
  public attach(network: NetworkTarget, options: AttachmentOptions = {}): Attachment {
    const sink = new ProblemSink();
    if (network === undefined || network === null) sink.error('network', 'is required', network, 'pass the network to attach to: attach(network, options)');
    else NETWORK_TARGET.check(network, 'network', sink);
    checkProps(ATTACHMENT_SHAPE, options, '', sink);
    if (sink.hasErrors) throwIfErrors(sink.problems, this._attachContext());
    // a copy: the caller's options (and their lists) may change after attach without changing the function
    return this.attachChecked(network, copyOptions(options, this));
  }

  /**
   * Aggregates attachments into a bonded interface (bond-cni), for redundancy: a NAD of type bond
   * over the pod interfaces of `links` (linksInContainer), attached after them.
   */
  public addBond(options: BondOptions): Attachment {
    assertProps(BOND_SHAPE, options, `NetworkFunction ${this.node.path} bond`);
    const ifname = options.interface ?? 'bond0';
    const sink = new ProblemSink();
    if (options.links.length < 2) sink.error('links', 'needs at least two attachments', options.links.map((l) => l.interface), 'aggregate two or more attachments');
    const attachments = this.attachments;
    for (const l of options.links) {
      if (!attachments.includes(l)) sink.error('links', 'names an attachment of another function', l.interface, 'aggregate attachments of this function');
    }
    throwIfErrors(sink.problems, `NetworkFunction ${this.node.path} bond ${ifname}`);
    const mode = options.mode ?? BondMode.ACTIVE_BACKUP;
    const plugin = new BondPlugin({
      mode,
      miimon: String(options.miimonMs ?? 100),
      links: options.links.map((l) => ({ name: l.interface })),
      linksInContainer: true,
      failOverMac: mode === BondMode.ACTIVE_BACKUP ? 1 : undefined,
      mtu: options.mtu,
      ipam: options.ipam,
    });
    const nad = new NetworkAttachmentDefinition(this, `Bond-${ifname}`, {
      metadata: { name: `${this.name}-${ifname}`, namespace: this.namespace },
      config: CniConfig.list([plugin], { profile: options.profile }),
    });
    return this.attach(nad, { interface: ifname });
  }

  /** The selection elements of one replica's pods (the whole function when shared). */
  public selectionElements(replica?: number): NetworkSelectionElement[] {
    return this.networksOf(replica).selectionElements();
  }

  /**
   * The selection elements of one replica's pods, read-only.
   * @internal
   */
  public _readOnlySelectionElements(replica?: number): readonly NetworkSelectionElement[] {
    return this.networksOf(replica)._readOnlySelectionElements();
  }

  private networksOf(replica: number | undefined): PodNetworks {
    return this.networks[this.replicaAddressing === ReplicaAddressing.PER_REPLICA ? replica ?? 0 : 0];
  }

  /**
   * Names the attachment being made in errors, before its network is known.
   * @internal
   */
  public _attachContext(): string {
    return `NetworkFunction ${this.node.path} attachment ${this.attachmentCount}`;
  }

  /** Attaches with options already checked for their types and copied. */
  private attachChecked(network: NetworkTarget, options: AttachmentOptions): Attachment {
    if (!options.ipsPerReplica && !options.macPerReplica) {
      // the common case: every workload gets the same options, and the function keeps the first
      // workload's attachment as its own
      let first: Attachment | undefined;
      for (const n of this.networks) {
        const a = n._attachChecked(network, options);
        first ??= a;
      }
      return first!;
    }
    this.checkReplicaOptions(network, options);
    const index = this.attachmentCount;
    const { ipsPerReplica, macPerReplica, ...shared } = options;
    let first: Attachment | undefined;
    for (let i = 0; i < this.networks.length; i++) {
      let own: AttachmentOptions = shared;
      if (ipsPerReplica) own = { ...own, ips: ipsPerReplica[i] };
      if (macPerReplica) own = { ...own, mac: macPerReplica[i] };
      const a = this.networks[i]._attachChecked(network, Object.freeze(own));
      first ??= a;
    }
    // the function's attachment keeps the options as given (per-replica lists included)
    const attachment: Attachment = Object.freeze({ ...first!, options });
    (this.perReplicaAttachments ??= new Map()).set(index, attachment);
    return attachment;
  }

  /** The problems of the per-replica options of an attachment. */
  private checkReplicaOptions(network: NetworkTarget, options: AttachmentOptions): void {
    const sink = new ProblemSink();
    const perReplica = this.replicaAddressing === ReplicaAddressing.PER_REPLICA;
    if (options.ipsPerReplica && !perReplica) {
      sink.error('ipsPerReplica', 'needs per-replica addressing', options.ipsPerReplica, 'set replicaAddressing: ReplicaAddressing.PER_REPLICA on the function');
    }
    if (options.ipsPerReplica && options.ipsPerReplica.length !== this.replicas) {
      sink.error('ipsPerReplica', `has ${options.ipsPerReplica.length} entries for ${this.replicas} replicas`, options.ipsPerReplica, 'give one address list per replica');
    }
    if (options.macPerReplica && (!perReplica || options.macPerReplica.length !== this.replicas)) {
      sink.error('macPerReplica', 'needs per-replica addressing and one MAC per replica', options.macPerReplica, 'set replicaAddressing to PER_REPLICA and list one MAC per replica');
    }
    if (options.ips && options.ipsPerReplica) sink.error('ips', "cannot be combined with 'ipsPerReplica'", options.ips, 'use one of them');
    const name = (network as { name?: unknown }).name;
    throwIfErrors(sink.problems, `${this._attachContext()}${typeof name === 'string' ? ` (${name})` : ''}`);
  }

  /** The checks of the props that need more than their types. */
  private checkProps(props: NetworkFunctionProps, template: PodTemplate | undefined): void {
    const sink = new ProblemSink();
    const containers = props.containers ?? [];
    if (!DNS1123_LABEL.test(this.name) || this.name.length > 50) {
      sink.error('name', 'is not a DNS-1123 label of at most 50 characters', this.name, 'use lowercase letters, digits and "-"');
    }
    if (!DNS1123_LABEL.test(this.namespace) || this.namespace.length > 63) {
      sink.error('namespace', 'is not a DNS-1123 label of at most 63 characters', this.namespace, 'use a valid namespace name (lowercase letters, digits and "-")');
    }
    if (template) {
      for (const key of ['containers', 'kind', 'replicas', 'pod', 'deployment', 'statefulSet', 'daemonSet'] as const) {
        if (props[key] !== undefined) sink.error(key, 'does not apply to a wrapped workload', props[key], 'set it on the workload itself, or leave out workload');
      }
      if (props.namespace !== undefined && props.namespace !== template.namespace) {
        sink.error('namespace', `differs from the wrapped workload's namespace (${template.namespace})`, props.namespace, 'leave it out: the pods run in the workload\'s namespace');
      }
      if (this.replicaAddressing === ReplicaAddressing.PER_REPLICA) {
        sink.error('replicaAddressing', 'is per-replica but the function wraps one workload', this.replicaAddressing, 'use shared addressing, or let the function build one workload per replica');
      }
      throwIfErrors(sink.problems, `NetworkFunction ${this.node.path}`);
      return;
    }
    if (props.containers === undefined) sink.error('containers', 'is required', undefined, 'list the containers, e.g. [{ name: "nf", image: "registry.example.com/nf:1.0" }], or pass an existing workload');
    else if (containers.length === 0) sink.error('containers', 'is empty', [], 'add at least one container');
    if (this.replicaAddressing === ReplicaAddressing.PER_REPLICA && this.replicas > MAX_PER_REPLICA_WORKLOADS) {
      sink.error('replicas', `is more than ${MAX_PER_REPLICA_WORKLOADS} with per-replica addressing (one workload each)`, this.replicas,
        `use at most ${MAX_PER_REPLICA_WORKLOADS} replicas, or shared addressing with pool IPAM`);
    }
    if (this.replicaAddressing === ReplicaAddressing.PER_REPLICA && this.kind !== WorkloadKind.DEPLOYMENT && this.kind !== WorkloadKind.STATEFUL_SET) {
      sink.error('replicaAddressing', `is per-replica but the workload is a ${this.kind}`, this.replicaAddressing, 'use a Deployment or StatefulSet, or shared addressing');
    }
    for (const [key, kind] of KIND_OPTIONS) {
      if (props[key] !== undefined && this.kind !== kind) sink.error(key, `is for a ${kind} but the workload is a ${this.kind}`, Object.keys(props[key] as object), `set kind: WorkloadKind.${kindKey(kind)}, or leave it out`);
    }
    if (this.kind === WorkloadKind.STATEFUL_SET && props.statefulSet?.service === undefined && containers.length > 0 && !containers.some((c) => (c.ports?.length ?? 0) > 0 || c.portNumber !== undefined)) {
      // cdk8s-plus gives every StatefulSet a headless Service, which needs a port
      sink.error('containers', 'declare no port, which the headless Service of a StatefulSet needs', containers.map((c) => c.name),
        'add ports to a container, or use a Deployment');
    }
    const seen = new Set<string>();
    containers.forEach((c, i) => {
      if (seen.has(c.name)) sink.error(`containers[${i}].name`, 'is used twice', c.name, 'give each container its own name');
      seen.add(c.name);
      if (!/:[^/]+$|@sha256:/.test(c.image) || /:latest$/.test(c.image)) {
        sink.error(`containers[${i}].image`, 'is not pinned to a tag or digest', c.image, 'write image:tag (not latest) or image@sha256:...');
      }
      if (c.extendedResources === undefined) return;
      for (const [resource, quantity] of Object.entries(c.extendedResources)) {
        const field = `containers[${i}].extendedResources.${resource}`;
        resourceRequestProblems(resource, quantity, sink, { resource: field, quantity: field });
        // no resources: cdk8s-plus's CPU and memory defaults
        if (isHugePages(resource) && c.resources !== undefined && c.resources.cpu === undefined && c.resources.memory === undefined) {
          sink.error(field, HUGEPAGES_NEED_COMPUTE.message, resource, HUGEPAGES_NEED_COMPUTE.fix);
        }
      }
    });
    throwIfErrors(sink.problems, `NetworkFunction ${this.node.path}`);
  }

  /**
   * Writes the containers' extended resources (hugepages, ...) as quantities on every workload,
   * as PodNetworks.requestResource does (checked with the props).
   */
  private addExtendedResources(containers: readonly NetworkFunctionContainer[]): void {
    containers.forEach((c, ci) => {
      if (c.extendedResources === undefined) return;
      for (const [resource, quantity] of Object.entries(c.extendedResources)) {
        for (const n of this.networks) n._requestResourceChecked(ci, resource, quantity);
      }
    });
  }

  private buildWorkload(scope: Construct, name: string, replica: number | undefined, props: NetworkFunctionProps): BuiltWorkload {
    // the selector labels themselves when there is nothing to add (one object fewer per function)
    const labels = props.labels === undefined && replica === undefined ? this.podSelectorLabels
      : { ...(props.labels ?? {}), ...this.podSelectorLabels, ...(replica !== undefined ? { [REPLICA_LABEL]: String(replica) } : {}) };
    // only the keys that are set: cdk8s-plus keeps its props, and every key is a slot per function
    const metadata = props.namespace === undefined ? { name, labels } : { name, namespace: props.namespace, labels };
    const containers = (props.containers ?? []).map(containerProps);
    const podMetadata = { labels };
    const replicas = replica !== undefined ? 1 : this.replicas;
    const id = 'Workload';
    const pod = props.pod;
    // literal props, not spreads of a shared object, on the common path: V8 gives each spread copy
    // a hidden class of its own, which the workload keeps (about 250 bytes per function at scale)
    switch (this.kind) {
      case WorkloadKind.POD: {
        const w = pod === undefined
          ? new kplus.Pod(scope, id, { metadata: { ...metadata }, containers, securityContext: { ensureNonRoot: false }, automountServiceAccountToken: false })
          : new kplus.Pod(scope, id, { automountServiceAccountToken: false, ...pod, securityContext: { ensureNonRoot: false, ...pod.securityContext }, metadata: { ...metadata }, containers });
        for (const [k, v] of Object.entries(labels)) w.metadata.addLabel(k, v);
        return w;
      }
      case WorkloadKind.DAEMON_SET:
        return new kplus.DaemonSet(scope, id, { automountServiceAccountToken: false, ...pod, ...props.daemonSet,
          securityContext: { ensureNonRoot: false, ...pod?.securityContext }, metadata, containers, podMetadata });
      case WorkloadKind.STATEFUL_SET:
        return new kplus.StatefulSet(scope, id, { automountServiceAccountToken: false, ...pod, ...props.statefulSet,
          securityContext: { ensureNonRoot: false, ...pod?.securityContext }, metadata, containers, podMetadata, replicas });
      case WorkloadKind.DEPLOYMENT:
      default:
        if (pod === undefined && props.deployment === undefined) {
          const securityContext = { ensureNonRoot: false };
          return new kplus.Deployment(scope, id, { metadata, containers, podMetadata, securityContext, automountServiceAccountToken: false, replicas });
        }
        return new kplus.Deployment(scope, id, { automountServiceAccountToken: false, ...pod, ...props.deployment,
          securityContext: { ensureNonRoot: false, ...pod?.securityContext }, metadata, containers, podMetadata, replicas });
    }
  }
}

/** The name of a kind in WorkloadKind. */
function kindKey(kind: WorkloadKind): string {
  return Object.entries(WorkloadKind).find(([, v]) => v === kind)![0];
}

/** The keys of NetworkFunctionContainer that are the function's own (not cdk8s-plus props as they are). */
const OWN_CONTAINER_KEYS: ReadonlySet<string> = new Set(['name', 'image', 'capabilities', 'privileged', 'ensureNonRoot', 'env', 'ports', 'extendedResources', 'securityContext', 'envVariables']);

/** The cdk8s-plus props of a function container: the hardening defaults, the shorthands, then the container's own settings. */
function containerProps(c: NetworkFunctionContainer): kplus.ContainerProps {
  const caps = c.capabilities ?? [];
  const hardened: kplus.ContainerSecurityContextProps = {
    privileged: c.privileged ?? false,
    allowPrivilegeEscalation: c.privileged ?? false,
    ensureNonRoot: c.ensureNonRoot ?? caps.length === 0,
    readOnlyRootFilesystem: true,
    capabilities: caps.length > 0 ? { drop: ['ALL' as kplus.Capability], add: [...caps] } : { drop: ['ALL' as kplus.Capability] },
  };
  // a literal with only the keys that are set: cdk8s-plus keeps its props for every container
  const container: { -readonly [K in keyof kplus.ContainerProps]: kplus.ContainerProps[K] } = {
    name: c.name,
    image: c.image,
    securityContext: c.securityContext === undefined ? hardened : { ...hardened, ...c.securityContext },
  };
  if (c.ports) container.ports = c.ports.map((p) => (typeof p === 'number' ? { number: p } : p));
  if (c.env || c.envVariables) {
    container.envVariables = {
      ...Object.fromEntries(Object.entries(c.env ?? {}).map(([k, v]) => [k, kplus.EnvValue.fromValue(v)])),
      ...c.envVariables,
    };
  }
  // every other cdk8s-plus setting as given (command, args, resources, probes, volume mounts, ...)
  const settings = container as Record<string, unknown>;
  for (const key of Object.keys(c)) {
    const value = (c as unknown as Record<string, unknown>)[key];
    if (value !== undefined && !OWN_CONTAINER_KEYS.has(key)) settings[key] = value;
  }
  return container;
}
