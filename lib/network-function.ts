import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { Capability, JsonObject } from './cni/common';
import { CniConfig } from './cni/config';
import { Ipam } from './cni/ipam';
import { BondMode, BondPlugin } from './cni/plugins/bond';
import { Problem, ProblemSink, Severity, collectProblems, reportProblems } from './cni/problem';
import { PluginsProfile } from './cni/profile';
import {
  P_PORT, PropType, assertProps, checkProps, extendShape, pArray, pBool, pEither, pEnum, pInstance, pInt, pJsonObject, pObject,
  pRecord, pString, propsShape,
} from './cni/props-check';
import { modelChanged } from './cni/revision';
import { ExternalNetwork } from './external-network';
import {
  DEFAULT_NETWORK_ANNOTATION,
  DNS1123_LABEL,
  NETWORKS_ANNOTATION,
  NetworkSelectionElement,
  PortMappingProtocol,
  SelectionBandwidth,
  SelectionPortMapping,
  renderNetworksAnnotation,
  selectionRequestProblems,
} from './multus/selection-element';
import { Network } from './network';
import { NetworkReferences } from './network-references';
import { NetworkAttachmentDefinition } from './network-attachment-definition';
import { TopologyValidation } from './topology-validation';
import { FUNCTION_LABEL } from './topology/expectations';

export { FUNCTION_LABEL };

/** The label with the replica index, on per-replica workloads. */
export const REPLICA_LABEL = 'nfv.cdk8s.io/replica';

/** The device requests of a function without device-plugin networks. */
const NO_DEVICES: Readonly<Record<string, number>> = Object.freeze({});

/** The attachment options that need a capability of the NAD's plugin chain, with the field to blame. */
const CAPABILITY_REQUESTS: readonly [(o: AttachmentOptions) => boolean, Capability, string][] = [
  [(o) => !!(o.ips || o.ipsPerReplica), Capability.IPS, 'ips'],
  [(o) => !!(o.mac || o.macPerReplica), Capability.MAC, 'mac'],
  [(o) => !!o.portMappings, Capability.PORT_MAPPINGS, 'portMappings'],
  [(o) => !!o.bandwidth, Capability.BANDWIDTH, 'bandwidth'],
  [(o) => !!o.infinibandGuid, Capability.INFINIBAND_GUID, 'infinibandGuid'],
];

/** Whether a chain declares every capability the options of an attachment need (a loop: no closure per call). */
function declaresWanted(config: CniConfig, o: AttachmentOptions): boolean {
  for (const [wanted, cap] of CAPABILITY_REQUESTS) if (wanted(o) && !config.declares(cap)) return false;
  return true;
}

/** Something a function can attach to: a logical network, a NAD of the App, or an external NAD. */
export type NetworkTarget = Network | NetworkAttachmentDefinition | ExternalNetwork;

/** The workload kind that runs a function's pods. */
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

/** A container of a network function. */
export interface NetworkFunctionContainer {
  /** Container name (DNS-1123 label). */
  readonly name: string;
  /** Image, pinned. */
  readonly image: string;
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
  /** @default - the image's entrypoint */
  readonly command?: string[];
  /** @default - the image's arguments */
  readonly args?: string[];
  /** @default - none */
  readonly env?: Readonly<Record<string, string>>;
  /** @default - none */
  readonly ports?: readonly number[];
  /**
   * CPU and memory (device resources for SR-IOV networks are added automatically).
   * @default - cdk8s-plus defaults (requests 1 CPU / 512Mi, limits 1.5 CPU / 2Gi)
   */
  readonly resources?: kplus.ContainerResources;
}

/** Properties of a {@link NetworkFunction}. */
export interface NetworkFunctionProps {
  /** The containers; the first is the one SR-IOV devices go to unless an attachment names another. */
  readonly containers: readonly NetworkFunctionContainer[];
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
}

/** Options of one attachment: exactly the NetworkSelectionElement fields of the NPWG spec v1.3. */
export interface AttachmentOptions {
  /**
   * Interface name in the pod (at most 15 characters, not eth0 or lo).
   * @default - net<N>, N the attachment's position from 1
   */
  readonly interface?: string;
  /**
   * Static addresses with prefix (single-replica functions), e.g. ['10.3.0.10/24'].
   * @default - from the network's IPAM
   */
  readonly ips?: readonly string[];
  /**
   * Static addresses per replica (with ReplicaAddressing.PER_REPLICA): entry i for replica i.
   * @default - none
   */
  readonly ipsPerReplica?: readonly (readonly string[])[];
  /** @default - chosen by the plugin */
  readonly mac?: string;
  /** MAC per replica (with ReplicaAddressing.PER_REPLICA). @default - none */
  readonly macPerReplica?: readonly string[];
  /**
   * Give the pod its default route through this attachment: `true` uses the network's gateways,
   * a list names them. At most one attachment per pod.
   * @default - no default route here
   */
  readonly defaultRoute?: boolean | readonly string[];
  /** @default - none */
  readonly portMappings?: readonly SelectionPortMapping[];
  /** @default - none */
  readonly bandwidth?: SelectionBandwidth;
  /** Passed to the delegate as `args.cni`. @default - none */
  readonly cniArgs?: JsonObject;
  /** @default - none */
  readonly infinibandGuid?: string;
  /** An IPAMClaim in the pod's namespace. @default - none */
  readonly ipamClaimReference?: string;
  /**
   * The container that receives the device of a device-plugin network (SR-IOV).
   * @default - the first container
   */
  readonly container?: string;
}

/** One attachment of a function, as rendered. */
export interface Attachment {
  /** The NAD referenced. */
  readonly nadName: string;
  readonly nadNamespace: string;
  /** The interface name in the pod. */
  readonly interface: string;
  readonly target: NetworkTarget;
  readonly options: AttachmentOptions;
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

// ---------------------------------------------------------------------------------------------
// The runtime shapes of the props above (for callers without a type checker), checked first
// thing in the constructor, attach() and addBond().
// ---------------------------------------------------------------------------------------------

/**
 * A network target: one of the three constructs, never a name.
 * @internal
 */
export const NETWORK_TARGET: PropType = pInstance([Network, NetworkAttachmentDefinition, ExternalNetwork],
  'a Network, NetworkAttachmentDefinition or ExternalNetwork construct',
  'pass the construct itself, not its name (declare a NAD outside the App with new ExternalNetwork(...))');

const CONTAINER_SHAPE = propsShape('NetworkFunctionContainer', {
  name: { type: pString({ pattern: DNS1123_LABEL, patternText: 'a DNS-1123 label', maxLength: 63, fix: 'write a lowercase name such as "router"' }), required: 'name the container, e.g. "router"' },
  image: { type: pString(), required: 'give an image pinned to a tag or digest, e.g. "quay.io/frrouting/frr:10.2.1"' },
  capabilities: pArray(pEnum(kplus.Capability, 'kplus.Capability')),
  privileged: pBool(),
  ensureNonRoot: pBool(),
  command: pArray(pString({ allowEmpty: true })),
  args: pArray(pString({ allowEmpty: true })),
  env: pRecord(pString({ allowEmpty: true })),
  ports: pArray(P_PORT),
  resources: pJsonObject(),
});

const PORT_MAPPING_SHAPE = propsShape('SelectionPortMapping', {
  hostPort: { type: P_PORT, required: 'give the host port, 1 to 65535' },
  containerPort: { type: P_PORT, required: 'give the container port, 1 to 65535' },
  // portmap reads the protocol case-insensitively
  protocol: pEnum([...Object.values(PortMappingProtocol), ...Object.values(PortMappingProtocol).map((p) => p.toUpperCase())], 'PortMappingProtocol'),
  hostIP: pString(),
});

const RATE = pInt({ min: 0, unit: 'bits per second' });
const BURST = pInt({ min: 0, unit: 'bits' });
const BANDWIDTH_SHAPE = propsShape('SelectionBandwidth', { ingressRate: RATE, ingressBurst: BURST, egressRate: RATE, egressBurst: BURST });

/** The shape of {@link AttachmentOptions}. */
const ATTACHMENT_SHAPE = propsShape('AttachmentOptions', {
  interface: pString({ fix: 'write an interface name such as "net1"' }),
  ips: pArray(pString({ fix: 'write an address with its prefix, e.g. "10.1.0.5/24"' })),
  ipsPerReplica: pArray(pArray(pString({ fix: 'write an address with its prefix, e.g. "10.1.0.5/24"' }))),
  mac: pString(),
  macPerReplica: pArray(pString()),
  defaultRoute: pEither('true, false or a list of gateway addresses', 'write true (the network\'s gateways) or a list such as ["10.1.0.1"]',
    [(v) => typeof v === 'boolean', Array.isArray], [undefined, pArray(pString())]),
  portMappings: pArray(pObject(PORT_MAPPING_SHAPE)),
  bandwidth: pObject(BANDWIDTH_SHAPE),
  cniArgs: pJsonObject(),
  infinibandGuid: pString(),
  ipamClaimReference: pString(),
  container: pString(),
}, {
  network: 'pass the network as the first argument of attach(network, options)',
  interfaceRequest: "write it as 'interface'",
  'default-route': "write it as 'defaultRoute'",
  'cni-args': "write it as 'cniArgs'",
  gateway: "use 'defaultRoute' (true, or a list of gateway addresses)",
});

const ATTACHMENT_ITEM_SHAPE = extendShape(ATTACHMENT_SHAPE, 'NetworkFunctionProps.attachments[]', {
  network: { type: NETWORK_TARGET, required: 'name the network: { network: myNetwork, ... }' },
});

/** The shape of {@link NetworkFunctionProps}. */
const FUNCTION_SHAPE = propsShape('NetworkFunctionProps', {
  containers: { type: pArray(pObject(CONTAINER_SHAPE)), required: 'list the containers, e.g. [{ name: "nf", image: "registry.example.com/nf:1.0" }]' },
  kind: pEnum(WorkloadKind, 'WorkloadKind'),
  name: pString(),
  replicas: pInt({ min: 0, max: 2147483647 }),
  replicaAddressing: pEnum(ReplicaAddressing, 'ReplicaAddressing'),
  namespace: pString(),
  labels: pRecord(pString({ allowEmpty: true })),
  defaultNetwork: NETWORK_TARGET,
  attachments: pArray(pObject(ATTACHMENT_ITEM_SHAPE)),
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

/** Per-replica workloads are one construct each: more than this is a mistake, not a topology. */
export const MAX_PER_REPLICA_WORKLOADS = 1000;

/**
 * A network function: a workload whose pods attach to several networks through Multus. Networks
 * are referenced by construct, never by string; the selection annotation is written in JSON form,
 * in declared order, with only NPWG keys; the whole topology is checked at synth.
 */
export class NetworkFunction extends Construct {
  /** The function's name. */
  public readonly name: string;
  public readonly namespace: string;
  public readonly kind: WorkloadKind;
  public readonly replicas: number;
  public readonly replicaAddressing: ReplicaAddressing;
  /** The workloads: one, or one per replica with per-replica addressing. */
  public readonly workloads: readonly (kplus.Deployment | kplus.StatefulSet | kplus.DaemonSet | kplus.Pod)[];
  /** The labels that select this function's pods. */
  public readonly podSelectorLabels: Readonly<Record<string, string>>;
  /** Replaced (concat, exact size) on attach: an array grown by push keeps room for 17 entries. */
  private _attachments: readonly Attachment[] = [];
  /** Device requests so far, by container and resource (allocated on the first device network). */
  private deviceCounts?: Map<string, number>;
  /** Containers (by index) whose resource maps are ready for device requests. */
  private devicesPrepared?: Set<number>;
  private readonly _defaultNetwork?: NetworkTarget;

  constructor(scope: Construct, id: string, props: NetworkFunctionProps) {
    super(scope, id);
    assertProps(FUNCTION_SHAPE, props, `NetworkFunction ${this.node.path}`);
    this.name = props.name ?? id.toLowerCase();
    this.kind = props.kind ?? WorkloadKind.DEPLOYMENT;
    this.replicas = this.kind === WorkloadKind.POD ? 1 : props.replicas ?? 1;
    this.replicaAddressing = props.replicaAddressing ?? ReplicaAddressing.SHARED;
    this.namespace = props.namespace ?? Chart.of(this).namespace ?? 'default';
    this.podSelectorLabels = { [FUNCTION_LABEL]: this.name };

    const sink = new ProblemSink();
    if (!DNS1123_LABEL.test(this.name) || this.name.length > 50) {
      sink.error('name', 'is not a DNS-1123 label of at most 50 characters', this.name, 'use lowercase letters, digits and "-"');
    }
    if (!DNS1123_LABEL.test(this.namespace) || this.namespace.length > 63) {
      sink.error('namespace', 'is not a DNS-1123 label of at most 63 characters', this.namespace, 'use a valid namespace name (lowercase letters, digits and "-")');
    }
    if (props.containers.length === 0) sink.error('containers', 'is empty', [], 'add at least one container');
    if (this.replicaAddressing === ReplicaAddressing.PER_REPLICA && this.replicas > MAX_PER_REPLICA_WORKLOADS) {
      sink.error('replicas', `is more than ${MAX_PER_REPLICA_WORKLOADS} with per-replica addressing (one workload each)`, this.replicas,
        `use at most ${MAX_PER_REPLICA_WORKLOADS} replicas, or shared addressing with pool IPAM`);
    }
    if (this.replicaAddressing === ReplicaAddressing.PER_REPLICA && this.kind !== WorkloadKind.DEPLOYMENT && this.kind !== WorkloadKind.STATEFUL_SET) {
      sink.error('replicaAddressing', `is per-replica but the workload is a ${this.kind}`, this.replicaAddressing, 'use a Deployment or StatefulSet, or shared addressing');
    }
    if (this.kind === WorkloadKind.STATEFUL_SET && props.containers.length > 0 && !props.containers.some((c) => (c.ports?.length ?? 0) > 0)) {
      // cdk8s-plus gives every StatefulSet a headless Service, which needs a port
      sink.error('containers', 'declare no port, which the headless Service of a StatefulSet needs', props.containers.map((c) => c.name),
        'add ports to a container, or use a Deployment');
    }
    const seen = new Set<string>();
    props.containers.forEach((c, i) => {
      if (seen.has(c.name)) sink.error(`containers[${i}].name`, 'is used twice', c.name, 'give each container its own name');
      seen.add(c.name);
      if (!/:[^/]+$|@sha256:/.test(c.image) || /:latest$/.test(c.image)) {
        sink.error(`containers[${i}].image`, 'is not pinned to a tag or digest', c.image, 'write image:tag (not latest) or image@sha256:...');
      }
    });
    const problems = sink.problems;
    if (problems.length > 0) reportProblems(problems, `NetworkFunction ${this.node.path}`);

    const count = this.replicaAddressing === ReplicaAddressing.PER_REPLICA ? this.replicas : 1;
    const workloads: NetworkFunction['workloads'][number][] = [];
    for (let i = 0; i < count; i++) {
      const perReplica = this.replicaAddressing === ReplicaAddressing.PER_REPLICA;
      const scopeFor = perReplica ? new Construct(this, `Replica${i}`) : this;
      workloads.push(this.buildWorkload(scopeFor, perReplica ? `${this.name}-${i}` : this.name, perReplica ? i : undefined, props));
    }
    // an exact-size copy: the array grown by push keeps room for 17 entries, for every function
    this.workloads = workloads.slice();
    TopologyValidation.of(this);
    modelChanged();

    this._defaultNetwork = props.defaultNetwork;
    if (props.defaultNetwork) {
      const ref = this.resolve(props.defaultNetwork, true);
      for (const w of this.workloads) podMetadataOf(w).addAnnotation(DEFAULT_NETWORK_ANNOTATION, renderNetworksAnnotation([{ name: ref.name, namespace: ref.namespace }]));
    }
    // checked with the props above: each is copied and attached without a second check
    for (const a of props.attachments ?? []) {
      const { network, ...opts } = a;
      this.attachChecked(network, copyOptions(opts, this));
    }
  }

  /** The names of the containers, in order (read from the first workload: every workload has the same). */
  private get containerNames(): string[] {
    return this.workloads[0].containers.map((c) => c.name);
  }

  /** The attachments, in order (a copy). */
  public get attachments(): Attachment[] {
    return [...this._attachments];
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
    if (!this.deviceCounts) return NO_DEVICES;
    const out: Record<string, number> = {};
    for (const [key, n] of this.deviceCounts) {
      const resource = key.slice(key.indexOf('|') + 1);
      out[resource] = (out[resource] ?? 0) + n;
    }
    return out;
  }

  /**
   * Attaches the function's pods to a network. Requests that need a plugin capability (ips, mac,
   * portMappings, bandwidth, infiniband-guid) declare it on the NAD's plugin chain, or fail when
   * no plugin of the chain can read it; device-plugin networks add one device request per
   * attachment to the container.
   */
  public attach(network: NetworkTarget, options: AttachmentOptions = {}): Attachment {
    const sink = new ProblemSink();
    if (network === undefined || network === null) sink.error('network', 'is required', network, 'pass the network to attach to: attach(network, options)');
    else NETWORK_TARGET.check(network, 'network', sink);
    checkProps(ATTACHMENT_SHAPE, options, '', sink);
    if (sink.hasErrors) reportProblems(sink.problems, `NetworkFunction ${this.node.path} attachment ${this._attachments.length}`);
    // a copy: the caller's options (and their lists) may change after attach without changing the function
    return this.attachChecked(network, copyOptions(options, this));
  }

  /** Attaches with options already checked for their types and copied. */
  private attachChecked(network: NetworkTarget, options: AttachmentOptions): Attachment {
    const index = this._attachments.length;
    const ifname = options.interface ?? `net${index + 1}`;
    const ref = this.resolve(network, false);
    const perReplica = this.replicaAddressing === ReplicaAddressing.PER_REPLICA;
    // the per-replica and container options are rare: their checks are skipped when absent
    const problems = options.ipsPerReplica || options.macPerReplica || options.container !== undefined ? this.replicaOptionProblems(options) : [];
    for (let i = 0; i < this._attachments.length; i++) {
      if (this._attachments[i].interface === ifname) {
        problems.push({ field: 'interface', message: 'is already used by another attachment of the function', value: ifname,
          fix: 'give each attachment its own interface name', severity: Severity.ERROR });
      }
    }
    if (problems.length > 0) reportProblems(problems, this.attachContext(index, ref.name));

    const config = ref.nad?.config;
    // nothing to do when the chain declares every wanted capability already; otherwise collected,
    // then reported with the attachment's context (construct path) like every other error
    if (config && !declaresWanted(config, options)) {
      const missing = CAPABILITY_REQUESTS.filter(([wanted, cap]) => wanted(options) && !config.declares(cap));
      const capabilityProblems = collectProblems(() => {
        for (const [, cap, field] of missing) config.ensureCapability(cap, field);
      }).problems;
      reportProblems(capabilityProblems, this.attachContext(index, ref.name));
    }

    const attachment: Attachment = Object.freeze({ nadName: ref.name, nadNamespace: ref.namespace, interface: ifname, target: network, options });
    // only the new element needs checking: the earlier ones were checked when they were attached
    for (let i = 0; i < this.workloads.length; i++) {
      // the reference (name, namespace) comes from a NAD or external network, checked when made
      const problems = selectionRequestProblems(this.element(attachment, perReplica ? i : undefined, false));
      if (problems.length > 0) reportProblems(problems, this.attachContext(index, ref.name));
    }
    this._attachments = this._attachments.concat([attachment]);
    modelChanged();
    if (index === 0) {
      // rendered once, at synth, from every attachment made by then (not again on every attach)
      this.workloads.forEach((w, i) => podMetadataOf(w).addAnnotation(NETWORKS_ANNOTATION,
        new NetworksAnnotationToken(this, i) as unknown as string));
    }

    const resourceName = ref.resourceName;
    if (resourceName) {
      const container = options.container ?? this.containerNames[0];
      const key = `${container}|${resourceName}`;
      const deviceCounts = (this.deviceCounts ??= new Map());
      const n = (deviceCounts.get(key) ?? 0) + 1;
      deviceCounts.set(key, n);
      const ci = this.containerNames.indexOf(container);
      const escaped = resourceName.replace(/~/g, '~0').replace(/\//g, '~1');
      const devicesPrepared = (this.devicesPrepared ??= new Set());
      const firstDevice = !devicesPrepared.has(ci);
      devicesPrepared.add(ci);
      for (const w of this.workloads) {
        const base = w instanceof kplus.Pod ? '/spec' : '/spec/template/spec';
        if (firstDevice) {
          // the maps the device keys go into exist only when the container has a request or a
          // limit of its own (cdk8s-plus renders no empty maps): create the missing ones
          const r = w.containers[ci].resources;
          const requests = !!(r?.cpu?.request?.amount || r?.memory?.request || r?.ephemeralStorage?.request);
          const limits = !!(r?.cpu?.limit?.amount || r?.memory?.limit || r?.ephemeralStorage?.limit);
          const at = `${base}/containers/${ci}/resources`;
          if (!requests && !limits) ApiObject.of(w).addJsonPatch(JsonPatch.add(at, { requests: {}, limits: {} }));
          else if (!requests) ApiObject.of(w).addJsonPatch(JsonPatch.add(`${at}/requests`, {}));
          else if (!limits) ApiObject.of(w).addJsonPatch(JsonPatch.add(`${at}/limits`, {}));
        }
        const op = n === 1 ? JsonPatch.add : JsonPatch.replace;
        // the L1 workload re-serializes quantities after the patches (reading `.value`), so the
        // patched value must be a Quantity, not a plain string, or it is silently dropped
        const quantity = kplus.k8s.Quantity.fromString(String(n));
        ApiObject.of(w).addJsonPatch(
          op(`${base}/containers/${ci}/resources/requests/${escaped}`, quantity),
          op(`${base}/containers/${ci}/resources/limits/${escaped}`, quantity),
        );
      }
    }
    return attachment;
  }

  /** What an attachment's problems are reported with: the construct path, position and NAD. */
  private attachContext(index: number, nadName: string): string {
    return `NetworkFunction ${this.node.path} attachment ${index} (${nadName})`;
  }

  /** The problems of the per-replica and container options of an attachment. */
  private replicaOptionProblems(options: AttachmentOptions): Problem[] {
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
    if (options.container !== undefined && !this.containerNames.includes(options.container)) {
      sink.error('container', 'is not a container of the function', options.container, `use one of ${this.containerNames.join(', ')}`);
    }
    return sink.problems;
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
    for (const l of options.links) {
      if (!this._attachments.includes(l)) sink.error('links', 'names an attachment of another function', l.interface, 'aggregate attachments of this function');
    }
    reportProblems(sink.problems, `NetworkFunction ${this.node.path} bond ${ifname}`);
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

  /**
   * The selection element of an attachment, keys in `SELECTION_KEYS` order. With `copy` false,
   * the lists are the options' own (for checks and rendering, which only read them).
   */
  private element(a: Attachment, replica: number | undefined, copy: boolean = true): NetworkSelectionElement {
    const o = a.options;
    let defaultRoute: string[] | undefined;
    if (o.defaultRoute === true) {
      const gws = a.target instanceof Network ? a.target.gateways.map((g) => g.toString()) : [];
      defaultRoute = gws;
    } else if (Array.isArray(o.defaultRoute)) {
      defaultRoute = copy ? [...o.defaultRoute] : o.defaultRoute as string[];
    }
    const ips = replica !== undefined && o.ipsPerReplica ? o.ipsPerReplica[replica] : o.ips;
    const mac = replica !== undefined && o.macPerReplica ? o.macPerReplica[replica] : o.mac;
    // only the keys that are set, in SELECTION_KEYS order: a small object for the common element
    // (name, namespace, interface, ips), built at synth for the check and the annotation
    const e: { -readonly [K in keyof NetworkSelectionElement]: NetworkSelectionElement[K] } = { name: a.nadName, namespace: a.nadNamespace, interface: a.interface };
    if (ips) e.ips = copy ? [...ips] : ips as string[];
    if (mac !== undefined) e.mac = mac;
    if (defaultRoute !== undefined) e['default-route'] = defaultRoute;
    if (o.portMappings) e.portMappings = copy ? [...o.portMappings] : o.portMappings as SelectionPortMapping[];
    if (o.bandwidth !== undefined) e.bandwidth = o.bandwidth;
    if (o.cniArgs !== undefined) e['cni-args'] = o.cniArgs;
    if (o.infinibandGuid !== undefined) e['infiniband-guid'] = o.infinibandGuid;
    if (o.ipamClaimReference !== undefined) e['ipam-claim-reference'] = o.ipamClaimReference;
    return e;
  }

  /** The selection elements of one replica's pods (the whole function when shared). */
  public selectionElements(replica?: number): NetworkSelectionElement[] {
    return this.elementsOf(replica, true);
  }

  /**
   * The selection elements of one replica's pods, sharing the lists of the attachment options:
   * read-only, for the synth-time topology check and the annotation (no copies per attachment).
   * @internal
   */
  public _readOnlySelectionElements(replica?: number): readonly NetworkSelectionElement[] {
    return this.elementsOf(replica, false);
  }

  private elementsOf(replica: number | undefined, copy: boolean): NetworkSelectionElement[] {
    const r = this.replicaAddressing === ReplicaAddressing.PER_REPLICA ? replica ?? 0 : undefined;
    const out = new Array<NetworkSelectionElement>(this._attachments.length);
    for (let i = 0; i < out.length; i++) out[i] = this.element(this._attachments[i], r, copy);
    return out;
  }

  private resolve(target: NetworkTarget, isDefault: boolean): { name: string; namespace: string; nad?: NetworkAttachmentDefinition; resourceName?: string } {
    if (target instanceof Network) {
      if (isDefault) {
        throw new Error(`'defaultNetwork' cannot be a logical network: got ${target.node.path}; Multus looks the default network up in its own namespace: pass the NAD from network.nadFor('kube-system')`);
      }
      const nad = target.nadFor(this.namespace);
      return { name: nad.name, namespace: this.namespace, nad, resourceName: nad.resourceName };
    }
    if (target instanceof NetworkAttachmentDefinition) {
      return { name: target.name, namespace: target.namespace ?? 'default', nad: target, resourceName: target.resourceName };
    }
    return { name: target.name, namespace: target.namespace, resourceName: target.resourceName };
  }

  private buildWorkload(scope: Construct, name: string, replica: number | undefined, props: NetworkFunctionProps) {
    // the selector labels themselves when there is nothing to add (one object fewer per function)
    const labels = props.labels === undefined && replica === undefined ? this.podSelectorLabels
      : { ...(props.labels ?? {}), ...this.podSelectorLabels, ...(replica !== undefined ? { [REPLICA_LABEL]: String(replica) } : {}) };
    // only the keys that are set: cdk8s-plus keeps its props, and every key is a slot per function
    const metadata = props.namespace === undefined ? { name, labels } : { name, namespace: props.namespace, labels };
    const containers: kplus.ContainerProps[] = props.containers.map((c) => {
      const caps = c.capabilities ?? [];
      const container: { -readonly [K in keyof kplus.ContainerProps]: kplus.ContainerProps[K] } = {
        name: c.name,
        image: c.image,
        securityContext: {
          privileged: c.privileged ?? false,
          allowPrivilegeEscalation: c.privileged ?? false,
          ensureNonRoot: c.ensureNonRoot ?? caps.length === 0,
          readOnlyRootFilesystem: true,
          capabilities: caps.length > 0 ? { drop: ['ALL' as kplus.Capability], add: [...caps] } : { drop: ['ALL' as kplus.Capability] },
        },
      };
      if (c.command) container.command = c.command;
      if (c.args) container.args = c.args;
      if (c.ports) container.ports = c.ports.map((number) => ({ number }));
      if (c.env) container.envVariables = Object.fromEntries(Object.entries(c.env).map(([k, v]) => [k, kplus.EnvValue.fromValue(v)]));
      if (c.resources) container.resources = c.resources;
      return container;
    });
    const podMetadata = { labels };
    const securityContext = { ensureNonRoot: false };
    const replicas = replica !== undefined ? 1 : this.replicas;
    // literal props, not spreads of a shared object: V8 gives each spread copy a hidden class of
    // its own, which the workload keeps (about 250 bytes per function at scale)
    const id = 'Workload';
    switch (this.kind) {
      case WorkloadKind.POD: {
        const pod = new kplus.Pod(scope, id, { metadata: { ...metadata }, containers, securityContext: { ensureNonRoot: false }, automountServiceAccountToken: false });
        for (const [k, v] of Object.entries(labels)) pod.metadata.addLabel(k, v);
        return pod;
      }
      case WorkloadKind.DAEMON_SET:
        return new kplus.DaemonSet(scope, id, { metadata, containers, podMetadata, securityContext, automountServiceAccountToken: false });
      case WorkloadKind.STATEFUL_SET:
        return new kplus.StatefulSet(scope, id, { metadata, containers, podMetadata, securityContext, automountServiceAccountToken: false, replicas });
      case WorkloadKind.DEPLOYMENT:
      default:
        return new kplus.Deployment(scope, id, { metadata, containers, podMetadata, securityContext, automountServiceAccountToken: false, replicas });
    }
  }
}

/**
 * A frozen copy of checked attachment options, lists and nested objects included, with only the
 * keys that are set: what the function keeps, so that changing the caller's object (or its
 * `ips`) after attach changes nothing (the topology check reuses its result while the model
 * revision is unchanged).
 */
function copyOptions(o: AttachmentOptions, fn: NetworkFunction): AttachmentOptions {
  const c: { -readonly [K in keyof AttachmentOptions]: AttachmentOptions[K] } = {};
  if (o.interface !== undefined) c.interface = o.interface;
  if (o.ips !== undefined) c.ips = Object.freeze(o.ips.slice());
  if (o.ipsPerReplica !== undefined) c.ipsPerReplica = Object.freeze(o.ipsPerReplica.map((l) => Object.freeze(l.slice())));
  if (o.mac !== undefined) c.mac = o.mac;
  if (o.macPerReplica !== undefined) c.macPerReplica = Object.freeze(o.macPerReplica.slice());
  if (o.defaultRoute !== undefined) c.defaultRoute = Array.isArray(o.defaultRoute) ? Object.freeze(o.defaultRoute.slice()) : o.defaultRoute;
  if (o.portMappings !== undefined) c.portMappings = Object.freeze(o.portMappings.map((m) => Object.freeze({ ...m })));
  if (o.bandwidth !== undefined) c.bandwidth = Object.freeze({ ...o.bandwidth });
  if (o.cniArgs !== undefined) c.cniArgs = copyJson(o.cniArgs, 'cniArgs', fn) as JsonObject;
  if (o.infinibandGuid !== undefined) c.infinibandGuid = o.infinibandGuid;
  if (o.ipamClaimReference !== undefined) c.ipamClaimReference = o.ipamClaimReference;
  if (o.container !== undefined) c.container = o.container;
  return Object.freeze(c);
}

/** A deep copy of JSON data; anything else (a function, a class instance, a cycle) is refused. */
function copyJson(value: unknown, field: string, fn: NetworkFunction): unknown {
  try {
    return JSON.parse(JSON.stringify(value, (_k, v) => {
      if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint' || (typeof v === 'number' && !Number.isFinite(v))) throw new Error(field);
      return v;
    }));
  } catch {
    const sink = new ProblemSink();
    sink.error(field, 'must be JSON data (objects, lists, strings, finite numbers, booleans, null)', value, 'remove functions, NaN, Infinity and cycles');
    reportProblems(sink.problems, `NetworkFunction ${fn.node.path} attachment ${fn.attachments.length}`);
    return {};
  }
}

/**
 * Renders the networks annotation of one replica at synth. An implicit token (cdk8s resolves any
 * value with a `resolve()` method): one object per workload, where `Lazy.any` would wrap a
 * producer in a second one; and an object rather than a closure in `attach`, whose scope would
 * keep the locals of the call alive for every workload.
 */
class NetworksAnnotationToken {
  constructor(private readonly fn: NetworkFunction, private readonly replica: number) {}

  public resolve(): string {
    // the elements have only the selection keys that are set, in SELECTION_KEYS order: the text
    // of renderNetworksAnnotation without a second object per element
    const elements = this.fn._readOnlySelectionElements(this.replica);
    if (!NetworkReferences.isNamespaceRelative(this.fn)) return JSON.stringify(elements);
    const ns = this.fn.namespace;
    return JSON.stringify(elements.map((e) => (e.namespace === ns ? withoutNamespace(e) : e)));
  }
}

/** An element without its namespace (the keys keep their order). */
function withoutNamespace(e: NetworkSelectionElement): NetworkSelectionElement {
  const { namespace: _ns, ...rest } = e;
  return rest;
}

/** The metadata that ends up on the pods of a workload (the template's, or the Pod's own). */
function podMetadataOf(w: NetworkFunction['workloads'][number]) {
  return w instanceof kplus.Pod ? w.metadata : w.podMetadata;
}
