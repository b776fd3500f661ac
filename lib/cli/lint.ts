import { Severity, formatProblem } from '../cni/problem';
import { PluginsProfile } from '../cni/profile';
import { NETWORKS_ANNOTATION } from '../multus/selection-element';
import { checkTopology } from '../topology/topology';
import { ManifestObject, describeObject, readManifests } from './manifests';
import { topologyFromManifests } from './topology-from-manifests';

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
  const findings: LintFinding[] = [];
  const { networks, pods, problems, where } = topologyFromManifests(objects, { profile: opts.profile ?? PluginsProfile.UPSTREAM });
  for (const { source: m, problem: p, prefix } of problems) {
    findings.push({
      file: m.file, object: describeObject(m.object), field: prefix && p.field ? `${prefix}.${p.field}` : prefix || p.field,
      message: p.message, value: p.value, fix: p.fix, severity: p.severity,
    });
  }

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

