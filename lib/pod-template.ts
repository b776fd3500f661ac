import { ApiObject, JsonPatch } from 'cdk8s';
import { IConstruct } from 'constructs';
import { renderValue } from './cni/problem';

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
   * Lists a pod claim in a container's `resources.claims` (DRA: the container gets the devices the
   * claim's driver injects, e.g. the device node of a VF bound to vfio-pci). The maps are created
   * where the template, as rendered now, has none.
   */
  public addContainerClaim(container: number, claim: string): void {
    const base = `${this.pointer}/spec/containers/${container}/resources`;
    const r = at(this.render(), base);
    if (r === undefined || r === null) this.apiObject.addJsonPatch(JsonPatch.add(base, { claims: [] }));
    else if (!Array.isArray(r.claims)) this.apiObject.addJsonPatch(JsonPatch.add(`${base}/claims`, []));
    this.apiObject.addJsonPatch(JsonPatch.add(`${base}/claims/-`, { name: claim }));
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
