import { DEFAULT_NETWORK_ANNOTATION, NETWORKS_ANNOTATION, parseNetworksAnnotation } from '../multus/selection-element';

/**
 * Plans the deployment of synthesized Kubernetes objects as separate resources: a stable name
 * and key for each object, the objects each one must wait for, and an order in which every
 * object comes after the objects it waits for. Plain data in, plain data out: no Pulumi here,
 * so the plan is tested on its own.
 */

/** A synthesized Kubernetes object, as `chart.toJson()` returns it. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly annotations?: Record<string, string>;
    readonly [key: string]: unknown;
  };
  readonly [key: string]: unknown;
}

/** Why one object waits for another. */
export enum DependencyReason {
  /** The object lives in a Namespace of the same deployment. */
  NAMESPACE = 'namespace',
  /** The object is a custom resource whose CustomResourceDefinition is in the same deployment. */
  CUSTOM_RESOURCE_DEFINITION = 'crd',
  /** The workload's pods attach to a NetworkAttachmentDefinition (Multus annotations). */
  NETWORK_ATTACHMENT = 'network-attachment',
  /** The workload's pods run as a ServiceAccount, or read a ConfigMap, Secret or claim. */
  POD_REFERENCE = 'pod-reference',
  /** The cdk8s constructs declared the dependency (`addDependency`). */
  CONSTRUCT = 'construct',
}

/** One edge of the plan: `from` must exist before the object that lists it. */
export interface PlannedDependency {
  /** The key of the object waited for. */
  readonly key: string;
  readonly reason: DependencyReason;
}

/** One object of the plan. */
export interface PlannedObject {
  /** `<apiVersion>/<kind>/<namespace>/<name>`, or `<apiVersion>/<kind>/<name>` without a namespace. */
  readonly key: string;
  /** The resource name suffix: `<kind>[.<group>]-[<namespace>/]<name>`, lowercase kind. */
  readonly suffix: string;
  readonly object: KubeObject;
  /** The objects this one waits for, in plan order, each once. */
  readonly dependencies: readonly PlannedDependency[];
}

/** An extra dependency known to the caller (e.g. from cdk8s `addDependency`), by object index. */
export interface ExtraDependency {
  /** Index of the dependent object in the input list. */
  readonly from: number;
  /** Index of the object it waits for. */
  readonly to: number;
}

/** The API group of an apiVersion: `apps/v1` -> `apps`, `v1` -> `` (core). */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The key of an object in the plan and in the component's `resources`. */
export function objectKey(apiVersion: string, kind: string, name: string, namespace?: string): string {
  return namespace ? `${apiVersion}/${kind}/${namespace}/${name}` : `${apiVersion}/${kind}/${name}`;
}

/**
 * The resource name suffix of an object: the lowercase kind qualified by its group as kubectl
 * writes it (`deployment.apps`, `configmap`), then `namespace/name`. It depends only on the object
 * itself, so adding another object never renames a resource.
 */
export function objectSuffix(obj: KubeObject): string {
  const group = apiGroup(obj.apiVersion);
  const kind = group ? `${obj.kind.toLowerCase()}.${group}` : obj.kind.toLowerCase();
  const ns = obj.metadata?.namespace;
  return ns ? `${kind}-${ns}/${obj.metadata?.name}` : `${kind}-${obj.metadata?.name}`;
}

const NAD_GROUP = 'k8s.cni.cncf.io';
const NAD_KIND = 'NetworkAttachmentDefinition';

/** Workload kinds (built-in groups) and where their pod template lives. */
const POD_TEMPLATE_PATHS: Record<string, readonly string[]> = {
  '/Pod': [],
  '/ReplicationController': ['spec', 'template'],
  '/PodTemplate': ['template'],
  'apps/Deployment': ['spec', 'template'],
  'apps/StatefulSet': ['spec', 'template'],
  'apps/DaemonSet': ['spec', 'template'],
  'apps/ReplicaSet': ['spec', 'template'],
  'batch/Job': ['spec', 'template'],
  'batch/CronJob': ['spec', 'jobTemplate', 'spec', 'template'],
};

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function at(v: unknown, path: readonly string[]): unknown {
  let cur = v;
  for (const p of path) {
    if (!isObject(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The pod template (metadata + spec) of a workload, or undefined for other kinds. */
export function podTemplateOf(obj: KubeObject): { metadata?: Json; spec?: Json } | undefined {
  const path = POD_TEMPLATE_PATHS[`${apiGroup(obj.apiVersion)}/${obj.kind}`];
  if (!path) return undefined;
  const t = path.length === 0 ? obj : at(obj, path);
  if (!isObject(t)) return undefined;
  return { metadata: isObject(t.metadata) ? t.metadata : undefined, spec: isObject(t.spec) ? t.spec : undefined };
}

/**
 * The NetworkAttachmentDefinitions a pod template attaches to, as `namespace/name` (namespace
 * empty when neither the reference nor the workload names one). Reads the networks annotation in
 * both forms and the default-network annotation. Unparsable text yields no reference: checking
 * the annotation is the topology checks' job, not the deployment's.
 */
export function networkReferences(annotations: Record<string, unknown> | undefined, podNamespace: string | undefined): string[] {
  const refs: string[] = [];
  for (const annotation of [NETWORKS_ANNOTATION, DEFAULT_NETWORK_ANNOTATION]) {
    const text = annotations?.[annotation];
    if (typeof text !== 'string') continue;
    for (const e of parseNetworksAnnotation(text, annotation).elements) {
      if (typeof e.name !== 'string' || e.name === '') continue;
      const ns = typeof e.namespace === 'string' && e.namespace !== '' ? e.namespace : podNamespace ?? '';
      const ref = `${ns}/${e.name}`;
      if (!refs.includes(ref)) refs.push(ref);
    }
  }
  return refs;
}

/** Objects a pod spec names in its own namespace, as `Kind/name` (ServiceAccount, ConfigMap, Secret, PVC). */
export function podSpecReferences(spec: Json | undefined): string[] {
  if (!spec) return [];
  const refs = new Set<string>();
  const add = (kind: string, name: unknown): void => {
    const n = str(name);
    if (n) refs.add(`${kind}/${n}`);
  };
  add('ServiceAccount', spec.serviceAccountName ?? spec.serviceAccount);
  for (const s of list(spec.imagePullSecrets)) add('Secret', at(s, ['name']));
  for (const v of list(spec.volumes)) {
    add('ConfigMap', at(v, ['configMap', 'name']));
    add('Secret', at(v, ['secret', 'secretName']));
    add('PersistentVolumeClaim', at(v, ['persistentVolumeClaim', 'claimName']));
    for (const src of list(at(v, ['projected', 'sources']))) {
      add('ConfigMap', at(src, ['configMap', 'name']));
      add('Secret', at(src, ['secret', 'name']));
    }
  }
  for (const c of [...list(spec.containers), ...list(spec.initContainers), ...list(spec.ephemeralContainers)]) {
    for (const f of list(at(c, ['envFrom']))) {
      add('ConfigMap', at(f, ['configMapRef', 'name']));
      add('Secret', at(f, ['secretRef', 'name']));
    }
    for (const e of list(at(c, ['env']))) {
      add('ConfigMap', at(e, ['valueFrom', 'configMapKeyRef', 'name']));
      add('Secret', at(e, ['valueFrom', 'secretKeyRef', 'name']));
    }
  }
  return [...refs];
}

/**
 * Plans the objects: validates that each has a kind and a name and appears once, finds the
 * dependencies, and returns the objects in an order where every object follows the ones it waits
 * for (input order otherwise, so the plan is deterministic).
 *
 * Dependencies found:
 * - a Namespace before every object whose `metadata.namespace` names it;
 * - a CustomResourceDefinition before every object of its group and kind;
 * - a NetworkAttachmentDefinition before every workload whose pod template selects it
 *   (`k8s.v1.cni.cncf.io/networks`, JSON or short form, and `v1.multus-cni.io/default-network`);
 * - ServiceAccounts, ConfigMaps, Secrets and PersistentVolumeClaims before the workloads whose pod
 *   template names them;
 * - the `extra` dependencies the caller passes.
 *
 * Only objects in `objects` are waited for: a reference to anything else adds no dependency.
 * `labels` name the objects in error messages (default `objects[<index>]`).
 */
export function planDeployment(
  objects: readonly KubeObject[],
  extra: readonly ExtraDependency[] = [],
  labels: readonly string[] = objects.map((_, i) => `objects[${i}]`),
): PlannedObject[] {
  const keys: string[] = [];
  const byKey = new Map<string, number>();
  objects.forEach((obj, i) => {
    const where = labels[i] ?? `objects[${i}]`;
    if (!isObject(obj) || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string' || obj.apiVersion === '' || obj.kind === '') {
      throw new Error(`'${where}' must have an apiVersion and a kind: got ${JSON.stringify(obj)}; synthesize the object with cdk8s (chart.toJson())`);
    }
    const name = obj.metadata?.name;
    if (typeof name !== 'string' || name === '') {
      throw new Error(`'${where}.metadata.name' must be a non-empty string: got ${JSON.stringify(name)}; give the ${obj.kind} a name`);
    }
    const key = objectKey(obj.apiVersion, obj.kind, name, obj.metadata?.namespace);
    if (byKey.has(key)) {
      throw new Error(`'${where}' appears twice in the deployment: got ${JSON.stringify(key)}; deploy each chart once and give each object a unique name`);
    }
    byKey.set(key, i);
    keys.push(key);
  });

  const namespaces = new Map<string, number>();
  const crds = new Map<string, number>();
  const nads = new Map<string, number>();
  const podInputs = new Map<string, number>();
  objects.forEach((obj, i) => {
    const group = apiGroup(obj.apiVersion);
    const name = obj.metadata!.name!;
    if (group === '' && obj.kind === 'Namespace') namespaces.set(name, i);
    if (group === 'apiextensions.k8s.io' && obj.kind === 'CustomResourceDefinition') {
      const g = str(at(obj, ['spec', 'group']));
      const k = str(at(obj, ['spec', 'names', 'kind']));
      if (g && k) crds.set(`${g}/${k}`, i);
    }
    if (group === NAD_GROUP && obj.kind === NAD_KIND) nads.set(`${obj.metadata?.namespace ?? ''}/${name}`, i);
    if (group === '' && ['ServiceAccount', 'ConfigMap', 'Secret', 'PersistentVolumeClaim'].includes(obj.kind)) {
      podInputs.set(`${obj.metadata?.namespace ?? ''}/${obj.kind}/${name}`, i);
    }
  });

  const deps: Map<number, DependencyReason>[] = objects.map(() => new Map());
  const addDep = (from: number, to: number | undefined, reason: DependencyReason): void => {
    if (to === undefined || to === from || deps[from].has(to)) return;
    deps[from].set(to, reason);
  };
  objects.forEach((obj, i) => {
    const ns = obj.metadata?.namespace;
    if (ns) addDep(i, namespaces.get(ns), DependencyReason.NAMESPACE);
    addDep(i, crds.get(`${apiGroup(obj.apiVersion)}/${obj.kind}`), DependencyReason.CUSTOM_RESOURCE_DEFINITION);
    const template = podTemplateOf(obj);
    if (template) {
      for (const ref of networkReferences(template.metadata?.annotations as Record<string, unknown> | undefined, ns)) {
        addDep(i, nads.get(ref), DependencyReason.NETWORK_ATTACHMENT);
      }
      for (const ref of podSpecReferences(template.spec)) {
        addDep(i, podInputs.get(`${ns ?? ''}/${ref}`), DependencyReason.POD_REFERENCE);
      }
    }
  });
  for (const e of extra) {
    if (objects[e.from] === undefined || objects[e.to] === undefined) {
      throw new Error(`'extra' names an object that is not in the list: got ${JSON.stringify(e)}; pass indexes into objects`);
    }
    addDep(e.from, e.to, DependencyReason.CONSTRUCT);
  }

  // Kahn's algorithm, always taking the lowest ready index: input order unless a dependency says otherwise.
  const waiting = deps.map((d) => d.size);
  const dependents: number[][] = objects.map(() => []);
  deps.forEach((d, i) => d.forEach((_, to) => dependents[to].push(i)));
  const ready = objects.map((_, i) => i).filter((i) => waiting[i] === 0);
  const order: number[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => a - b);
    const i = ready.shift()!;
    order.push(i);
    for (const d of dependents[i]) if (--waiting[d] === 0) ready.push(d);
  }
  if (order.length !== objects.length) {
    const stuck = keys.filter((_, i) => waiting[i] > 0);
    throw new Error(`'objects' have a dependency cycle: got ${JSON.stringify(stuck)}; remove the addDependency that closes the cycle`);
  }
  const position = new Map(order.map((i, p) => [i, p]));
  return order.map((i) => ({
    key: keys[i],
    suffix: objectSuffix(objects[i]),
    object: objects[i],
    dependencies: [...deps[i].entries()]
      .sort((a, b) => position.get(a[0])! - position.get(b[0])!)
      .map(([to, reason]) => ({ key: keys[to], reason })),
  }));
}
