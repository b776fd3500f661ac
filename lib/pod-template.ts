import { ApiObject, JsonPatch } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ProblemSink, renderValue } from './cni/problem';

/**
 * Where the pod template of each workload kind lives in its manifest, as a JSON pointer (the Pod
 * is its own template). A kind missing here has no pod template the library knows of.
 */
export const POD_TEMPLATE_POINTERS: Readonly<Record<string, string>> = Object.freeze({
  Pod: '',
  Deployment: '/spec/template',
  StatefulSet: '/spec/template',
  DaemonSet: '/spec/template',
  ReplicaSet: '/spec/template',
  ReplicationController: '/spec/template',
  Job: '/spec/template',
  CronJob: '/spec/jobTemplate/spec/template',
});

/** A Kubernetes quantity (resource.Quantity's text form), e.g. `2Gi`, `500m`, `1`. */
export const QUANTITY = /^[+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;

/** A qualified name's name part (Kubernetes `IsQualifiedName`): at most 63 characters. */
const QUALIFIED_NAME_PART = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
/** A DNS-1123 subdomain (the prefix of a qualified name). */
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** The huge page resources: `hugepages-<page size>`, the size a binary quantity such as 2Mi or 1Gi. */
const HUGEPAGES = /^hugepages-[0-9]+(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;
/** Resources of the pod's own `resources` (cdk8s-plus's `resources` prop, or the manifest). */
const NATIVE_RESOURCES: ReadonlySet<string> = new Set(['cpu', 'memory', 'ephemeral-storage', 'storage']);

/**
 * The problems of an extended resource request (a device-plugin resource such as
 * `intel.com/sriov_netdevice`, or huge pages `hugepages-2Mi`), as Kubernetes validates a
 * container's resources: a vendor resource is a qualified name with a domain outside
 * kubernetes.io and takes a whole number (devices cannot be split); huge pages take any
 * quantity of bytes.
 * @param fields the names the problems are reported under
 */
export function resourceRequestProblems(resource: unknown, quantity: unknown, sink: ProblemSink,
  fields: { readonly resource: string; readonly quantity: string } = { resource: 'resource', quantity: 'quantity' }): void {
  if (typeof resource !== 'string' || resource === '') {
    sink.error(fields.resource, 'must be a resource name', resource, 'write a vendor resource such as "intel.com/sriov_netdevice", or "hugepages-2Mi"');
    return;
  }
  const hugepages = isHugePages(resource);
  if (NATIVE_RESOURCES.has(resource)) {
    sink.error(fields.resource, 'is a resource of the container\'s own requests and limits, not an extended resource', resource,
      'set it in the container\'s resources (cdk8s-plus `resources`, or the manifest)');
  } else if (hugepages) {
    if (!HUGEPAGES.test(resource)) sink.error(fields.resource, 'is not a huge page resource: hugepages-<page size>', resource, 'write e.g. "hugepages-2Mi" or "hugepages-1Gi"');
  } else {
    const slash = resource.indexOf('/');
    const prefix = slash < 0 ? '' : resource.slice(0, slash);
    const name = resource.slice(slash + 1);
    if (slash < 0 || prefix === '' || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix) || name.length > 63 || !QUALIFIED_NAME_PART.test(name)) {
      sink.error(fields.resource, 'is not an extended resource name: <domain>/<name>', resource, 'write the resource with its vendor domain, e.g. "intel.com/sriov_netdevice"');
    } else if (prefix === 'kubernetes.io' || prefix.endsWith('.kubernetes.io') || resource.startsWith('requests.')) {
      sink.error(fields.resource, 'is in the kubernetes.io domain, which Kubernetes keeps for its own resources', resource, 'use the resource name the device plugin advertises (its vendor domain)');
    }
  }
  if (typeof quantity !== 'string' || !QUANTITY.test(quantity)) {
    sink.error(fields.quantity, 'must be a Kubernetes quantity', quantity, hugepages ? 'write a quantity of bytes such as "1Gi"' : 'write a whole number such as "2"');
  } else if (hugepages && HUGEPAGES.test(resource) && !isPageMultiple(quantity, resource.slice('hugepages-'.length))) {
    sink.error(fields.quantity, `must be a positive whole number of ${resource.slice('hugepages-'.length)} pages`, quantity, `write a multiple of the page size, e.g. "${resource === 'hugepages-1Gi' ? '2Gi' : '512Mi'}"`);
  } else if (!hugepages && !isWholeQuantity(quantity)) {
    sink.error(fields.quantity, 'must be a whole number for an extended resource (devices are not split)', quantity, 'write a whole number such as "2"');
  }
}

/**
 * Kubernetes refuses a container with huge pages but neither a cpu nor a memory request or limit
 * ("HugePages require cpu or memory", pkg/apis/core/validation `validateResourceRequirements`).
 */
export const HUGEPAGES_NEED_COMPUTE = {
  message: 'is huge pages, but the container has no cpu nor memory request or limit, which Kubernetes requires with huge pages',
  fix: 'give the container a memory request (cdk8s-plus `resources`, or the manifest)',
} as const;

/** Whether a resource name is one of huge pages. */
export function isHugePages(resource: string): boolean {
  return resource.startsWith('hugepages-');
}

/** A quantity's value as a fraction (numerator, denominator), exactly. */
function quantityValue(q: string): [bigint, bigint] {
  const m = QUANTITY.exec(q)!;
  const [whole, fraction = ''] = m[1].split('.');
  const suffix = m[3] ?? '';
  // value = digits × 10^(exponent − fraction length) × 1024^binary
  const digits = BigInt(`${whole}${fraction}` || '0');
  const binary = suffix.endsWith('i') ? 'KMGTPE'.indexOf(suffix[0]) + 1 : 0;
  const exponent = /^[eE]/.test(suffix) && suffix.length > 1 ? Number(suffix.slice(1))
    : ({ m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 } as Record<string, number>)[suffix] ?? 0;
  const shift = exponent - fraction.length;
  const num = digits * 1024n ** BigInt(binary);
  return shift >= 0 ? [num * 10n ** BigInt(shift), 1n] : [num, 10n ** BigInt(-shift)];
}

/** Whether a quantity's value is a whole number (e.g. `2`, `1k`, `1.5k`, `2e3`; not `500m`, `1.5`, `1e-3`). */
function isWholeQuantity(q: string): boolean {
  const [num, den] = quantityValue(q);
  return num % den === 0n;
}

/** Whether a quantity of bytes is a positive whole number of pages of `page` (a quantity). */
function isPageMultiple(q: string, page: string): boolean {
  const [num, den] = quantityValue(q);
  const [pageNum, pageDen] = quantityValue(page);
  // q / page = (num × pageDen) / (den × pageNum), a positive whole number
  return num > 0n && pageNum > 0n && (num * pageDen) % (den * pageNum) === 0n;
}

/** Kinds whose pods run one per node: the replica count is not a number. */
const PER_NODE_KINDS: ReadonlySet<string> = new Set(['DaemonSet']);

/** The metadata API of cdk8s (`ApiObjectMetadataDefinition`), as a cdk8s-plus workload offers it for its pods. */
interface PodMetadata {
  addAnnotation(key: string, value: string): void;
  addLabel(key: string, value: string): void;
  toJson(): any;
}

/** What this module reads of a cdk8s-plus workload or Pod (plus-27 and plus-33 alike): public members only. */
interface PlusWorkload extends IConstruct {
  readonly podMetadata: PodMetadata;
  readonly replicas?: number;
  readonly hasAutoscaler?: boolean;
}

function isPlusWorkload(w: IConstruct): w is PlusWorkload {
  if (w === null || typeof w !== 'object') return false;
  const m = (w as unknown as { podMetadata?: unknown }).podMetadata;
  return typeof m === 'object' && m !== null && typeof (m as PodMetadata).addAnnotation === 'function';
}

/** Escapes a key for a JSON pointer (RFC 6901). */
export function pointerKey(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The value at a JSON pointer of a plain object, or undefined. */
function at(json: unknown, pointer: string): any {
  let v: any = json;
  for (const part of pointer.split('/').slice(1)) {
    if (v === null || typeof v !== 'object') return undefined;
    v = v[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return v;
}

/**
 * Whether an API object writes its manifest again from typed props after the JSON patches (the
 * generated L1 classes of cdk8s-plus and `cdk8s import` do: a quantity must then be an object with
 * a `value`, or it is dropped). Found on the object's prototype chain: its `toJson` is not the one
 * of the ApiObject class that defines `addJsonPatch` (the same in every copy of cdk8s).
 */
function rewritesAfterPatches(o: ApiObject): boolean {
  let proto = Object.getPrototypeOf(o);
  while (proto && !Object.prototype.hasOwnProperty.call(proto, 'addJsonPatch')) proto = Object.getPrototypeOf(proto);
  return !!proto && o.toJson !== proto.toJson;
}

/**
 * The pod template of a workload, whoever made it: a cdk8s-plus workload or Pod (reached through
 * its public `podMetadata`), or an `ApiObject` with a pod template (from `Include`, `Helm`, or
 * hand-made), located by its kind. Annotations go to the pods; extended resources to a container.
 */
export class PodTemplate {
  /**
   * The pod template of `workload`; throws in the house style when it has none.
   * @param context what errors are prefixed with
   */
  public static of(workload: IConstruct, context: string): PodTemplate {
    if (isPlusWorkload(workload)) return new PodTemplate(workload, ApiObject.of(workload), workload);
    if (ApiObject.isApiObject(workload)) {
      if (POD_TEMPLATE_POINTERS[workload.kind] === undefined) {
        throw new Error(`${context}: 'workload' is a ${workload.kind}, which has no pod template: got ${renderValue(workload.node.path)}; `
          + `pass a workload of kind ${Object.keys(POD_TEMPLATE_POINTERS).join(', ')}`);
      }
      return new PodTemplate(workload, workload, undefined);
    }
    throw new Error(`${context}: 'workload' is not a workload with a pod template: got ${renderValue(workload?.node?.path ?? workload)}; `
      + 'pass a cdk8s-plus workload or Pod, or an ApiObject of a workload kind (from Include, Helm or your own)');
  }

  /** The workload kind (`Deployment`, `Pod`, ...). */
  public readonly kind: string;
  /** JSON pointer of the pod template in the manifest ('' for a Pod). */
  public readonly pointer: string;
  /** The containers whose `resources.requests` and `.limits` maps exist (after the first patch). */
  private preparedContainers?: Set<number>;
  /** Whether the template's `metadata.annotations` map exists (after the first patch). */
  private annotationsPrepared = false;

  private constructor(
    /** The construct that was passed (the workload). */
    public readonly workload: IConstruct,
    /** The manifest object. */
    public readonly apiObject: ApiObject,
    private readonly plus: PlusWorkload | undefined,
  ) {
    this.kind = apiObject.kind;
    this.pointer = POD_TEMPLATE_POINTERS[this.kind] ?? '/spec/template';
  }

  /** The workload's name. */
  public get name(): string {
    return this.apiObject.name;
  }

  /** The namespace the pods run in (`default` when the manifest names none). */
  public get namespace(): string {
    return this.apiObject.metadata.namespace ?? 'default';
  }

  /** The manifest as it is rendered now (patches included). */
  public render(): any {
    return this.apiObject.toJson();
  }

  /**
   * How many pods run the template: a number, or undefined when it is not one (a DaemonSet runs
   * one per node; an autoscaled workload varies). cdk8s-plus workloads: their `replicas` with
   * cdk8s-plus's defaults (Deployment 2, StatefulSet 1); manifests: `spec.replicas` (default 1),
   * Jobs their `parallelism`.
   */
  public replicas(): number | undefined {
    if (PER_NODE_KINDS.has(this.kind)) return undefined;
    if (this.kind === 'Pod') return 1;
    if (this.plus) {
      if (this.plus.hasAutoscaler) return undefined;
      if (typeof this.plus.replicas === 'number') return this.plus.replicas;
      if (this.kind === 'Deployment') return 2;
      return 1;
    }
    const json = this.render();
    const spec = this.kind === 'CronJob' ? at(json, '/spec/jobTemplate/spec') : json.spec;
    const n = this.kind === 'Job' || this.kind === 'CronJob' ? spec?.parallelism : spec?.replicas;
    return typeof n === 'number' ? n : 1;
  }

  /**
   * Whether annotation values may be tokens resolved at synth (cdk8s-plus pod metadata); on a
   * manifest object they are patches, fixed when written.
   */
  public get acceptsTokens(): boolean {
    return this.plus !== undefined;
  }

  /** The pods' annotation `key` as the template has it now. */
  public annotation(key: string): unknown {
    if (this.plus) return this.plus.podMetadata.toJson()?.annotations?.[key];
    return at(this.render(), `${this.pointer}/metadata/annotations/${pointerKey(key)}`);
  }

  /**
   * Sets a pod annotation. On a cdk8s-plus workload the value may be a token (resolved at synth);
   * on a manifest it is written by a JSON patch now, and a later call for the same key wins.
   */
  public setAnnotation(key: string, value: string): void {
    if (this.plus) {
      this.plus.podMetadata.addAnnotation(key, value);
      return;
    }
    const meta = `${this.pointer}/metadata`;
    if (!this.annotationsPrepared) {
      const json = this.render();
      if (at(json, meta) === undefined) this.apiObject.addJsonPatch(JsonPatch.add(meta, {}));
      if (at(json, `${meta}/annotations`) === undefined) this.apiObject.addJsonPatch(JsonPatch.add(`${meta}/annotations`, {}));
      this.annotationsPrepared = true;
    }
    this.apiObject.addJsonPatch(JsonPatch.add(`${meta}/annotations/${pointerKey(key)}`, value));
  }

  /** Sets a pod label (not the workload's selector: the pods it selects keep matching). */
  public setLabel(key: string, value: string): void {
    if (this.plus) {
      this.plus.podMetadata.addLabel(key, value);
      return;
    }
    const meta = `${this.pointer}/metadata`;
    const json = this.render();
    if (at(json, meta) === undefined) this.apiObject.addJsonPatch(JsonPatch.add(meta, {}));
    if (at(json, `${meta}/labels`) === undefined) this.apiObject.addJsonPatch(JsonPatch.add(`${meta}/labels`, {}));
    this.apiObject.addJsonPatch(JsonPatch.add(`${meta}/labels/${pointerKey(key)}`, value));
  }

  /** Whether a container has a cpu or memory request or limit, as the template renders now. */
  public hasComputeResources(container: number): boolean {
    const r = at(this.render(), `${this.pointer}/spec/containers/${container}/resources`);
    const has = (m: unknown) => typeof m === 'object' && m !== null && ('cpu' in m || 'memory' in m);
    return has(r?.requests) || has(r?.limits);
  }

  /** The names of the (regular) containers, in order. */
  public containerNames(): string[] {
    const containers = at(this.render(), `${this.pointer}/spec/containers`);
    return Array.isArray(containers) ? containers.map((c) => String(c?.name)) : [];
  }

  /**
   * Sets an extended resource (e.g. `intel.com/sriov`, `hugepages-1Gi`) of a container, as
   * request and limit alike (extended resources cannot be overcommitted), to `quantity`. A later
   * call for the same container and resource wins.
   */
  public setContainerResource(container: number, resource: string, quantity: string): void {
    const base = `${this.pointer}/spec/containers/${container}/resources`;
    const prepared = (this.preparedContainers ??= new Set());
    if (!prepared.has(container)) {
      // the maps exist only when the container has a request or a limit of its own (cdk8s-plus
      // renders no empty maps): create the missing ones
      const r = at(this.render(), base);
      if (r === undefined || r === null) this.apiObject.addJsonPatch(JsonPatch.add(base, { requests: {}, limits: {} }));
      else {
        if (r.requests === undefined) this.apiObject.addJsonPatch(JsonPatch.add(`${base}/requests`, {}));
        if (r.limits === undefined) this.apiObject.addJsonPatch(JsonPatch.add(`${base}/limits`, {}));
      }
      prepared.add(container);
    }
    const value = rewritesAfterPatches(this.apiObject) ? { value: quantity } : quantity;
    const key = pointerKey(resource);
    this.apiObject.addJsonPatch(JsonPatch.add(`${base}/requests/${key}`, value), JsonPatch.add(`${base}/limits/${key}`, value));
  }
}
