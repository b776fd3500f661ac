import { ApiObject, Chart, JsonPatch, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { AttachmentRendering } from '../attachment-rendering';
import { CniConfig } from '../cni/config';
import { CniCapability, JsonObject } from '../cni/common';
import { ProblemSink, reportProblems } from '../cni/problem';
import { PropType, assertArg, assertProps, pEnum, pInstance, pString, propsShape } from '../cni/props-check';
import { DNS1123_LABEL, NetworkSelectionElement } from '../multus/selection-element';
import { Network } from '../network';
import { NetworkAttachmentDefinition } from '../network-attachment-definition';
import { POD_TEMPLATE_POINTERS, PodTemplate } from '../pod-template';
import { TOPOLOGY_SOURCE, TopologySource, TopologyValidation } from '../topology-validation';
import { TopologyPod } from '../topology/topology';
import { CNI_DRA_DEVICE_CLASS, CNI_DRA_DRIVER } from './cni-dra-driver';
import { DRANET_DEVICE_CLASS, DRANET_DRIVER, DranetInterfaceConfig } from './dranet';
import { networkClaimProblems } from './network-claim-checks';
import {
  CapabilityValues, DraAttachmentRequest, cniDraClaimSpec, draCapabilityValues, dranetClaimSpec, driverDeviceClass, podClaimNameOf,
  sriovDraClaimSpec, undeclaredCapabilities,
} from './render';
import { DNS1123_SUBDOMAIN, PodResourceClaim, RESOURCE_API_VERSION, ResourceClaimSpec } from './resource-claim';
import { SRIOV_DRA_DEVICE_CLASS, SRIOV_DRA_DRIVER } from './sriov-dra-driver';

/**
 * The construct side of the DRA renderings (floor 3; the rest of lib/dra is plain data): the
 * attachments of one workload's pods written as claims of a network DRA driver instead of a
 * Multus selection annotation. Each attachment becomes a ResourceClaimTemplate (one request, one
 * config of the driver) and an entry of the pod's `spec.resourceClaims`; network interfaces are
 * pod-scoped, so a container lists the claim only when asked (`container`: a driver that injects
 * a device node, e.g. a VF bound to vfio-pci). The claims are rendered from the model: a logical
 * `Network` target gives its config for the pod's namespace (`Network.configFor`) without a NAD,
 * except for the SR-IOV DRA driver, which runs a NAD it is told the name of.
 */

/** The drivers of the DRA renderings, with their device classes. */
const DRIVERS: Readonly<Record<string, { readonly driver: string; readonly deviceClass: string; readonly label: string }>> = {
  [AttachmentRendering.DRA_CNI]: { driver: CNI_DRA_DRIVER, deviceClass: CNI_DRA_DEVICE_CLASS, label: 'cni-dra-driver' },
  [AttachmentRendering.DRA_SRIOV]: { driver: SRIOV_DRA_DRIVER, deviceClass: SRIOV_DRA_DEVICE_CLASS, label: 'the SR-IOV DRA driver' },
  [AttachmentRendering.DRA_DRANET]: { driver: DRANET_DRIVER, deviceClass: DRANET_DEVICE_CLASS, label: 'DRANET' },
};

const CLASS_NAME = pString({ pattern: DNS1123_SUBDOMAIN, patternText: 'a DNS-1123 subdomain', maxLength: 253, fix: 'use lowercase letters, digits, "-" and ".", e.g. "nfv-cni"' });

/** The DeviceClasses the App's claims own, by name (kept on the App's root, one object per class). */
const OWNED_DEVICE_CLASSES = Symbol.for('cdk8s-nfv.DraNetworkClaims.ownedDeviceClasses');

/** Where the device class of the claims comes from. */
export class DraDeviceClass {
  /**
   * A class installed with the driver or by the cluster's administrator.
   * @param name the class name
   * @default - the rendering's: cni-dra-driver's `cni.networking.x-k8s.io`, the SR-IOV DRA
   * driver's `sriovnetwork.k8snetworkplumbingwg.io`, DRANET's documented `dranet`
   */
  public static existing(name?: string): DraDeviceClass {
    if (name !== undefined) assertArg(CLASS_NAME, name, 'name', 'DraDeviceClass.existing');
    return new DraDeviceClass(name, false);
  }

  /** A class the App owns: written out, selecting every device of the rendering's driver. */
  public static owned(name: string): DraDeviceClass {
    assertArg(CLASS_NAME, name, 'name', 'DraDeviceClass.owned', 'give the class a name, e.g. DraDeviceClass.owned("nfv-cni")');
    return new DraDeviceClass(name, true);
  }

  private constructor(private readonly given: string | undefined, public readonly owned: boolean) {}

  /** The class name a rendering's requests use. */
  public nameFor(rendering: AttachmentRendering): string {
    return this.given ?? DRIVERS[rendering]?.deviceClass ?? CNI_DRA_DEVICE_CLASS;
  }

  /**
   * The class name given, or cni-dra-driver's class when none was: the name another rendering's
   * requests use is {@link nameFor} (and `DraNetworkClaims.deviceClassName`).
   */
  public get name(): string {
    return this.given ?? CNI_DRA_DEVICE_CLASS;
  }
}

/** Properties of {@link DraNetworkClaims}. */
export interface DraNetworkClaimsProps {
  /**
   * The workload whose pods get the interfaces: a cdk8s-plus workload or Pod, or an ApiObject
   * with a pod template.
   */
  readonly workload: IConstruct;
  /**
   * The prefix of the ResourceClaimTemplate names (`<name>-<interface>`).
   * @default - the workload object's name
   */
  readonly name?: string;
  /**
   * The device class the requests name.
   * @default DraDeviceClass.existing() (the rendering's driver's class)
   */
  readonly deviceClass?: DraDeviceClass;
  /**
   * Which driver's claims: cni-dra-driver (any CNI network), the SR-IOV DRA driver (SR-IOV
   * networks: a VF running the NAD) or DRANET (host-device networks: a host interface, no CNI).
   * @default AttachmentRendering.DRA_CNI
   */
  readonly rendering?: AttachmentRendering;
}

const WORKLOAD: PropType = {
  description: 'a construct (a cdk8s-plus workload, or an ApiObject with a pod template)',
  ok: (v) => Construct.isConstruct(v),
  check(value, path, sink) {
    if (!Construct.isConstruct(value)) sink.error(path, `must be ${this.description}`, value, `pass a cdk8s-plus workload or an ApiObject of kind ${Object.keys(POD_TEMPLATE_POINTERS).join(', ')}`);
  },
};

const ATTACH_RENDERING = pEnum([AttachmentRendering.DRA_CNI, AttachmentRendering.DRA_SRIOV, AttachmentRendering.DRA_DRANET], 'AttachmentRendering (a DRA rendering)');

const PROPS_SHAPE = propsShape('DraNetworkClaimsProps', {
  workload: { type: WORKLOAD, required: 'pass the workload whose pods get the interfaces, e.g. { workload: deployment }' },
  name: pString({ pattern: DNS1123_SUBDOMAIN, patternText: 'a DNS-1123 subdomain', maxLength: 240, fix: 'use lowercase letters, digits, "-" and ".", e.g. "upf"' }),
  deviceClass: pInstance([DraDeviceClass], 'a DraDeviceClass', 'use DraDeviceClass.existing() or DraDeviceClass.owned("<name>")'),
  rendering: ATTACH_RENDERING,
});

/** Options of {@link DraNetworkClaims.attach}. */
export type DraClaimAttachOptions = Omit<DraAttachmentRequest, 'interface'> & {
  /**
   * The interface name in the pod.
   * @default - `net<N>`, N the attachment's position from 1
   */
  readonly interface?: string;
  /**
   * The container that lists the claim in its `resources.claims`, by name: a driver that injects
   * a device into containers (e.g. an SR-IOV VF bound to vfio-pci, for DPDK) gives it only to the
   * containers that list the claim. The network interface itself belongs to the pod.
   * @default - no container lists it (a kernel network interface needs none)
   */
  readonly container?: string;
  /**
   * This attachment's rendering, when it is not the construct's (e.g. one SR-IOV interface among
   * cni-dra-driver ones); the construct's `deviceClass` applies to the construct's rendering only,
   * the others name their driver's class.
   * @default - the construct's rendering
   */
  readonly rendering?: AttachmentRendering;
};

/** One attachment rendered as a claim. */
export interface DraAttachment {
  /** The pod claim name (also the request name). */
  readonly podClaim: string;
  /** The interface in the pod. */
  readonly interface: string;
  /** The name of the ResourceClaimTemplate. */
  readonly templateName: string;
  /**
   * The name of the network in the pod's namespace: the NAD's, or, for a logical network rendered
   * without a NAD, the name its NAD would have.
   */
  readonly nadName: string;
  /** The claim's spec, rendered from the model as it is now. */
  claimSpec(): ResourceClaimSpec;
  /** The attachment as a selection element, for the whole-topology check. */
  readonly element: NetworkSelectionElement;
  /** The device-plugin resource a device of the claim stands for (SR-IOV DRA with a NAD resourceName). */
  readonly resourceName?: string;
}

/** A network a workload attaches to through a claim: a NAD of the App, or a logical network. */
export type DraNetworkTarget = Network | NetworkAttachmentDefinition;

/** What a rendering made of one attachment. */
interface Rendered {
  readonly name: string;
  readonly spec: () => ResourceClaimSpec;
  readonly profile?: CniConfig['profile'];
  readonly resourceName?: string;
}

/**
 * The attachments of one workload as DRA claims of a network driver (cni-dra-driver by default).
 * The whole-topology check sees these pods as it sees annotated ones (addresses, pools, segments),
 * whatever the rendering.
 */
export class DraNetworkClaims extends Construct {
  public readonly namespace: string;
  public readonly deviceClass: DraDeviceClass;
  /** The device class the requests of the construct's rendering name. */
  public readonly deviceClassName: string;
  /** The rendering: which driver's claims. */
  public readonly rendering: AttachmentRendering;
  private readonly workloadObject: ApiObject;
  private readonly template: PodTemplate;
  private readonly podSpecPath: string;
  private readonly prefix: string;
  private _attachments: readonly DraAttachment[] = [];

  constructor(scope: Construct, id: string, props: DraNetworkClaimsProps) {
    super(scope, id);
    const context = `DraNetworkClaims ${this.node.path}`;
    assertProps(PROPS_SHAPE, props, context);
    // where the pod template is: PodTemplate knows it for every kind (one place)
    let template: PodTemplate | undefined;
    try {
      template = PodTemplate.of(props.workload, context);
    } catch {
      template = undefined;
    }
    if (!template) {
      let object: ApiObject | undefined;
      try {
        object = ApiObject.of(props.workload);
      } catch {
        object = undefined;
      }
      const sink = new ProblemSink();
      sink.error('workload', 'has no pod template', object?.kind ?? props.workload.node.path,
        `pass a cdk8s-plus workload or an ApiObject of kind ${Object.keys(POD_TEMPLATE_POINTERS).join(', ')}`);
      reportProblems(sink.problems, context);
    }
    const object = template!.apiObject;
    this.template = template!;
    this.workloadObject = object;
    this.podSpecPath = `${template!.pointer}/spec`;
    this.namespace = object.metadata.namespace ?? Chart.of(this).namespace ?? 'default';
    this.prefix = props.name ?? object.name;
    this.rendering = props.rendering ?? AttachmentRendering.DRA_CNI;
    this.deviceClass = props.deviceClass ?? DraDeviceClass.existing();
    this.deviceClassName = this.deviceClass.nameFor(this.rendering);
    this.node.addValidation({ validate: () => this.renderedClaimProblems() });
    const source: TopologySource = { pods: () => [this.topologyPod(props.workload)], state: () => [this._attachments] };
    Object.defineProperty(this, TOPOLOGY_SOURCE, { value: source });
    TopologyValidation.of(this);
    if (this.deviceClass.owned) this.ownDeviceClass(context);
  }

  /**
   * Writes the owned device class once per App: the first claims of the App that own a class of
   * that name write it; later ones for the same driver share it; another driver under that name is
   * refused (one DeviceClass object, one driver).
   */
  private ownDeviceClass(context: string): void {
    const root = this.node.root as unknown as Record<symbol, Map<string, { driver: string; path: string }> | undefined>;
    let owned = root[OWNED_DEVICE_CLASSES];
    if (!owned) {
      owned = new Map();
      Object.defineProperty(root, OWNED_DEVICE_CLASSES, { value: owned, enumerable: false });
    }
    const driver = DRIVERS[this.rendering].driver;
    const before = owned.get(this.deviceClassName);
    if (before) {
      if (before.driver !== driver) {
        const sink = new ProblemSink();
        sink.error('deviceClass', `is the DeviceClass ${this.deviceClassName} that ${before.path} owns for driver ${before.driver}`, this.deviceClassName,
          `give the class for ${driver} another name, or use DraDeviceClass.existing("${this.deviceClassName}") only where the driver is ${before.driver}`);
        reportProblems(sink.problems, context);
      }
      return;
    }
    owned.set(this.deviceClassName, { driver, path: this.node.path });
    new ApiObject(this, 'DeviceClass', driverDeviceClass(this.deviceClassName, driver) as any);
  }

  /** The attachments, in order (a copy). */
  public get attachments(): DraAttachment[] {
    return [...this._attachments];
  }

  /**
   * Attaches the pods to a network through a claim. The options are those of the annotation
   * rendering; the ones the driver cannot carry are refused (defaultRoute, cniArgs and
   * ipamClaimReference everywhere; every per-pod value with the SR-IOV DRA driver; all but
   * `ips` and `mac` with DRANET), and, with cni-dra-driver, per-pod values must have a plugin of
   * the chain declaring their capability.
   */
  public attach(network: DraNetworkTarget, options: DraClaimAttachOptions = {}): DraAttachment {
    const index = this._attachments.length;
    const ifname = options.interface ?? `net${index + 1}`;
    const context = `DraNetworkClaims ${this.node.path} attachment ${index}`;
    const sink = new ProblemSink();
    const rendering = options.rendering ?? this.rendering;
    if (options.rendering !== undefined) ATTACH_RENDERING.check(options.rendering, 'rendering', sink);
    reportProblems(sink.problems, context);
    const { values, problems } = draCapabilityValues({ ...options, interface: ifname }, DRIVERS[rendering].label);
    sink.addAll(problems);
    const podClaim = podClaimNameOf(ifname);
    const deviceClassName = rendering === this.rendering ? this.deviceClassName : DRIVERS[rendering].deviceClass;
    const rendered = rendering === AttachmentRendering.DRA_SRIOV ? this.sriov(network, ifname, podClaim, values, deviceClassName, sink, context)
      : rendering === AttachmentRendering.DRA_DRANET ? this.dranet(network, ifname, podClaim, options, deviceClassName, sink, context)
        : this.cni(network, ifname, podClaim, values, deviceClassName, sink, context);
    if (this._attachments.some((a) => a.interface === ifname || a.podClaim === podClaim)) {
      sink.error('interface', 'is already used by another attachment of the workload', ifname, 'give each attachment its own interface name');
    }
    let containerIndex: number | undefined;
    if (options.container !== undefined) {
      const names = this.template.containerNames();
      containerIndex = typeof options.container === 'string' ? names.indexOf(options.container) : -1;
      if (containerIndex < 0) {
        sink.error('container', 'is not a container of the pods', options.container,
          names.length > 0 ? `name one of ${names.map((n) => JSON.stringify(n)).join(', ')}` : 'add the container to the workload before attaching');
      }
    }
    const templateName = `${this.prefix}-${podClaim}`;
    if (templateName.length > 253 || !templateName.split('.').every((l) => DNS1123_LABEL.test(l))) {
      sink.error('name', 'gives a ResourceClaimTemplate name that is not a DNS-1123 subdomain', templateName, 'use a lowercase workload name');
    }
    if (!sink.hasErrors) sink.addAll(networkClaimProblems(rendered.spec(), rendered.profile), 'spec.spec');
    reportProblems(sink.problems, `${context} (${rendered.name})`);

    // rendered at synth, from the model as it is then (a later attach may declare a capability
    // on the shared chain)
    new ApiObject(this, `Claim-${podClaim}`, {
      apiVersion: RESOURCE_API_VERSION,
      kind: 'ResourceClaimTemplate',
      metadata: { name: templateName, namespace: this.namespace },
      spec: { spec: Lazy.any({ produce: () => rendered.spec() }) },
    } as any);
    const entry: PodResourceClaim = { name: podClaim, resourceClaimTemplateName: templateName };
    if (index === 0) this.workloadObject.addJsonPatch(JsonPatch.add(`${this.podSpecPath}/resourceClaims`, []));
    this.workloadObject.addJsonPatch(JsonPatch.add(`${this.podSpecPath}/resourceClaims/-`, entry));
    if (containerIndex !== undefined) this.template.addContainerClaim(containerIndex, podClaim);
    // DRANET sets the MAC itself (no CNI capability is involved): the element, which the
    // whole-topology check reads as Multus would, carries it only for the CNI renderings
    const mac = options.mac !== undefined && rendering !== AttachmentRendering.DRA_DRANET ? { mac: options.mac } : {};
    const element: NetworkSelectionElement = {
      name: rendered.name, namespace: this.namespace, interface: ifname, ...(values.ips ? { ips: values.ips as string[] } : {}), ...mac,
    };
    const attachment: DraAttachment = Object.freeze({
      podClaim, interface: ifname, templateName, nadName: rendered.name, claimSpec: rendered.spec, element,
      ...(rendered.resourceName !== undefined ? { resourceName: rendered.resourceName } : {}),
    });
    this._attachments = this._attachments.concat([attachment]);
    return attachment;
  }

  /** cni-dra-driver: the network's config, the per-pod values as runtimeConfig. */
  private cni(network: DraNetworkTarget, ifname: string, podClaim: string, values: CapabilityValues, deviceClassName: string, sink: ProblemSink, context: string): Rendered {
    const { config, name } = this.configOf(network, context);
    // as the annotation rendering does: the capability of each per-pod value is declared on the
    // chain (or refused when no plugin reads it), so both renderings carry the same config
    const missing = undeclaredCapabilities(config.toJson({ name }), values);
    for (const cap of missing) config.ensureCapability(cap as CniCapability, cap === 'infinibandGUID' ? 'infinibandGuid' : cap, sink);
    return {
      name,
      profile: config.profile,
      spec: () => cniDraClaimSpec({ requestName: podClaim, interface: ifname, config: config.toJson({ name }), capabilityValues: values, deviceClassName }),
    };
  }

  /** The SR-IOV DRA driver: a VF of the NAD's resource, running the NAD (which stays). */
  private sriov(network: DraNetworkTarget, ifname: string, podClaim: string, values: CapabilityValues, deviceClassName: string, sink: ProblemSink, context: string): Rendered {
    // a logical network's plugin is known before any NAD is derived: a refused attach derives none
    const planned = network instanceof Network ? network.plugin.type : undefined;
    if (planned !== undefined && planned !== 'sriov') return this.refuseSriov(planned, sink, `${context} (${(network as Network).name})`);
    const nad = network instanceof Network ? network.nadFor(this.namespace) : network;
    if (!NetworkAttachmentDefinition.isNetworkAttachmentDefinition(nad) || !nad.config) this.refuseTarget(network, context);
    const type = nad.config!.main.type;
    if (type !== 'sriov') return this.refuseSriov(type, sink, `${context} (${nad.name})`);
    const nadNamespace = nad.namespace ?? 'default';
    if (nadNamespace !== this.namespace) {
      sink.error('network', `is a NAD of namespace ${nadNamespace}; the SR-IOV DRA driver reads netAttachDefName in the claim's namespace only`, nad.qualifiedName,
        `attach a NAD of ${this.namespace} (a Network derives one there)`);
    }
    for (const key of Object.keys(values)) {
      sink.error(key === 'infinibandGUID' ? 'infinibandGuid' : key, 'cannot be rendered for the SR-IOV DRA driver (VfConfig carries no per-pod values: the driver runs the NAD\'s config as written)', values[key],
        'bake the value into a NAD of its own (Network.addNad with addresses) and attach that NAD, or use AttachmentRendering.NAD_ANNOTATION');
    }
    const resourceName = nad.resourceName;
    return {
      name: nad.name,
      resourceName,
      spec: () => sriovDraClaimSpec({ requestName: podClaim, interface: ifname, nadName: nad.name, resourceName, deviceClassName }),
    };
  }

  private refuseSriov(type: string, sink: ProblemSink, context: string): never {
    sink.error('network', 'cannot be carried by the SR-IOV DRA driver (it gives the pod a virtual function and runs the NAD\'s sriov config)', type,
      'attach an SR-IOV network (NetworkPlugin.sriov), or use AttachmentRendering.DRA_CNI for this workload');
    reportProblems(sink.problems, context);
    throw new Error('unreachable');
  }

  /** DRANET: the network's host interface moved into the pod, with the network's addressing. */
  private dranet(network: DraNetworkTarget, ifname: string, podClaim: string, options: DraClaimAttachOptions, deviceClassName: string, sink: ProblemSink, context: string): Rendered {
    if (network instanceof Network && network.plugin.type !== 'host-device') {
      // refused before the network hands out a config for the namespace
      sink.error('network', 'cannot be carried by DRANET (it moves a host interface into the pod and runs no CNI plugin)', network.plugin.type,
        'attach a host-device network (NetworkPlugin.hostDevice), or use AttachmentRendering.DRA_CNI for this workload');
      reportProblems(sink.problems, `${context} (${network.name})`);
    }
    const { config, name } = this.configOf(network, context);
    const plugins = config.plugins;
    const main = config.main.toJson();
    if (main.type !== 'host-device') {
      sink.error('network', 'cannot be carried by DRANET (it moves a host interface into the pod and runs no CNI plugin)', main.type,
        'attach a host-device network (NetworkPlugin.hostDevice), or use AttachmentRendering.DRA_CNI for this workload');
    }
    if (plugins.length > 1) {
      sink.error('network', 'has chained plugins DRANET would not run (it runs no CNI plugin)', plugins.slice(1).map((p) => p.type),
        'remove the chain, or use AttachmentRendering.DRA_CNI for this workload');
    }
    for (const key of ['portMappings', 'bandwidth', 'infinibandGuid'] as const) {
      const v = (options as Record<string, unknown>)[key];
      if (v !== undefined) sink.error(key, 'cannot be rendered for DRANET (it configures the name, addresses, MAC and MTU of the interface only)', v, 'remove it, or use AttachmentRendering.DRA_CNI');
    }
    const ipam = (typeof main.ipam === 'object' && main.ipam !== null ? main.ipam : undefined) as JsonObject | undefined;
    const itf: { -readonly [K in keyof DranetInterfaceConfig]: DranetInterfaceConfig[K] } = { name: ifname };
    let routes: { destination: string; gateway?: string }[] = [];
    if (ipam?.type === 'static') {
      const baked = Array.isArray(ipam.addresses) ? (ipam.addresses as JsonObject[]).map((a) => String(a.address)) : [];
      const addresses = [...baked, ...(options.ips ?? [])];
      if (addresses.length > 0) itf.addresses = addresses;
      routes = Array.isArray(ipam.routes) ? (ipam.routes as JsonObject[]).map((r) => ({ destination: String(r.dst), ...(r.gw !== undefined ? { gateway: String(r.gw) } : {}) })) : [];
    } else if (ipam?.type === 'dhcp') {
      itf.dhcp = true;
    } else if (ipam !== undefined) {
      sink.error('network', `assigns addresses with ${String(ipam.type)} IPAM, which DRANET does not run`, ipam.type,
        'give the network static IPAM and the pods their addresses (ips), or use AttachmentRendering.DRA_CNI');
    }
    if (options.ips !== undefined && ipam?.type !== 'static') {
      sink.error('ips', 'are given but the network has no static IPAM to carry them', options.ips, 'give the network IpamMode.STATIC');
    }
    if (options.mac !== undefined) itf.hardwareAddr = options.mac;
    const host = typeof main.device === 'string' ? main.device : undefined;
    const spec = dranetClaimSpec({ requestName: podClaim, deviceClassName, hostInterface: host, interface: itf });
    const withRoutes: ResourceClaimSpec = routes.length === 0 ? spec : {
      devices: { ...spec.devices, config: spec.devices.config!.map((c) => ({ ...c, opaque: { ...c.opaque, parameters: { ...c.opaque.parameters, routes } } })) },
    };
    return { name, spec: () => withRoutes };
  }

  /**
   * The CNI config of a target in the pod's namespace, and the name the pods know it by: a
   * logical network's config for the namespace, without a NAD; a NAD's own.
   */
  private configOf(network: DraNetworkTarget, context: string): { config: CniConfig; name: string } {
    if (network instanceof Network) return { config: network.configFor(this.namespace), name: network.name };
    if (!NetworkAttachmentDefinition.isNetworkAttachmentDefinition(network) || !network.config) this.refuseTarget(network, context);
    return { config: network.config!, name: network.name };
  }

  private refuseTarget(network: unknown, context: string): never {
    const sink = new ProblemSink();
    sink.error('network', 'has no CNI config of the App to carry in a claim', (network as IConstruct)?.node?.path ?? network,
      'pass a Network or a NetworkAttachmentDefinition built with a config');
    reportProblems(sink.problems, context);
    throw new Error('unreachable');
  }

  /**
   * The pods as the whole-topology check sees them: the attachments as selection elements, and
   * the devices the SR-IOV claims take as requests of the NAD's resource (as Multus counts them).
   */
  private topologyPod(workload: IConstruct): TopologyPod {
    let resourceRequests: Record<string, number> | undefined;
    for (const a of this._attachments) {
      if (a.resourceName !== undefined) (resourceRequests ??= {})[a.resourceName] = (resourceRequests[a.resourceName] ?? 0) + 1;
    }
    return {
      name: this.workloadObject.name,
      namespace: this.namespace,
      path: workload.node.path,
      // as PodNetworks counts them (cdk8s-plus defaults included, one per node for a DaemonSet)
      replicas: PodTemplate.of(workload, `DraNetworkClaims ${this.node.path}`).replicas(),
      attachments: this._attachments.map((a) => a.element),
      ...(resourceRequests ? { resourceRequests } : {}),
    };
  }

  /**
   * The pod claims as the workload renders them: an L1 object that maps its pod spec through older
   * Kubernetes types (cdk8s-plus-27: 1.27, whose PodResourceClaim had a `source`) drops the
   * fields the patches wrote, which would leave pods without their interfaces.
   */
  private renderedClaimProblems(): string[] {
    if (this._attachments.length === 0) return [];
    let spec: any = this.workloadObject.toJson();
    for (const k of this.podSpecPath.split('/').filter((x) => x)) spec = spec?.[k];
    const rendered: unknown[] = Array.isArray(spec?.resourceClaims) ? spec.resourceClaims : [];
    const lost = this._attachments.filter((a) => !rendered.some((r: any) => r?.name === a.podClaim && r?.resourceClaimTemplateName === a.templateName));
    if (lost.length === 0) return [];
    return [`'workload' drops spec.resourceClaims[].resourceClaimTemplateName when it renders (its Kubernetes types predate 1.31): got ${JSON.stringify(rendered)}; `
      + 'use a cdk8s-plus-33 workload, or an ApiObject (Include, hand-made) whose pod spec is written as is'];
  }
}
