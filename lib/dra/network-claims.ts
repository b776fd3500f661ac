import { ApiObject, Chart, JsonPatch, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { CniConfig } from '../cni/config';
import { CniCapability } from '../cni/common';
import { ProblemSink, collectProblems, reportProblems } from '../cni/problem';
import { DNS1123_LABEL } from '../multus/selection-element';
import { Network } from '../network';
import { NetworkAttachmentDefinition } from '../network-attachment-definition';
import { POD_TEMPLATE_POINTERS, PodTemplate } from '../pod-template';
import { TOPOLOGY_SOURCE, TopologySource, TopologyValidation } from '../topology-validation';
import { TopologyPod } from '../topology/topology';
import { NetworkSelectionElement } from '../multus/selection-element';
import { CNI_DRA_DEVICE_CLASS, CNI_DRA_DRIVER } from './cni-dra-driver';
import { networkClaimProblems } from './network-claim-checks';
import { CniDraAttachment, DraAttachmentRequest, cniDraClaimSpec, draCapabilityValues, driverDeviceClass, podClaimNameOf, undeclaredCapabilities } from './render';
import { PodResourceClaim, RESOURCE_API_VERSION } from './resource-claim';

/**
 * The construct side of the DRA rendering (floor 3; the rest of lib/dra is plain data): the
 * attachments of one workload's pods written as cni-dra-driver claims instead of a Multus
 * selection annotation. Each attachment becomes a ResourceClaimTemplate (one request, one
 * config: the NAD's config with the per-pod values as `runtimeConfig`) and an entry of the pod's
 * `spec.resourceClaims`; CNI interfaces are pod-scoped, so no container lists the claim.
 */

/** Where the device class of the claims comes from. */
export class DraDeviceClass {
  /** A class installed with the driver (cni-dra-driver's deployment names `cni.networking.x-k8s.io`). */
  public static existing(name: string = CNI_DRA_DEVICE_CLASS): DraDeviceClass {
    return new DraDeviceClass(name, false);
  }

  /** A class the App owns: written out, selecting every device of cni-dra-driver. */
  public static owned(name: string): DraDeviceClass {
    return new DraDeviceClass(name, true);
  }

  private constructor(public readonly name: string, public readonly owned: boolean) {}
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
   * @default DraDeviceClass.existing()
   */
  readonly deviceClass?: DraDeviceClass;
}

/** One attachment rendered as a claim. */
export interface DraAttachment {
  /** The pod claim name (also the request name). */
  readonly podClaim: string;
  /** The interface in the pod. */
  readonly interface: string;
  /** The name of the ResourceClaimTemplate. */
  readonly templateName: string;
  /** The NAD whose config the claim carries. */
  readonly nadName: string;
  /** The claim's cni-dra-driver attachment, rendered from the config as it is now. */
  render(): CniDraAttachment;
  /** The attachment as a selection element, for the whole-topology check. */
  readonly element: NetworkSelectionElement;
}

/** A network a workload attaches to through a claim: a NAD of the App, or a logical network. */
export type DraNetworkTarget = Network | NetworkAttachmentDefinition;

/**
 * The attachments of one workload as DRA claims for cni-dra-driver. A logical `Network` derives
 * its NAD for the pod's namespace as it does for the annotation rendering: the claim carries that
 * NAD's config, and the NAD stays in the chart (nothing selects it; it documents the config and
 * lint reads it).
 */
export class DraNetworkClaims extends Construct {
  public readonly namespace: string;
  public readonly deviceClass: DraDeviceClass;
  private readonly workloadObject: ApiObject;
  private readonly podSpecPath: string;
  private readonly prefix: string;
  private _attachments: readonly DraAttachment[] = [];

  constructor(scope: Construct, id: string, props: DraNetworkClaimsProps) {
    super(scope, id);
    const sink = new ProblemSink();
    // where the pod template is: PodTemplate knows it for every kind (one place)
    let template: PodTemplate | undefined;
    try {
      template = PodTemplate.of(props.workload, `DraNetworkClaims ${this.node.path}`);
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
      sink.error('workload', 'has no pod template', object?.kind ?? props.workload?.node?.path,
        `pass a cdk8s-plus workload or an ApiObject of kind ${Object.keys(POD_TEMPLATE_POINTERS).join(', ')}`);
      reportProblems(sink.problems, `DraNetworkClaims ${this.node.path}`);
    }
    const object = template!.apiObject;
    this.workloadObject = object;
    this.podSpecPath = `${template!.pointer}/spec`;
    this.namespace = object.metadata.namespace ?? Chart.of(this).namespace ?? 'default';
    this.prefix = props.name ?? object.name;
    this.deviceClass = props.deviceClass ?? DraDeviceClass.existing();
    this.node.addValidation({ validate: () => this.renderedClaimProblems() });
    // the App's whole-topology check sees these pods as it sees annotated ones (addresses,
    // pools, references), whatever the rendering
    const source: TopologySource = { pods: () => [this.topologyPod(props.workload)], state: () => [this._attachments] };
    Object.defineProperty(this, TOPOLOGY_SOURCE, { value: source });
    TopologyValidation.of(this);
    if (this.deviceClass.owned) {
      new ApiObject(this, 'DeviceClass', driverDeviceClass(this.deviceClass.name, CNI_DRA_DRIVER) as any);
    }
  }

  /** The attachments, in order (a copy). */
  public get attachments(): DraAttachment[] {
    return [...this._attachments];
  }

  /**
   * Attaches the pods to a network through a claim. The options are those of the annotation
   * rendering; the ones only Multus can carry (defaultRoute, cniArgs, ipamClaimReference) are
   * refused, and per-pod values must have a plugin of the chain declaring their capability.
   */
  public attach(network: DraNetworkTarget, options: DraAttachmentRequest | Omit<DraAttachmentRequest, 'interface'> & { interface?: string } = {}): DraAttachment {
    const index = this._attachments.length;
    const ifname = options.interface ?? `net${index + 1}`;
    const context = `DraNetworkClaims ${this.node.path} attachment ${index}`;
    const { config, nadName } = this.resolve(network, context);
    const { values, problems } = draCapabilityValues({ ...options, interface: ifname });
    const sink = new ProblemSink();
    sink.addAll(problems);
    // as the annotation rendering does: the capability of each per-pod value is declared on the
    // chain (or refused when no plugin reads it), so both renderings carry the same config
    const missing = undeclaredCapabilities(config.toJson({ name: nadName }), values);
    if (missing.length > 0) {
      sink.addAll(collectProblems(() => {
        for (const cap of missing) config.ensureCapability(cap as CniCapability, cap === 'infinibandGUID' ? 'infinibandGuid' : cap);
      }).problems);
    }
    const podClaim = podClaimNameOf(ifname);
    if (this._attachments.some((a) => a.interface === ifname || a.podClaim === podClaim)) {
      sink.error('interface', 'is already used by another attachment of the workload', ifname, 'give each attachment its own interface name');
    }
    const templateName = `${this.prefix}-${podClaim}`;
    if (templateName.length > 253 || !templateName.split('.').every((l) => DNS1123_LABEL.test(l))) {
      sink.error('name', 'gives a ResourceClaimTemplate name that is not a DNS-1123 subdomain', templateName, 'use a lowercase workload name');
    }
    const render = (): CniDraAttachment => ({ requestName: podClaim, interface: ifname, config: config.toJson({ name: nadName }), capabilityValues: values, deviceClassName: this.deviceClass.name });
    sink.addAll(networkClaimProblems(cniDraClaimSpec(render()), config.profile), 'spec.spec');
    reportProblems(sink.problems, `${context} (${nadName})`);

    // rendered at synth, from the config as the NAD writes it then (a later attach may declare a
    // capability on the shared chain)
    new ApiObject(this, `Claim-${podClaim}`, {
      apiVersion: RESOURCE_API_VERSION,
      kind: 'ResourceClaimTemplate',
      metadata: { name: templateName, namespace: this.namespace },
      spec: { spec: Lazy.any({ produce: () => cniDraClaimSpec(render()) }) },
    } as any);
    const entry: PodResourceClaim = { name: podClaim, resourceClaimTemplateName: templateName };
    if (index === 0) this.workloadObject.addJsonPatch(JsonPatch.add(`${this.podSpecPath}/resourceClaims`, []));
    this.workloadObject.addJsonPatch(JsonPatch.add(`${this.podSpecPath}/resourceClaims/-`, entry));
    const element: NetworkSelectionElement = { name: nadName, namespace: this.namespace, interface: ifname, ...(values.ips ? { ips: values.ips as string[] } : {}), ...(options.mac !== undefined ? { mac: options.mac } : {}) };
    const attachment: DraAttachment = Object.freeze({ podClaim, interface: ifname, templateName, nadName, render, element });
    this._attachments = this._attachments.concat([attachment]);
    return attachment;
  }

  /**
   * The pod claims as the workload renders them: an L1 object that maps its pod spec through older
   * Kubernetes types (cdk8s-plus-27: 1.27, whose PodResourceClaim had a `source`) drops the
   * fields the patches wrote, which would leave pods without their interfaces.
   */
  private topologyPod(workload: IConstruct): TopologyPod {
    return {
      name: this.workloadObject.name,
      namespace: this.namespace,
      path: workload.node.path,
      // as PodNetworks counts them (cdk8s-plus defaults included, one per node for a DaemonSet)
      replicas: PodTemplate.of(workload, `DraNetworkClaims ${this.node.path}`).replicas(),
      attachments: this._attachments.map((a) => a.element),
    };
  }

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

  private resolve(network: DraNetworkTarget, context: string): { config: CniConfig; nadName: string } {
    const nad = network instanceof Network ? network.nadFor(this.namespace) : network;
    if (!NetworkAttachmentDefinition.isNetworkAttachmentDefinition(nad) || !nad.config) {
      const sink = new ProblemSink();
      sink.error('network', 'has no CNI config of the App to carry in a claim', (network as IConstruct)?.node?.path ?? network,
        'pass a Network or a NetworkAttachmentDefinition built with a config');
      reportProblems(sink.problems, context);
    }
    return { config: nad.config!, nadName: nad.name };
  }
}
