import { lintCniConfig } from '../cni/parse';
import { Problem, Severity, renderValue } from '../cni/problem';
import { PluginsProfile } from '../cni/profile';
import {
  DEFAULT_NETWORK_ANNOTATION,
  NETWORKS_ANNOTATION,
  NetworkSelectionElement,
  parseNetworksAnnotation,
  RESOURCE_NAME_ANNOTATION,
} from '../multus/selection-element';
import { draResourceCounts } from '../dra/network-claim-checks';
import { TopologyNetwork, TopologyPod } from '../topology/topology';
import { MANIFEST_LIMITS, ManifestObject, describeObject, jsonNestingDepth } from './manifests';

/**
 * The topology (NADs and the workloads that attach to them) read from Kubernetes objects, shared
 * by `lint` (which checks it) and `verify` (which brings it up). Every NAD's `spec.config` goes
 * through the typed CNI model; every Multus selection annotation through the NPWG parser.
 */

/** The resource-name annotation of device-plugin NADs. */
export { RESOURCE_NAME_ANNOTATION };

/** Workload kinds whose pod template carries the annotations, and where. */
export const POD_TEMPLATES: Readonly<Record<string, (o: any) => any>> = {
  Pod: (o) => o,
  Deployment: (o) => o.spec?.template,
  StatefulSet: (o) => o.spec?.template,
  DaemonSet: (o) => o.spec?.template,
  ReplicaSet: (o) => o.spec?.template,
  ReplicationController: (o) => o.spec?.template,
  Job: (o) => o.spec?.template,
  CronJob: (o) => o.spec?.jobTemplate?.spec?.template,
};

/** A NAD read from a manifest. */
export interface ManifestNetwork extends TopologyNetwork {
  /** The object it was read from. */
  readonly source: ManifestObject;
  /** `spec.config` as written (a string holding JSON), when it is a string. */
  readonly configText?: string;
}

/** A workload (or Pod) with Multus annotations, read from a manifest. */
export interface ManifestPod extends TopologyPod {
  /** The object it was read from. */
  readonly source: ManifestObject;
  /** The object's kind (Pod, Deployment, ...). */
  readonly kind: string;
  /** The pod template's labels. */
  readonly podLabels: Readonly<Record<string, string>>;
}

/** A problem found while reading, with the object it belongs to and the field prefix to add. */
export interface ManifestProblem {
  readonly source: ManifestObject;
  readonly problem: Problem;
  /** Prepended to the problem's field (e.g. `spec.config`), or empty. */
  readonly prefix: string;
}

/**
 * Limits of what one workload may declare, beyond {@link MANIFEST_LIMITS}: replicas are a
 * Kubernetes int32, and a pod attaches to at most 256 networks.
 */
export const WORKLOAD_LIMITS = {
  /** The largest `replicas` (and Job `parallelism`) Kubernetes accepts (int32). */
  maxReplicas: 2_147_483_647,
  /** Attachments per pod (elements of the networks annotation). */
  maxAttachmentsPerPod: 256,
} as const;

/** Options of {@link topologyFromManifests}. */
export interface TopologyFromManifestsOptions {
  /** @default PluginsProfile.UPSTREAM */
  readonly profile?: PluginsProfile;
  /**
   * Keep each object whole as the `source` of what was read from it. When false, a `source`
   * keeps only apiVersion, kind and metadata name and namespace, and networks keep no
   * `configText`: what a streaming lint of a large input needs, in less memory.
   * @default true
   */
  readonly keepObjects?: boolean;
}

/** What {@link topologyFromManifests} read. */
export interface ManifestTopology {
  readonly networks: ManifestNetwork[];
  readonly pods: ManifestPod[];
  /** Problems of single objects, in object order. */
  readonly problems: ManifestProblem[];
  /**
   * The `path` of networks and pods → file, object description and index in the objects. Paths
   * are the object descriptions (`Kind ns/name`), which topology messages quote when they name
   * another object, made unique when repeated.
   */
  readonly where: Map<string, { file: string; object: string; index: number }>;
  /**
   * The problems (also in `problems`) that left an object out of `networks` and `pods`: a NAD or
   * workload too broken to read (bad replicas, a non-string annotation, JSON nested too deep, ...).
   * @default - none
   */
  readonly dropped?: ManifestProblem[];
}

/** The pod template of a workload object (the object itself for a Pod), or undefined. */
export function podTemplateOf(o: any): any {
  const kind = o?.kind;
  if (typeof kind !== 'string' || !Object.hasOwn(POD_TEMPLATES, kind)) return undefined;
  const template = POD_TEMPLATES[kind](o);
  return isObject(template) ? template : undefined;
}

/** The pods a workload runs: undefined for a DaemonSet (one per node). Not checked: see {@link replicasProblem}. */
export function replicasOf(o: any): number | undefined {
  return o.kind === 'DaemonSet' ? undefined
    : o.kind === 'Pod' ? 1
      : (o.kind === 'Job' || o.kind === 'CronJob') ? (o.spec?.parallelism ?? 1)
        : (o.spec?.replicas ?? 1);
}

/** The field {@link replicasOf} reads for a kind, or undefined when the kind has none. */
function replicasField(o: any): string | undefined {
  return o.kind === 'Job' ? 'spec.parallelism'
    : o.kind === 'CronJob' ? 'spec.jobTemplate.spec.parallelism'
      : o.kind === 'DaemonSet' || o.kind === 'Pod' ? undefined : 'spec.replicas';
}

/**
 * The problem of a workload's replica count (`spec.replicas`, or `parallelism` of a Job), if
 * any: it must be a whole number from 0 to {@link WORKLOAD_LIMITS}.maxReplicas (NaN, Infinity,
 * negative numbers and strings are refused).
 */
export function replicasProblem(o: any): Problem | undefined {
  const field = replicasField(o);
  if (field === undefined) return undefined;
  const v = o.kind === 'CronJob' ? o.spec?.jobTemplate?.spec?.parallelism : o.kind === 'Job' ? o.spec?.parallelism : o.spec?.replicas;
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > WORKLOAD_LIMITS.maxReplicas) {
    return {
      // NaN and Infinity (YAML .nan, .inf) shown by name: JSON would print null
      field, message: `must be a whole number from 0 to ${WORKLOAD_LIMITS.maxReplicas}`, value: typeof v === 'number' && !Number.isFinite(v) ? String(v) : v,
      fix: 'write the number of pods, e.g. 3 (the workload is left out of the checks until then)', severity: Severity.ERROR,
    };
  }
  return undefined;
}

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function tooDeepProblem(field: string, text: string): Problem {
  return {
    field, message: `nests JSON deeper than the limit of ${MANIFEST_LIMITS.maxNestingDepth} levels`, value: text,
    fix: 'flatten it: CNI configs and selection elements nest a few levels deep', severity: Severity.ERROR,
  };
}

/** The object reduced to what messages name: apiVersion, kind, metadata name and namespace. */
function slim(m: ManifestObject): ManifestObject {
  const o = m.object;
  if (!isObject(o)) return m;
  const metadata = isObject(o.metadata) ? { name: o.metadata.name, namespace: o.metadata.namespace } : o.metadata;
  return { file: m.file, index: m.index, object: { apiVersion: o.apiVersion, kind: o.kind, metadata } };
}

/**
 * Reads NADs and workloads with Multus annotations one object at a time, keeping only the
 * topology: what {@link topologyFromManifests} does over a list, for callers that stream a large
 * input ({@link visitManifests}) and drop each object once read. One bad object fails that object
 * only: whatever goes wrong while reading it becomes a problem of that object.
 */
export class ManifestTopologyReader {
  public readonly networks: ManifestNetwork[] = [];
  public readonly pods: ManifestPod[] = [];
  public readonly problems: ManifestProblem[] = [];
  public readonly where = new Map<string, { file: string; object: string; index: number }>();
  /** The problems that left an object out (see {@link ManifestTopology.dropped}). */
  public readonly dropped: ManifestProblem[] = [];
  private readonly profile: PluginsProfile;
  private readonly keepObjects: boolean;
  private count = 0;
  /** Devices each DRA claim pins to resource names, by `kind:namespace/name`. */
  private readonly claimCounts = new Map<string, Map<string, number>>();
  /** The claims (`kind:namespace/name`) each pod's resourceClaims name. */
  private readonly claimRefs = new Map<ManifestPod, string[]>();
  /** The source kept for the object being read. */
  private kept?: ManifestObject;

  constructor(opts: TopologyFromManifestsOptions = {}) {
    if (opts.profile !== undefined && !(opts.profile instanceof PluginsProfile)) {
      throw new Error(`'profile' must be a PluginsProfile: got ${renderValue(opts.profile)}; use PluginsProfile.UPSTREAM or PluginsProfile.DEBIAN_1_1_1`);
    }
    if (opts.keepObjects !== undefined && typeof opts.keepObjects !== 'boolean') {
      throw new Error(`'keepObjects' must be true or false: got ${renderValue(opts.keepObjects)}; leave it out to keep the objects`);
    }
    this.profile = opts.profile ?? PluginsProfile.UPSTREAM;
    this.keepObjects = opts.keepObjects ?? true;
  }

  /** Reads one object. */
  public add(m: ManifestObject): void {
    const i = this.count++;
    // when objects are not kept, read a copy: strings the YAML parser cut from the file's text
    // would keep the whole text alive for as long as any of them is kept (a name, a label)
    let read = m;
    if (!this.keepObjects) {
      try {
        read = { file: m.file, index: m.index, object: structuredClone(m.object) };
      } catch {
        // not cloneable (a caller's object with functions): read as given
      }
    }
    const description = describeObject(read.object);
    const key = this.where.has(description) ? `${description} (${m.file} #${m.index})` : description;
    this.where.set(key, { file: m.file, object: description, index: i });
    this.kept = this.keepObjects ? m : slim(read);
    if (m.readNote) {
      this.problem(m, {
        field: `document ${m.index}`, message: 'is not strict YAML; it was read as kubectl reads it', value: m.readNote, severity: Severity.WARNING,
        fix: 'indent the continuation lines of quoted values (e.g. a multi-line spec.config) deeper than their key, so that every YAML tool reads it',
      });
    }
    try {
      this.read(read, key);
    } catch (e) {
      this.drop(m, { field: '', message: 'cannot be read', value: (e as Error)?.message ?? String(e), fix: 'fix the object (it is left out of the checks)', severity: Severity.ERROR });
    }
  }


  /** What was read. */
  public result(): ManifestTopology {
    return { networks: this.networks, pods: this.podsWithClaimedDevices(), problems: this.problems, where: this.where, ...(this.dropped.length > 0 ? { dropped: this.dropped } : {}) };
  }

  /**
   * The pods, each with the devices its DRA claims pin to a resource name (the attribute Multus
   * maps to a NAD's resourceName) added to its resourceRequests: the device-plugin check counts
   * them as it counts extended resources. Claims may come after the pods that use them.
   */
  private podsWithClaimedDevices(): ManifestPod[] {
    if (this.claimRefs.size === 0 || this.claimCounts.size === 0) return this.pods;
    return this.pods.map((pod) => {
      const refs = this.claimRefs.get(pod);
      if (!refs) return pod;
      const requests: Record<string, number> = { ...pod.resourceRequests };
      let added = false;
      for (const ref of refs) {
        for (const [resource, n] of this.claimCounts.get(ref) ?? []) {
          requests[resource] = (requests[resource] ?? 0) + n;
          added = true;
        }
      }
      return added ? { ...pod, resourceRequests: requests } : pod;
    });
  }

  /** A ResourceClaim or ResourceClaimTemplate: only the devices it pins to resource names are kept. */
  private readClaim(o: Record<string, any>, namespace: string): void {
    const isTemplate = o.kind === 'ResourceClaimTemplate';
    const spec = isTemplate ? (isObject(o.spec) ? o.spec.spec : undefined) : o.spec;
    const counts = draResourceCounts([spec]);
    if (counts.size > 0 && typeof o.metadata?.name === 'string') this.claimCounts.set(`${o.kind}:${namespace}/${o.metadata.name}`, counts);
  }

  private problem(_m: ManifestObject, p: Problem, prefix: string = ''): void {
    this.problems.push({ source: this.kept!, problem: p, prefix });
  }

  /** A problem that leaves the object out. */
  private drop(_m: ManifestObject, p: Problem): void {
    const mp = { source: this.kept!, problem: p, prefix: '' };
    this.problems.push(mp);
    this.dropped.push(mp);
  }

  private read(m: ManifestObject, key: string): void {
    const o = m.object;
    if (!isObject(o)) {
      this.drop(m, { field: '', message: 'must be an object', value: o, fix: 'write a Kubernetes object: apiVersion, kind, metadata, ...', severity: Severity.ERROR });
      return;
    }
    const metadata = o.metadata;
    if (metadata !== undefined && !isObject(metadata)) {
      this.drop(m, { field: 'metadata', message: 'must be an object', value: metadata, fix: 'write metadata: {name: ..., namespace: ...}', severity: Severity.ERROR });
      return;
    }
    for (const f of ['name', 'namespace']) {
      const v = metadata?.[f];
      if (v !== undefined && typeof v !== 'string') {
        this.drop(m, { field: `metadata.${f}`, message: 'must be a string', value: v, fix: `write the ${f} as a string (the object is left out of the checks)`, severity: Severity.ERROR });
        return;
      }
    }
    const namespace: string = metadata?.namespace ?? 'default';
    if (o.kind === 'NetworkAttachmentDefinition' && typeof o.apiVersion === 'string' && o.apiVersion.startsWith('k8s.cni.cncf.io/')) {
      this.readNetwork(m, o, key, namespace);
      return;
    }
    if ((o.kind === 'ResourceClaim' || o.kind === 'ResourceClaimTemplate') && typeof o.apiVersion === 'string' && o.apiVersion.startsWith('resource.k8s.io/')) {
      this.readClaim(o, namespace);
      return;
    }
    this.readWorkload(m, o, key, namespace);
  }

  private readNetwork(m: ManifestObject, o: Record<string, any>, key: string, namespace: string): void {
    const name = o.metadata?.name;
    const config = isObject(o.spec) ? o.spec.config : undefined;
    let parsed;
    let configText: string | undefined;
    if (config !== undefined) {
      if (typeof config !== 'string') {
        this.problem(m, { field: 'spec.config', message: 'must be a string holding JSON', value: config, fix: 'serialize the CNI config with JSON.stringify; the CRD stores a string', severity: Severity.ERROR });
      } else if (jsonNestingDepth(config) > MANIFEST_LIMITS.maxNestingDepth) {
        this.problem(m, tooDeepProblem('spec.config', config));
      } else {
        configText = config;
        const r = lintCniConfig(config, { profile: this.profile });
        r.problems.forEach((p) => this.problem(m, p, 'spec.config'));
        // a config name other than the NAD's is no problem: Multus fills in the NAD name only where
        // the config has none (network-attachment-definition-client GetCNIConfigFromSpec) and names
        // the attachment by the NAD in network-status; the plugins key their state by the config
        // name (OVN-K uses it as the cluster-wide network identity)
        parsed = r.config;
      }
    }
    const annotations = isObject(o.metadata?.annotations) ? o.metadata.annotations : {};
    const resourceName = Object.hasOwn(annotations, RESOURCE_NAME_ANNOTATION) ? annotations[RESOURCE_NAME_ANNOTATION] : undefined;
    if (resourceName !== undefined && typeof resourceName !== 'string') {
      this.problem(m, { field: `metadata.annotations["${RESOURCE_NAME_ANNOTATION}"]`, message: 'must be a string', value: resourceName, fix: 'write the device-plugin resource as a string, e.g. "intel.com/sriov_netdevice"', severity: Severity.ERROR });
    }
    this.networks.push({
      name: name ?? '',
      namespace,
      config: parsed,
      resourceName: typeof resourceName === 'string' ? resourceName : undefined,
      path: key,
      source: this.kept!,
      configText: this.keepObjects ? configText : undefined,
    });
  }

  private readWorkload(m: ManifestObject, o: Record<string, any>, key: string, namespace: string): void {
    const template = podTemplateOf(o);
    if (!template) return;
    const rawAnnotations = template.metadata?.annotations;
    const prefix = o.kind === 'Pod' ? 'metadata.annotations' : 'spec.template.metadata.annotations';
    if (rawAnnotations !== undefined && rawAnnotations !== null && !isObject(rawAnnotations)) {
      this.drop(m, { field: prefix, message: 'must be a map of strings', value: rawAnnotations, fix: 'write annotations as key: "value" pairs', severity: Severity.ERROR });
      return;
    }
    const annotations: Record<string, unknown> = rawAnnotations ?? {};
    const text = Object.hasOwn(annotations, NETWORKS_ANNOTATION) ? annotations[NETWORKS_ANNOTATION] : undefined;
    const defaultText = Object.hasOwn(annotations, DEFAULT_NETWORK_ANNOTATION) ? annotations[DEFAULT_NETWORK_ANNOTATION] : undefined;
    if (text === undefined && defaultText === undefined) return;
    for (const [k, v] of [[NETWORKS_ANNOTATION, text], [DEFAULT_NETWORK_ANNOTATION, defaultText]] as const) {
      if (v === undefined) continue;
      const field = `${prefix}["${k}"]`;
      if (typeof v !== 'string') {
        this.drop(m, { field, message: 'must be a string', value: v, fix: 'quote the annotation value: Kubernetes annotations are strings', severity: Severity.ERROR });
        return;
      }
      if (jsonNestingDepth(v) > MANIFEST_LIMITS.maxNestingDepth) {
        this.drop(m, tooDeepProblem(field, v));
        return;
      }
    }
    const replicas = replicasProblem(o);
    if (replicas) {
      this.drop(m, replicas);
      return;
    }
    let attachments: NetworkSelectionElement[] = [];
    if (text !== undefined) {
      const field = `${prefix}["${NETWORKS_ANNOTATION}"]`;
      const parsed = parseNetworksAnnotation(text as string, field);
      parsed.problems.forEach((p) => this.problem(m, p));
      attachments = parsed.elements;
      if (attachments.length > WORKLOAD_LIMITS.maxAttachmentsPerPod) {
        this.drop(m, {
          field, message: `attaches the pod to more networks than the limit of ${WORKLOAD_LIMITS.maxAttachmentsPerPod}`, value: attachments.length,
          fix: `split the workload: a pod has at most ${WORKLOAD_LIMITS.maxAttachmentsPerPod} attachments`, severity: Severity.ERROR,
        });
        return;
      }
    }
    let defaultNetwork: NetworkSelectionElement | undefined;
    if (defaultText !== undefined) {
      const field = `${prefix}["${DEFAULT_NETWORK_ANNOTATION}"]`;
      const parsed = parseNetworksAnnotation(defaultText as string, field);
      parsed.problems.forEach((p) => this.problem(m, p));
      if (parsed.elements.length > 1) {
        this.problem(m, { field, message: 'names more than one network', value: defaultText, fix: 'name exactly one NAD', severity: Severity.ERROR });
      }
      defaultNetwork = parsed.elements[0];
    }
    const spec = isObject(template.spec) ? template.spec : {};
    const containers = [...(Array.isArray(spec.containers) ? spec.containers : []), ...(Array.isArray(spec.initContainers) ? spec.initContainers : [])];
    const resourceRequests = new Map<string, number>();
    for (const c of containers) {
      const resources = isObject(c) && isObject(c.resources) ? c.resources : {};
      const amounts = new Map<string, unknown>();
      for (const part of [resources.limits, resources.requests]) {
        if (isObject(part)) for (const [res, qty] of Object.entries(part)) amounts.set(res, qty);
      }
      for (const [res, qty] of amounts) {
        if (!res.includes('/')) continue;
        const n = Number(qty);
        if (Number.isFinite(n) && n >= 0) resourceRequests.set(res, (resourceRequests.get(res) ?? 0) + n);
      }
    }
    const claimRefs: string[] = [];
    for (const rc of Array.isArray(spec.resourceClaims) ? spec.resourceClaims : []) {
      if (!isObject(rc)) continue;
      if (typeof rc.resourceClaimTemplateName === 'string') claimRefs.push(`ResourceClaimTemplate:${namespace}/${rc.resourceClaimTemplateName}`);
      else if (typeof rc.resourceClaimName === 'string') claimRefs.push(`ResourceClaim:${namespace}/${rc.resourceClaimName}`);
    }
    const labels = isObject(template.metadata?.labels) ? template.metadata.labels : {};
    const pod: ManifestPod = {
      name: o.metadata?.name ?? '',
      namespace,
      path: key,
      replicas: replicasOf(o),
      attachments,
      defaultNetwork,
      resourceRequests: Object.fromEntries(resourceRequests),
      source: this.kept!,
      kind: o.kind,
      podLabels: Object.fromEntries(Object.entries(labels).filter(([, v]) => typeof v === 'string')) as Record<string, string>,
    };
    this.pods.push(pod);
    if (claimRefs.length > 0) this.claimRefs.set(pod, claimRefs);
  }
}

/**
 * Reads NADs and workloads with Multus annotations from objects. Networks and pods carry as
 * `path` their key in `where`.
 */
export function topologyFromManifests(objects: readonly ManifestObject[], opts: TopologyFromManifestsOptions = {}): ManifestTopology {
  if (!Array.isArray(objects)) throw new Error(`'objects' must be a list of manifest objects: got ${renderValue(objects)}; pass the objects of readManifests`);
  const reader = new ManifestTopologyReader(opts);
  for (const m of objects) reader.add(m);
  return reader.result();
}
