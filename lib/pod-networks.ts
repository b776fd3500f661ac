import { Construct, IConstruct } from 'constructs';
import { AttachmentRendering, isAttachmentRendering, isDraRendering } from './attachment-rendering';
import { AttachmentRenderings } from './attachment-renderings';
import { ATTACHMENT_SHAPE, Attachment, AttachmentOptions, CAPABILITY_REQUESTS, copyOptions } from './attachment-options';
import { CniConfig } from './cni/config';
import { Problem, ProblemSink, Severity, renderValue, throwIfErrors } from './cni/problem';
import { checkProps, pString, propsShape } from './cni/props-check';
import {
  DEFAULT_NETWORK_ANNOTATION,
  NETWORKS_ANNOTATION,
  NetworkSelectionElement,
  SelectionPortMapping,
  renderNetworksAnnotation,
  selectionRequestProblems,
} from './multus/selection-element';
import { DraNetworkClaims, DraNetworkTarget } from './dra/network-claims';
import { NetworkReferences } from './network-references';
import { NETWORK_TARGET, NetworkReference, NetworkTarget, assertNetworkTarget } from './network-target';
import { PodTemplate } from './pod-template';
import { TOPOLOGY_SOURCE, TopologyValidation } from './topology-validation';
import { HUGEPAGES_NEED_COMPUTE, isHugePages, resourceRequestProblems } from './topology/extended-resources';
import { TopologyPod } from './topology/topology';

/** The brand of PodNetworks, the same in every copy of the package. */
const POD_NETWORKS = Symbol.for('cdk8s-nfv.PodNetworks');

/** Where a workload keeps its PodNetworks when the claims are its topology source (DRA rendering). */
const DRA_POD_NETWORKS = Symbol.for('cdk8s-nfv.PodNetworks.dra');

/** The device requests of pods without device-plugin networks. */
const NO_DEVICES: Readonly<Record<string, number>> = Object.freeze({});

/**
 * What each target resolved to, by pod namespace: a target resolves itself, once per namespace
 * (a logical network derives its NAD there on first use, and the answer does not change).
 */
const RESOLVED = new WeakMap<object, Map<string, NetworkReference>>();

function resolve(target: NetworkTarget, namespace: string): NetworkReference {
  let byNamespace = RESOLVED.get(target);
  if (!byNamespace) RESOLVED.set(target, byNamespace = new Map());
  let ref = byNamespace.get(namespace);
  if (!ref) byNamespace.set(namespace, ref = target.networkReference(namespace));
  return ref;
}

/** Whether a chain declares every capability the options of an attachment need (a loop: no closure per call). */
function declaresWanted(config: CniConfig, o: AttachmentOptions): boolean {
  for (const [wanted, cap] of CAPABILITY_REQUESTS) if (wanted(o) && !config.declares(cap)) return false;
  return true;
}

/** Options of {@link PodNetworks.requestResource}. */
export interface ResourceRequestOptions {
  /**
   * The container that receives the resource.
   * @default - the first container
   */
  readonly container?: string;
}

/** Options of {@link PodNetworks.of}. */
export interface PodNetworksOptions {
  /**
   * How the attachments are written out. Given for a workload whose PodNetworks exists already,
   * it must be the rendering it has.
   * @default - the App's default (`AttachmentRenderings.setDefault`, or the context key
   * `cdk8s-nfv:attachmentRendering`), else AttachmentRendering.NAD_ANNOTATION
   */
  readonly rendering?: AttachmentRendering;
}

/**
 * The networks of one pod template: the Multus `k8s.v1.cni.cncf.io/networks` annotation (typed
 * options, in attach order), the default-network override, and the device requests of
 * device-plugin networks, on the pod template of any workload:
 *
 * - a cdk8s-plus workload or Pod of either line (cdk8s-plus-27, cdk8s-plus-33): Deployment,
 *   StatefulSet, DaemonSet, Job, CronJob, Pod, reached through their public `podMetadata`;
 * - an `ApiObject` with a pod template, from `Include`, `Helm` or made by hand (Pod, Deployment,
 *   StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob), located by kind.
 *
 * Attaching checks each request on its own (interface name, addresses, capability coherence with
 * the NAD's plugin chain) and the App's whole-topology check sees every attached workload at synth
 * (address uniqueness, pool capacity, default routes, device requests) with its replica count:
 * cdk8s-plus `replicas` (with its defaults), `spec.replicas` of a manifest (`parallelism` of a
 * Job), one per node for a DaemonSet.
 *
 * On a cdk8s-plus workload the annotation is a token rendered at synth. On a manifest object the
 * library uses public cdk8s API only: the annotation and device requests are JSON patches
 * (`ApiObject.addJsonPatch`) computed at each attach, a later patch winning over an earlier one
 * (a patch cannot hold a token: cdk8s resolves tokens before it applies patches).
 *
 * A pod template that already carries a networks (or default-network) annotation of its own, as
 * upstream YAML often does, is refused at the first attach: the library does not merge a
 * reference it cannot check. Remove the annotation from the source and attach its networks here.
 *
 * PodNetworks is kept by the workload itself (one per workload, under a registered symbol, so the
 * topology check of any copy of the package finds it while walking the App's tree).
 */
export class PodNetworks {
  /**
   * The networks of a workload's pods, created on first use (one per workload).
   * @param workload a cdk8s-plus workload or Pod, or an ApiObject with a pod template
   */
  public static of(workload: IConstruct, options?: PodNetworksOptions): PodNetworks {
    const held = workload as unknown as Record<symbol, unknown> | undefined;
    const existing = held?.[TOPOLOGY_SOURCE] ?? held?.[DRA_POD_NETWORKS];
    const given = options?.rendering;
    if (given !== undefined && !isAttachmentRendering(given)) {
      throw new Error(`PodNetworks.of: 'rendering' must be an AttachmentRendering: got ${renderValue(given)}; `
        + `use one of ${Object.keys(AttachmentRendering).map((k) => `AttachmentRendering.${k}`).join(', ')}`);
    }
    if (PodNetworks.isPodNetworks(existing)) {
      if (given !== undefined && given !== existing.rendering) {
        throw new Error(`PodNetworks.of: 'rendering' differs from the rendering of the workload's networks: got ${renderValue(given)}; `
          + `the networks of ${existing.template.workload.node.path} are rendered as ${renderValue(existing.rendering)}: choose the rendering at the first PodNetworks.of`);
      }
      return existing;
    }
    const template = PodTemplate.of(workload, 'PodNetworks.of');
    const rendering = given ?? AttachmentRenderings.defaultOf(workload);
    if (isDraRendering(rendering)) {
      // the claims are the topology source of these pods: the check reads them, not this object
      return new PodNetworks(template, rendering, new DraNetworkClaims(workload as Construct, 'NfvDraClaims', { workload, rendering }));
    }
    return new PodNetworks(template, rendering);
  }

  /** Whether `x` is a PodNetworks (of any copy of this package). */
  public static isPodNetworks(x: unknown): x is PodNetworks {
    return x !== null && typeof x === 'object' && POD_NETWORKS in x;
  }

  /** The workload's pod template. */
  public readonly template: PodTemplate;
  /** The namespace the pods run in. */
  public readonly namespace: string;
  /** Replaced (concat, exact size) on attach: an array grown by push keeps room for 17 entries. */
  private _attachments: readonly Attachment[] = [];
  private _defaultNetwork?: NetworkTarget;
  /** Device requests so far, by container index and resource (allocated on the first device network). */
  private deviceCounts?: Map<string, number>;
  /** Extended resources set by requestResource, by container index and resource (allocated on the first). */
  private resourceQuantities?: Map<string, string>;
  /** Whether the template's own annotations need no look (made by the library, or looked at). */
  private ownAnnotationsChecked = false;
  /** Advanced by every change the topology check can see (attach, default network). */
  private revision = 0;
  /** The construct errors name instead of the workload (a NetworkFunction), with its word for the pods. */
  private owner?: { readonly construct: IConstruct; readonly kind: string; readonly noun: string };

  /** How the attachments are written out. */
  public readonly rendering: AttachmentRendering;
  /** The claims the attachments are rendered as (AttachmentRendering.DRA_CNI). */
  private readonly claims?: DraNetworkClaims;

  private constructor(template: PodTemplate, rendering: AttachmentRendering, claims?: DraNetworkClaims) {
    this.template = template;
    this.namespace = template.namespace;
    this.rendering = rendering;
    this.claims = claims;
    // for DRA, kept on the workload under its own key only: the claims are the pods' topology source
    Object.defineProperty(template.workload, claims ? DRA_POD_NETWORKS : TOPOLOGY_SOURCE, { value: this });
    TopologyValidation.of(template.workload);
  }

  /**
   * Names the owner in error messages (`NetworkFunction <path>`, "the function"); `fresh` when
   * the owner made the pod template itself (it carries no networks annotation of its own).
   * @internal
   */
  public _ownedBy(construct: IConstruct, kind: string, noun: string, fresh: boolean): void {
    this.owner = { construct, kind, noun };
    if (fresh) this.ownAnnotationsChecked = true;
  }

  /** What errors are prefixed with. */
  private get label(): string {
    return this.owner ? `${this.owner.kind} ${this.owner.construct.node.path}` : `PodNetworks ${this.template.workload.node.path}`;
  }

  /** The attachments, in order (a copy). */
  public get attachments(): Attachment[] {
    return [...this._attachments];
  }

  /**
   * How many attachments there are (no copy).
   * @internal
   */
  public _attachmentCount(): number {
    return this._attachments.length;
  }

  /** The default-network override, if any. */
  public get defaultNetwork(): NetworkTarget | undefined {
    return this._defaultNetwork;
  }

  /**
   * Replaces the cluster default network (eth0) of the pods: the `v1.multus-cni.io/default-network`
   * annotation, always with its namespace. A logical network is refused: Multus looks the default
   * network up in its own namespace, so pass the NAD it derives there (`network.nadFor('kube-system')`).
   */
  public setDefaultNetwork(network: NetworkTarget): void {
    assertNetworkTarget(network, 'defaultNetwork', this.label);
    if (this.claims) {
      throw new Error(`${this.label}: 'defaultNetwork' cannot be rendered as a DRA claim: got ${network.node.path}; `
        + 'the default-network override is done by Multus: use AttachmentRendering.NAD_ANNOTATION for this workload');
    }
    const ref = resolve(network, this.namespace);
    if (ref.perNamespace) {
      throw new Error(`'defaultNetwork' cannot be a logical network: got ${network.node.path}; `
        + "Multus looks the default network up in its own namespace: pass the NAD from network.nadFor('kube-system')");
    }
    if (!this.ownAnnotationsChecked && !this._defaultNetwork) this.refuseOwnAnnotation(DEFAULT_NETWORK_ANNOTATION);
    this._defaultNetwork = network;
    this.revision++;
    this.template.setAnnotation(DEFAULT_NETWORK_ANNOTATION, renderNetworksAnnotation([{ name: ref.name, namespace: ref.namespace }]));
  }

  /**
   * Attaches the pods to a network. Requests that need a plugin capability (ips, mac,
   * portMappings, bandwidth, infiniband-guid) declare it on the NAD's plugin chain, or fail when
   * no plugin of the chain can read it; a device-plugin network adds one device request per
   * attachment to the container (request and limit). The options are copied: changing them
   * afterwards changes nothing.
   */
  public attach(network: NetworkTarget, options: AttachmentOptions = {}): Attachment {
    const sink = new ProblemSink();
    if (network === undefined || network === null) sink.error('network', 'is required', network, 'pass the network to attach to: attach(network, options)');
    else NETWORK_TARGET.check(network, 'network', sink);
    checkProps(ATTACHMENT_SHAPE, options, '', sink);
    if (options?.ipsPerReplica !== undefined) {
      sink.error('ipsPerReplica', 'needs one workload per replica', options.ipsPerReplica, "use 'ips' (one replica), or a NetworkFunction with ReplicaAddressing.PER_REPLICA");
    }
    if (options?.macPerReplica !== undefined) {
      sink.error('macPerReplica', 'needs one workload per replica', options.macPerReplica, "use 'mac' (one replica), or a NetworkFunction with ReplicaAddressing.PER_REPLICA");
    }
    if (sink.hasErrors) throwIfErrors(sink.problems, this._attachContext());
    return this._attachChecked(network, copyOptions(options, this));
  }

  /**
   * Names the attachment being made in errors.
   * @internal
   */
  public _attachContext(): string {
    return `${this.label} attachment ${this._attachments.length}`;
  }

  /**
   * Attaches with options already checked for their types and copied (per-replica options resolved).
   * @internal
   */
  public _attachChecked(network: NetworkTarget, options: AttachmentOptions): Attachment {
    const index = this._attachments.length;
    const ifname = options.interface ?? `net${index + 1}`;
    if (this.claims) return this.attachAsClaim(network, options, ifname);
    const ref = resolve(network, this.namespace);
    // an interface name used twice in the pod is the rulebook's rule (the whole-topology check
    // reports it at synth, with the message lint gives the same manifests)
    let problems: Problem[] | undefined;
    let containerIndex = 0;
    if (options.container !== undefined || ref.resourceName) {
      const names = this.template.containerNames();
      if (options.container !== undefined) {
        containerIndex = names.indexOf(options.container);
        if (containerIndex < 0) {
          (problems ??= []).push({ field: 'container', message: `is not a container of ${this.owner?.noun ?? 'the pods'}`, value: options.container,
            fix: `use one of ${names.join(', ')}`, severity: Severity.ERROR });
        }
      } else if (names.length === 0) {
        (problems ??= []).push({ field: 'network', message: 'is a device-plugin network but the pods have no container yet', value: ref.resourceName,
          fix: 'add the containers before attaching', severity: Severity.ERROR });
      }
      if (ref.resourceName && this.resourceQuantities && requestsResource(this.resourceQuantities, ref.resourceName)) {
        (problems ??= []).push({ field: 'network', message: `is a device-plugin network of ${ref.resourceName}, which requestResource already requested for the pods`, value: ref.name,
          fix: "remove that requestResource: the attachments request their network's devices (give 'devices' for more than one)", severity: Severity.ERROR });
      }
    }
    if (options.devices !== undefined && !ref.resourceName) {
      (problems ??= []).push({ field: 'devices', message: `needs a device-plugin network, but ${ref.name} names no resourceName`, value: options.devices,
        fix: 'leave devices out, or attach to a network with a resourceName (the device plugin\'s resource)', severity: Severity.ERROR });
    }
    if (problems) throwIfErrors(problems, `${this._attachContext()} (${ref.name})`);

    const config = ref.config;
    // nothing to do when the chain declares every wanted capability already
    if (config && !declaresWanted(config, options)) declareCapabilities(config, options, `${this._attachContext()} (${ref.name})`);

    const attachment: Attachment = Object.freeze({ nadName: ref.name, nadNamespace: ref.namespace, interface: ifname, target: network, options });
    // only the new element needs checking: the earlier ones were checked when they were attached
    const requestProblems = selectionRequestProblems(element(attachment, this.namespace, false));
    if (requestProblems.length > 0) throwIfErrors(requestProblems, `${this._attachContext()} (${ref.name})`);
    if (index === 0 && !this.ownAnnotationsChecked) this.refuseOwnAnnotation(NETWORKS_ANNOTATION);

    this._attachments = this._attachments.concat([attachment]);
    this.revision++;
    this.writeAnnotation(index === 0);
    if (ref.resourceName) this.requestDevices(containerIndex, ref.resourceName, options.devices ?? 1);
    return attachment;
  }

  /**
   * The DRA rendering: the claims check and render the attachment (the same options, the
   * capabilities declared on the same chain), and are the pods' topology source.
   */
  private attachAsClaim(network: NetworkTarget, options: AttachmentOptions, ifname: string): Attachment {
    if (options.devices !== undefined) {
      throw new Error(`${this._attachContext()}: 'devices' cannot be rendered as a DRA claim: got ${renderValue(options.devices)}; `
        + 'a claim allocates the devices of its request: leave devices out, or use AttachmentRendering.NAD_ANNOTATION for this workload');
    }
    const claim = this.claims!.attach(network as unknown as DraNetworkTarget, { ...options, interface: ifname });
    const attachment: Attachment = Object.freeze({ nadName: claim.nadName, nadNamespace: this.claims!.namespace, interface: ifname, target: network, options });
    this._attachments = this._attachments.concat([attachment]);
    this.revision++;
    return attachment;
  }

  /**
   * Requests an extended resource for a container of the pods: huge pages (`hugepages-2Mi`,
   * `hugepages-1Gi`, a quantity of bytes such as `'1Gi'`) or a vendor resource of a device plugin
   * (`example.com/qat`, a whole number). It is written as request and limit alike (extended
   * resources cannot be overcommitted), as a quantity, on any workload PodNetworks accepts; a
   * later call for the same container and resource replaces the quantity.
   *
   * The resource of a device-plugin network the pods attach to is refused (in either order): its
   * attachments request its devices, one each, or `devices` of them (attachment option).
   */
  public requestResource(resource: string, quantity: string, options: ResourceRequestOptions = {}): void {
    const sink = new ProblemSink();
    resourceRequestProblems(resource, quantity, sink);
    checkProps(RESOURCE_REQUEST_SHAPE, options, '', sink);
    let container = 0;
    if (!sink.hasErrors) {
      const names = this.template.containerNames();
      if (options.container !== undefined) {
        container = names.indexOf(options.container);
        if (container < 0) sink.error('container', `is not a container of ${this.owner?.noun ?? 'the pods'}`, options.container, `use one of ${names.join(', ')}`);
      } else if (names.length === 0) {
        sink.error('container', 'is not given and the pods have no container yet', undefined, 'add the containers before requesting resources');
      }
      if (container >= 0 && names.length > 0 && isHugePages(resource) && !this.template.hasComputeResources(container)) {
        sink.error('resource', HUGEPAGES_NEED_COMPUTE.message, resource, HUGEPAGES_NEED_COMPUTE.fix);
      }
      if (this.deviceCounts && this.deviceRequests()[resource] !== undefined) {
        sink.error('resource', 'is the resource of a device-plugin network the pods attach to, whose attachments request its devices', resource,
          "give the attachment 'devices' (how many devices of the network's resource it takes) instead");
      }
    }
    throwIfErrors(sink.problems, `${this.label} requestResource`);
    this._requestResourceChecked(container, resource, quantity);
  }

  /**
   * Requests a resource already checked (resourceRequestProblems) for a container by index.
   * @internal
   */
  public _requestResourceChecked(container: number, resource: string, quantity: string): void {
    (this.resourceQuantities ??= new Map()).set(`${container}|${resource}`, quantity);
    this.template.setContainerResource(container, resource, quantity);
  }

  /** The extended resources requested with {@link requestResource}, by container name (copies). */
  public resourceRequests(): Record<string, Record<string, string>> {
    const out: Record<string, Record<string, string>> = {};
    if (!this.resourceQuantities) return out;
    const names = this.template.containerNames();
    for (const [key, quantity] of this.resourceQuantities) {
      const bar = key.indexOf('|');
      const name = names[Number(key.slice(0, bar))];
      (out[name] ??= {})[key.slice(bar + 1)] = quantity;
    }
    return out;
  }

  /** The selection elements of the pods, in attach order (copies). */
  public selectionElements(): NetworkSelectionElement[] {
    return this.elements(true);
  }

  /**
   * The selection elements, sharing the lists of the attachment options: read-only, for the
   * topology check and the annotation (no copies per attachment).
   * @internal
   */
  public _readOnlySelectionElements(): readonly NetworkSelectionElement[] {
    return this.elements(false);
  }

  /** The device requests the attachments added to the containers, summed by resource (e.g. `intel.com/sriov`: 2). */
  public deviceRequests(): Readonly<Record<string, number>> {
    if (!this.deviceCounts) return NO_DEVICES;
    const out: Record<string, number> = {};
    for (const [key, n] of this.deviceCounts) {
      const resource = key.slice(key.indexOf('|') + 1);
      out[resource] = (out[resource] ?? 0) + n;
    }
    return out;
  }

  /** The networks annotation text as written (namespace-relative when the App chose it). */
  public renderAnnotation(): string {
    const elements = this.elements(false);
    if (!NetworkReferences.isNamespaceRelative(this.template.workload)) return JSON.stringify(elements);
    const ns = this.namespace;
    return JSON.stringify(elements.map((e) => (e.namespace === ns ? withoutNamespace(e) : e)));
  }

  /**
   * What the whole-topology check sees of these pods.
   * @internal
   */
  public pods(): TopologyPod[] {
    if (this.claims) return [];
    const d = this._defaultNetwork ? resolve(this._defaultNetwork, this.namespace) : undefined;
    return [{
      name: this.template.name,
      namespace: this.namespace,
      path: this.template.workload.node.path,
      replicas: this.template.replicas(),
      attachments: this.elements(false),
      // attach checked each element when it was attached
      attachmentsChecked: true,
      defaultNetwork: d ? { name: d.name, namespace: d.namespace } : undefined,
      resourceRequests: this.deviceRequests(),
    }];
  }

  /**
   * Values that change whenever the pods the check sees do.
   * @internal
   */
  public state(): readonly unknown[] {
    return [this.revision, this.template.replicas()];
  }

  private elements(copy: boolean): NetworkSelectionElement[] {
    const out = new Array<NetworkSelectionElement>(this._attachments.length);
    for (let i = 0; i < out.length; i++) out[i] = element(this._attachments[i], this.namespace, copy);
    return out;
  }

  /**
   * Writes the annotation: on a cdk8s-plus workload once, as a token rendered at synth from every
   * attachment made by then; on a manifest object now, as a patch that replaces the last one.
   */
  private writeAnnotation(first: boolean): void {
    if (this.template.acceptsTokens) {
      if (first) this.template.setAnnotation(NETWORKS_ANNOTATION, new NetworksAnnotationToken(this) as unknown as string);
      return;
    }
    NetworkReferences._markWritten(this.template.workload);
    this.template.setAnnotation(NETWORKS_ANNOTATION, this.renderAnnotation());
  }

  /** Refuses a template whose source already sets the annotation (looked at once, before the first write). */
  private refuseOwnAnnotation(key: string): void {
    if (key === NETWORKS_ANNOTATION) this.ownAnnotationsChecked = true;
    const existing = this.template.annotation(key);
    if (existing === undefined) return;
    throw new Error(`${this.label}: '${key}' is already set on the pod template: got ${renderValue(existing)}; `
      + 'remove it from the source manifest and attach its networks with PodNetworks.attach, so that they are checked');
  }

  /** Adds `count` devices of `resource` to a container (request and limit). */
  private requestDevices(container: number, resource: string, count: number): void {
    const key = `${container}|${resource}`;
    const counts = (this.deviceCounts ??= new Map());
    const n = (counts.get(key) ?? 0) + count;
    counts.set(key, n);
    this.template.setContainerResource(container, resource, String(n));
  }
}
Object.defineProperty(PodNetworks.prototype, POD_NETWORKS, { value: true });

/** The shape of {@link ResourceRequestOptions}. */
const RESOURCE_REQUEST_SHAPE = propsShape('ResourceRequestOptions', { container: pString() });

/** Whether a request of `resource` is among the `container|resource` keys. */
function requestsResource(quantities: ReadonlyMap<string, string>, resource: string): boolean {
  for (const key of quantities.keys()) if (key.slice(key.indexOf('|') + 1) === resource) return true;
  return false;
}

/** The selection element of an attachment, only the keys that are set, in `SELECTION_KEYS` order. */
function element(a: Attachment, namespace: string, copy: boolean): NetworkSelectionElement {
  const o = a.options;
  const e: { -readonly [K in keyof NetworkSelectionElement]: NetworkSelectionElement[K] } = { name: a.nadName, namespace: a.nadNamespace, interface: a.interface };
  if (o.ips) e.ips = copy ? [...o.ips] : o.ips as string[];
  if (o.mac !== undefined) e.mac = o.mac;
  if (o.defaultRoute === true) e['default-route'] = [...resolve(a.target, namespace).gateways ?? []];
  else if (Array.isArray(o.defaultRoute)) e['default-route'] = copy ? [...o.defaultRoute] : o.defaultRoute as string[];
  if (o.portMappings) e.portMappings = copy ? [...o.portMappings] : o.portMappings as SelectionPortMapping[];
  if (o.bandwidth !== undefined) e.bandwidth = o.bandwidth;
  if (o.cniArgs !== undefined) e['cni-args'] = o.cniArgs;
  if (o.infinibandGuid !== undefined) e['infiniband-guid'] = o.infinibandGuid;
  if (o.ipamClaimReference !== undefined) e['ipam-claim-reference'] = o.ipamClaimReference;
  return e;
}

/** An element without its namespace (the keys keep their order). */
function withoutNamespace(e: NetworkSelectionElement): NetworkSelectionElement {
  const { namespace: _ns, ...rest } = e;
  return rest;
}

/**
 * Declares on the chain the capabilities the options need; every capability no plugin of the
 * chain can read is reported at once, with the attachment's context.
 */
function declareCapabilities(config: CniConfig, options: AttachmentOptions, context: string): void {
  const failures: string[] = [];
  for (const [wanted, cap, field] of CAPABILITY_REQUESTS) {
    if (!wanted(options) || config.declares(cap)) continue;
    try {
      config.ensureCapability(cap, field);
    } catch (e) {
      failures.push((e as Error).message);
    }
  }
  if (failures.length === 1) throw new Error(`${context}: ${failures[0]}`);
  if (failures.length > 1) throw new Error(`${context}: ${failures.length} problems:\n  ${failures.join('\n  ')}`);
}

/**
 * Renders the networks annotation of a cdk8s-plus pod template at synth. An implicit token
 * (cdk8s resolves any value with a `resolve()` method): one small object per workload, where
 * `Lazy.any` would wrap a producer in a second one.
 */
class NetworksAnnotationToken {
  constructor(private readonly networks: PodNetworks) {}

  public resolve(): string {
    return this.networks.renderAnnotation();
  }
}
