import { Severity, formatProblem, renderValue } from '../cni/problem';
import { PluginsProfile } from '../cni/profile';
import { NETWORKS_ANNOTATION } from '../multus/selection-element';
import { TopologyPolicy, checkPolicyReferences, policyOf } from '../topology/policy-references';
import { checkTopology } from '../topology/topology';
import { DraLint } from './dra-lint';
import { ResourcesLint } from './resources-lint';
import { UdnLint } from './udn-lint';
import { ManifestObject, ReadProblem, describeObject, visitManifests } from './manifests';
import { escapeControlCharacters } from './terminal-text';
import { ManifestTopology, ManifestTopologyReader } from './topology-from-manifests';

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
  /**
   * NADs that live elsewhere (another chart, another repository, made by an operator): attachments
   * to them resolve, as attachments to an `ExternalNetwork` do in the constructs.
   * @default - none
   */
  readonly external?: readonly ExternalNad[];
}

/** A NAD declared to exist outside the inputs (`lint --external <namespace>/<name>`). */
export interface ExternalNad {
  readonly namespace: string;
  readonly name: string;
}

const DNS1123_LABEL_TEXT = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN_TEXT = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Reads `<namespace>/<name>` (as `lint --external` takes it) into an {@link ExternalNad}; throws in
 * the house style when it is not one.
 */
export function parseExternalNad(text: string, option = '--external'): ExternalNad {
  const m = typeof text === 'string' ? /^([^/]+)\/([^/]+)$/.exec(text.trim()) : null;
  if (!m || !DNS1123_LABEL_TEXT.test(m[1]) || m[1].length > 63 || !DNS1123_SUBDOMAIN_TEXT.test(m[2]) || m[2].length > 253) {
    throw new Error(`'${option}' is not <namespace>/<name> of a NAD: got ${renderValue(text)}; write e.g. ${option} kube-system/macvlan-conf (a namespace label and a NAD name)`);
  }
  return { namespace: m[1], name: m[2] };
}

/** The NADs of a file for `lint --external-file`: one `<namespace>/<name>` a line; `#` starts a comment. */
export function parseExternalNadFile(text: string, file: string): ExternalNad[] {
  return text.split('\n').map((l) => l.replace(/#.*/, '').trim()).filter((l) => l !== '').map((l) => parseExternalNad(l, `--external-file ${file}`));
}

/** The result of a lint run. */
export interface LintReport {
  readonly findings: LintFinding[];
  readonly errors: number;
  readonly warnings: number;
  /** Objects read. */
  readonly objects: number;
}

/** A MultiNetworkPolicy of the inputs, for the policy-for check; its `path` is its index in the list. */
interface ManifestPolicy {
  readonly policy: TopologyPolicy;
  readonly file: string;
  readonly object: string;
}

/** Adds `m` to `policies` when it is a MultiNetworkPolicy. */
function collectPolicy(policies: ManifestPolicy[], m: ManifestObject): void {
  const policy = policyOf(m.object, String(policies.length));
  if (policy) policies.push({ policy, file: m.file, object: describeObject(m.object) });
}

/** The report of what a {@link ManifestTopologyReader} read: its problems, then the whole-topology check, then the policies' policy-for references. */
function lintTopology(topology: ManifestTopology, objects: number, external: readonly ExternalNad[] = [], policies: readonly ManifestPolicy[] = [], dra?: DraLint, udn?: UdnLint, resources?: ResourcesLint): LintReport {
  const { pods, problems, where } = topology;
  // the NADs OVN-Kubernetes renders for the inputs' user-defined networks exist once it runs: as
  // NADs declared external, so pods selecting them resolve
  const declared = new Set(external.map((e) => `${e.namespace}/${e.name}`));
  const rendered = (udn?.renderedNads() ?? []).filter((e) => !declared.has(`${e.namespace}/${e.name}`));
  const outside = rendered.length === 0 ? external : [...external, ...rendered];
  const networks = outside.length === 0 ? topology.networks
    : [...topology.networks, ...outside.map((e) => ({ name: e.name, namespace: e.namespace, external: true }))];
  const findings: LintFinding[] = [];
  const seen = new Set<string>();
  const keyOf = (f: { file: string; object: string; field: string; message: string }) => `${f.file}\u0000${f.object}\u0000${f.field}\u0000${f.message}`;
  for (const { source: m, problem: p, prefix } of problems) {
    const f: LintFinding = {
      file: m.file, object: describeObject(m.object), field: prefix && p.field ? `${prefix}.${p.field}` : prefix || p.field,
      message: p.message, value: p.value, fix: p.fix, severity: p.severity,
    };
    findings.push(f);
    seen.add(keyOf(f));
  }

  const podByPath = new Map(pods.map((x) => [x.path, x]));
  for (const p of checkTopology({ networks, pods })) {
    const w = p.path !== undefined ? where.get(p.path) : undefined;
    const file = w?.file ?? '';
    const object = w?.object ?? (p.path ?? '');
    // attachments[i] of a pod: point at the annotation
    let field = p.field;
    const pod = p.path !== undefined ? podByPath.get(p.path) : undefined;
    if (w && pod && field.startsWith('attachments')) {
      field = `${pod.kind === 'Pod' ? 'metadata.annotations' : 'spec.template.metadata.annotations'}["${NETWORKS_ANNOTATION}"]${field.slice('attachments'.length)}`;
    }
    const f: LintFinding = { file, object, field, message: p.message, value: p.value, fix: p.fix, severity: p.severity };
    // the topology re-checks each selection element, already reported while parsing: once is enough
    const key = keyOf(f);
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push(f);
  }
  for (const p of checkPolicyReferences({ networks, policies: policies.map((x) => x.policy), pods })) {
    const { file, object } = policies[Number(p.path)];
    findings.push({ file, object, field: p.field, message: p.message, value: p.value, fix: p.fix, severity: p.severity });
  }
  // DRA claims, templates, device classes and pods' resourceClaims (lib/cli/dra-lint.ts)
  if (dra) findings.push(...dra.findings());
  // OVN-Kubernetes user-defined networks (lib/cli/udn-lint.ts)
  if (udn) findings.push(...udn.findings());
  // extended resources of the containers (the rule of PodNetworks.requestResource)
  if (resources) findings.push(...resources.findings());
  const errors = findings.filter((f) => f.severity === Severity.ERROR).length;
  return { findings, errors, warnings: findings.length - errors, objects };
}

/**
 * Checks Kubernetes objects as the constructs would: every NAD's `spec.config` through the typed
 * CNI model, every Multus selection annotation, and the whole topology across all the objects.
 */
export function lintObjects(objects: readonly ManifestObject[], opts: LintOptions = {}): LintReport {
  if (!Array.isArray(objects)) throw new Error(`'objects' must be a list of manifest objects: got ${renderValue(objects)}; pass the objects of readManifests`);
  const reader = new ManifestTopologyReader({ profile: opts.profile ?? PluginsProfile.UPSTREAM });
  const policies: ManifestPolicy[] = [];
  const dra = new DraLint({ profile: opts.profile });
  const udn = new UdnLint();
  const resources = new ResourcesLint();
  for (const m of objects) {
    reader.add(m);
    collectPolicy(policies, m);
    dra.add(m);
    udn.add(m);
    resources.add(m);
  }
  return lintTopology(reader.result(), objects.length, opts.external, policies, dra, udn, resources);
}

/**
 * Reads the inputs and lints them. Objects are read one document at a time and only their
 * topology is kept, so a large file lints in memory bounded by a small multiple of its size.
 * A file that cannot be read is a read problem; the other files are still linted.
 */
export function lintManifests(inputs: readonly string[], opts: LintOptions = {}, stdin?: () => string): LintReport & { readProblems: ReadProblem[] } {
  const reader = new ManifestTopologyReader({ profile: opts.profile ?? PluginsProfile.UPSTREAM, keepObjects: false });
  let objects = 0;
  const policies: ManifestPolicy[] = [];
  const dra = new DraLint({ profile: opts.profile });
  const udn = new UdnLint();
  const resources = new ResourcesLint();
  const readProblems = visitManifests(inputs, (m) => {
    objects++;
    reader.add(m);
    collectPolicy(policies, m);
    dra.add(m);
    udn.add(m);
    resources.add(m);
  }, stdin);
  return { ...lintTopology(reader.result(), objects, opts.external, policies, dra, udn, resources), readProblems };
}

/**
 * One finding in the library's error style, prefixed with file and object. Control characters
 * from the input (ANSI escapes, newlines, bidi overrides) are written as `\uXXXX` escapes.
 */
export function formatFinding(f: LintFinding): string {
  const line = formatProblem({ field: f.field, message: f.message, value: f.value, fix: f.fix, severity: f.severity });
  return escapeControlCharacters(`${f.file ? `${f.file}: ` : ''}${f.object}: ${f.severity}: ${line}`);
}

/** A read problem as printed by the command (`<file>: <message>`), control characters escaped. */
export function formatReadProblem(p: ReadProblem): string {
  return escapeControlCharacters(`${p.file}: ${p.message}`);
}
