import { lintCniConfig } from '../cni/parse';
import { Problem, Severity, formatProblem } from '../cni/problem';
import { PluginsProfile } from '../cni/profile';
import {
  DEFAULT_NETWORK_ANNOTATION,
  NETWORKS_ANNOTATION,
  NetworkSelectionElement,
  parseNetworksAnnotation,
} from '../multus/selection-element';
import { TopologyNetwork, TopologyPod, checkTopology } from '../topology/topology';
import { ManifestObject, describeObject, readManifests } from './manifests';

/** The resource-name annotation of device-plugin NADs. */
const RESOURCE_NAME_ANNOTATION = 'k8s.v1.cni.cncf.io/resourceName';

/** Workload kinds whose pod template carries the annotations, and where. */
const POD_TEMPLATES: Record<string, (o: any) => any> = {
  Pod: (o) => o,
  Deployment: (o) => o.spec?.template,
  StatefulSet: (o) => o.spec?.template,
  DaemonSet: (o) => o.spec?.template,
  ReplicaSet: (o) => o.spec?.template,
  Job: (o) => o.spec?.template,
  CronJob: (o) => o.spec?.jobTemplate?.spec?.template,
};

/** One line of a lint report. */
export interface LintFinding {
  readonly file: string;
  readonly object: string;
  readonly field: string;
  readonly message: string;
  readonly value: unknown;
  readonly fix: string;
  readonly severity: Severity;
}

/** Options of {@link lintManifests}. */
export interface LintOptions {
  /** @default PluginsProfile.UPSTREAM */
  readonly profile?: PluginsProfile;
}

/** The result of a lint run. */
export interface LintReport {
  readonly findings: LintFinding[];
  readonly errors: number;
  readonly warnings: number;
  /** Objects read. */
  readonly objects: number;
}

/**
 * Checks Kubernetes objects as the constructs would: every NAD's `spec.config` through the typed
 * CNI model, every Multus selection annotation, and the whole topology across all the objects.
 */
export function lintObjects(objects: readonly ManifestObject[], opts: LintOptions = {}): LintReport {
  const profile = opts.profile ?? PluginsProfile.UPSTREAM;
  const findings: LintFinding[] = [];
  // objects are keyed by their description (`Kind ns/name`), which topology messages quote when
  // they name another object (e.g. the owner of a duplicate address); made unique when repeated
  const where = new Map<string, { file: string; object: string; index: number }>();
  const add = (m: ManifestObject, p: Problem, prefix: string) => {
    findings.push({
      file: m.file, object: describeObject(m.object), field: prefix && p.field ? `${prefix}.${p.field}` : prefix || p.field,
      message: p.message, value: p.value, fix: p.fix, severity: p.severity,
    });
  };
  const networks: TopologyNetwork[] = [];
  const pods: TopologyPod[] = [];

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
      });
      return;
    }
    const template = POD_TEMPLATES[o?.kind]?.(o);
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
    const replicas = o.kind === 'DaemonSet' ? undefined
      : o.kind === 'Pod' ? 1
        : (o.kind === 'Job' || o.kind === 'CronJob') ? (o.spec?.parallelism ?? 1)
          : (o.spec?.replicas ?? 1);
    pods.push({
      name: o.metadata?.name ?? '',
      namespace,
      path: key,
      replicas,
      attachments,
      defaultNetwork,
      resourceRequests,
    });
  });

  for (const p of checkTopology({ networks, pods })) {
    const w = p.path !== undefined ? where.get(p.path) : undefined;
    const file = w?.file ?? '';
    const object = w?.object ?? (p.path ?? '');
    // attachments[i] of a pod: point at the annotation
    let field = p.field;
    const pod = pods.find((x) => x.path === p.path);
    if (w && pod && field.startsWith('attachments')) {
      const m = objects[w.index];
      field = `${m.object.kind === 'Pod' ? 'metadata.annotations' : 'spec.template.metadata.annotations'}["${NETWORKS_ANNOTATION}"]${field.slice('attachments'.length)}`;
    }
    // the topology re-checks each selection element, already reported while parsing: once is enough
    if (findings.some((f) => f.file === file && f.object === object && f.field === field && f.message === p.message)) continue;
    findings.push({ file, object, field, message: p.message, value: p.value, fix: p.fix, severity: p.severity });
  }
  const errors = findings.filter((f) => f.severity === Severity.ERROR).length;
  return { findings, errors, warnings: findings.length - errors, objects: objects.length };
}

/** Reads the inputs and lints them. */
export function lintManifests(inputs: readonly string[], opts: LintOptions = {}): LintReport & { readProblems: { file: string; message: string }[] } {
  const { objects, problems } = readManifests(inputs);
  const report = lintObjects(objects, opts);
  return { ...report, readProblems: problems };
}

/** One finding in the library's error style, prefixed with file and object. */
export function formatFinding(f: LintFinding): string {
  const line = formatProblem({ field: f.field, message: f.message, value: f.value, fix: f.fix, severity: f.severity });
  return `${f.file ? `${f.file}: ` : ''}${f.object}: ${f.severity}: ${line}`;
}

