import { lintCniConfig } from '../cni/parse';
import { Problem, Severity } from '../cni/problem';
import { PluginsProfile } from '../cni/profile';
import {
  DEFAULT_NETWORK_ANNOTATION,
  NETWORKS_ANNOTATION,
  NetworkSelectionElement,
  parseNetworksAnnotation,
  RESOURCE_NAME_ANNOTATION,
} from '../multus/selection-element';
import { TopologyNetwork, TopologyPod } from '../topology/topology';
import { ManifestObject, describeObject } from './manifests';

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

/** Options of {@link topologyFromManifests}. */
export interface TopologyFromManifestsOptions {
  /** @default PluginsProfile.UPSTREAM */
  readonly profile?: PluginsProfile;
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
}

/** The pod template of a workload object (the object itself for a Pod), or undefined. */
export function podTemplateOf(o: any): any {
  return POD_TEMPLATES[o?.kind]?.(o);
}

/** The pods a workload runs: undefined for a DaemonSet (one per node). */
export function replicasOf(o: any): number | undefined {
  return o.kind === 'DaemonSet' ? undefined
    : o.kind === 'Pod' ? 1
      : (o.kind === 'Job' || o.kind === 'CronJob') ? (o.spec?.parallelism ?? 1)
        : (o.spec?.replicas ?? 1);
}

/**
 * Reads NADs and workloads with Multus annotations from objects. Networks and pods carry as
 * `path` their key in `where`.
 */
export function topologyFromManifests(objects: readonly ManifestObject[], opts: TopologyFromManifestsOptions = {}): ManifestTopology {
  const profile = opts.profile ?? PluginsProfile.UPSTREAM;
  const problems: ManifestProblem[] = [];
  const where = new Map<string, { file: string; object: string; index: number }>();
  const add = (m: ManifestObject, p: Problem, prefix: string) => problems.push({ source: m, problem: p, prefix });
  const networks: ManifestNetwork[] = [];
  const pods: ManifestPod[] = [];

  objects.forEach((m, i) => {
    const o = m.object;
    const description = describeObject(o);
    const key = where.has(description) ? `${description} (${m.file} #${m.index})` : description;
    where.set(key, { file: m.file, object: description, index: i });
    const namespace = o?.metadata?.namespace ?? 'default';
    if (o?.kind === 'NetworkAttachmentDefinition' && typeof o.apiVersion === 'string' && o.apiVersion.startsWith('k8s.cni.cncf.io/')) {
      const config = o.spec?.config;
      let parsed;
      if (config !== undefined) {
        if (typeof config !== 'string') {
          add(m, { field: 'spec.config', message: 'must be a string holding JSON', value: config, fix: 'serialize the CNI config with JSON.stringify; the CRD stores a string', severity: Severity.ERROR }, '');
        } else {
          const r = lintCniConfig(config, { profile });
          r.problems.forEach((p) => add(m, p, 'spec.config'));
          parsed = r.config;
          if (r.config && r.config.name !== undefined && r.config.name !== o.metadata?.name) {
            add(m, { field: 'spec.config.name', message: `differs from the NAD name '${o.metadata?.name}'`, value: r.config.name, fix: 'use the NAD name as the network name (or leave it out: Multus fills it in)', severity: Severity.WARNING }, '');
          }
        }
      }
      networks.push({
        name: o.metadata?.name ?? '',
        namespace,
        config: parsed,
        resourceName: o.metadata?.annotations?.[RESOURCE_NAME_ANNOTATION],
        path: key,
        source: m,
        configText: typeof config === 'string' ? config : undefined,
      });
      return;
    }
    const template = podTemplateOf(o);
    if (!template) return;
    const annotations = template.metadata?.annotations ?? {};
    const text = annotations[NETWORKS_ANNOTATION];
    const defaultText = annotations[DEFAULT_NETWORK_ANNOTATION];
    if (text === undefined && defaultText === undefined) return;
    const prefix = o.kind === 'Pod' ? 'metadata.annotations' : 'spec.template.metadata.annotations';
    let attachments: NetworkSelectionElement[] = [];
    if (text !== undefined) {
      const parsed = parseNetworksAnnotation(String(text), `${prefix}["${NETWORKS_ANNOTATION}"]`);
      parsed.problems.forEach((p) => add(m, p, ''));
      attachments = parsed.elements;
    }
    let defaultNetwork: NetworkSelectionElement | undefined;
    if (defaultText !== undefined) {
      const parsed = parseNetworksAnnotation(String(defaultText), `${prefix}["${DEFAULT_NETWORK_ANNOTATION}"]`);
      parsed.problems.forEach((p) => add(m, p, ''));
      if (parsed.elements.length > 1) {
        add(m, { field: `${prefix}["${DEFAULT_NETWORK_ANNOTATION}"]`, message: 'names more than one network', value: defaultText, fix: 'name exactly one NAD', severity: Severity.ERROR }, '');
      }
      defaultNetwork = parsed.elements[0];
    }
    const resourceRequests: Record<string, number> = {};
    for (const c of [...(template.spec?.containers ?? []), ...(template.spec?.initContainers ?? [])]) {
      for (const [res, qty] of Object.entries({ ...(c.resources?.limits ?? {}), ...(c.resources?.requests ?? {}) })) {
        if (!res.includes('/')) continue;
        const n = Number(qty);
        if (Number.isFinite(n)) resourceRequests[res] = Math.max(resourceRequests[res] ?? 0, 0) + n;
      }
    }
    pods.push({
      name: o.metadata?.name ?? '',
      namespace,
      path: key,
      replicas: replicasOf(o),
      attachments,
      defaultNetwork,
      resourceRequests,
      source: m,
      kind: o.kind,
      podLabels: { ...(template.metadata?.labels ?? {}) },
    });
  });
  return { networks, pods, problems, where };
}
