import * as fs from 'fs';
import * as path from 'path';
import { parseManifests } from '../../lib/cli/manifests';

/**
 * The by-meaning comparison of a corpus deployment's upstream manifests with what a program of
 * the typed API synthesizes (issue 14, "Done when"): what Multus and the plugins read, not the text.
 *
 * - NADs, keyed by `namespace/name` (an unset namespace is `default`, where kubectl puts it):
 *   the parsed `spec.config` (JSON deep-equal, key order ignored; a config without `name` gets the
 *   NAD's name, which Multus injects) and the `k8s.v1.cni.cncf.io/resourceName` annotation.
 * - Workloads (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job) that select a network,
 *   keyed by `kind namespace/name`: replicas (unset = 1 where the kind has replicas), the networks
 *   annotation parsed with the NPWG rules into elements compared in order (short and JSON forms
 *   alike; an element's namespace omitted = the pod's namespace, its interface omitted = `net<N>`
 *   as Multus names it; keys Multus does not read are dropped and listed as notes), the
 *   default-network annotation (same rules, no interface default), and the device-plugin and
 *   hugepage requests and limits of the pod (summed per resource name; a limit without a request
 *   is the request too, as the API server defaults it).
 */

export const NETWORKS = 'k8s.v1.cni.cncf.io/networks';
export const DEFAULT_NETWORK = 'v1.multus-cni.io/default-network';
export const RESOURCE_NAME = 'k8s.v1.cni.cncf.io/resourceName';
const WORKLOAD_KINDS = ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'];
const HAS_REPLICAS = ['Deployment', 'StatefulSet', 'ReplicaSet'];
/** The keys of a NetworkSelectionElement that Multus reads (NPWG spec v1.3 plus Multus' own). */
const ELEMENT_KEYS = ['name', 'namespace', 'interface', 'ips', 'mac', 'default-route', 'portMappings', 'bandwidth',
  'cni-args', 'infiniband-guid', 'ipam-claim-reference'];

/** One element of a selection, with its namespace made explicit. */
export interface Element {
  readonly [key: string]: unknown;
  readonly name: string;
  readonly namespace: string;
}

/** What a NAD means to Multus. */
export interface NadMeaning {
  readonly key: string;
  readonly config?: unknown;
  readonly resourceName?: string;
}

/** What a workload means to Multus and the scheduler (for its networks). */
export interface WorkloadMeaning {
  readonly key: string;
  readonly replicas?: number;
  readonly networks: Element[];
  readonly defaultNetwork: Element[];
  /** `requests.<resource>` / `limits.<resource>` → quantity (device plugins and hugepages). */
  readonly devices: Record<string, string>;
}

/** The meaning of a whole deployment. */
export interface Meaning {
  readonly nads: Map<string, NadMeaning>;
  readonly workloads: Map<string, WorkloadMeaning>;
  /** Things dropped as meaningless to Multus (e.g. an element key it does not read). */
  readonly notes: string[];
}

/** What {@link compareMeaning} compares. */
export interface CompareScope {
  /**
   * Compare the workloads too.
   * @default true
   */
  readonly workloads?: boolean;
}

/** Reads a corpus folder's upstream manifests (leniently, as kubectl reads them). */
export function readUpstream(folder: string): any[] {
  const file = path.join(folder, 'upstream.yaml');
  const { objects, problems } = parseManifests(fs.readFileSync(file, 'utf8'), file);
  if (problems.length > 0) throw new Error(`${file}: ${problems.map((p) => p.message).join('; ')}`);
  return objects.map((o) => o.object);
}

/** Reads synthesized YAML (cdk8s `synthYaml()`) into objects. */
export function readSynth(yaml: string): any[] {
  const { objects, problems } = parseManifests(yaml, 'synth');
  if (problems.length > 0) throw new Error(`synth: ${problems.map((p) => p.message).join('; ')}`);
  return objects.map((o) => o.object);
}

function podMetadata(o: any): any {
  return o.kind === 'Pod' ? o.metadata : o.spec?.template?.metadata;
}

function podSpec(o: any): any {
  return o.kind === 'Pod' ? o.spec : o.spec?.template?.spec;
}

/** Sorts object keys recursively, so that deep-equal ignores key order. */
export function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) out[k] = canonical((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

/**
 * Parses a selection (networks or default-network annotation) as Multus does; with
 * `defaultInterfaces` (the networks annotation), an element without `interface` gets the name
 * Multus gives it.
 */
export function parseSelection(text: string | undefined, podNamespace: string, where: string, notes: string[], defaultInterfaces = false): Element[] {
  if (text === undefined || text.trim() === '') return [];
  let raw: Record<string, unknown>[];
  if (/[[{"]/.test(text)) {
    const parsed = JSON.parse(text);
    raw = Array.isArray(parsed) ? parsed : [parsed];
  } else {
    raw = text.split(',').map((item) => item.trim()).map((item) => {
      const [ref, ifname] = item.split('@');
      const slash = ref.indexOf('/');
      const e: Record<string, unknown> = slash >= 0 ? { namespace: ref.slice(0, slash), name: ref.slice(slash + 1) } : { name: ref };
      if (ifname !== undefined) e.interface = ifname;
      return e;
    });
  }
  return raw.map((e, i) => {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(e).sort()) {
      if (ELEMENT_KEYS.includes(k)) out[k] = canonical(e[k]);
      else notes.push(`${where}[${i}].${k} is not read by Multus (dropped): ${JSON.stringify(e[k])}`);
    }
    out.namespace = (e.namespace as string | undefined) ?? podNamespace;
    // Multus names an interface without a request net<N>, N the element's position from 1
    if (defaultInterfaces && out.interface === undefined) out.interface = `net${i + 1}`;
    return canonical(out) as Element;
  });
}

function quantity(v: unknown): string {
  return typeof v === 'number' ? String(v) : String(v);
}

function isDeviceResource(name: string): boolean {
  return name.includes('/') || name.startsWith('hugepages-');
}

/** The meaning of a list of objects. */
export function meaningOf(objects: readonly any[]): Meaning {
  const nads = new Map<string, NadMeaning>();
  const workloads = new Map<string, WorkloadMeaning>();
  const notes: string[] = [];
  for (const o of objects) {
    if (!o || typeof o !== 'object') continue;
    const namespace: string = o.metadata?.namespace ?? 'default';
    const name: string = o.metadata?.name;
    if (o.kind === 'NetworkAttachmentDefinition') {
      const key = `${namespace}/${name}`;
      let config: unknown;
      if (typeof o.spec?.config === 'string') {
        config = JSON.parse(o.spec.config);
        if (config && typeof config === 'object' && !Array.isArray(config) && (config as Record<string, unknown>).name === undefined) {
          config = { ...(config as object), name };
        }
        config = canonical(config);
      }
      nads.set(key, { key, config, resourceName: o.metadata?.annotations?.[RESOURCE_NAME] });
    } else if (WORKLOAD_KINDS.includes(o.kind)) {
      const key = `${o.kind} ${namespace}/${name}`;
      const annotations = podMetadata(o)?.annotations ?? {};
      // only workloads that select a network are part of a deployment's networking (installers are not)
      if (annotations[NETWORKS] === undefined && annotations[DEFAULT_NETWORK] === undefined) continue;
      const devices: Record<string, string> = {};
      for (const c of [...(podSpec(o)?.initContainers ?? []), ...(podSpec(o)?.containers ?? [])]) {
        // a limit without a request is also the request (the API server's defaulting)
        const limits: Record<string, unknown> = c?.resources?.limits ?? {};
        const requests: Record<string, unknown> = { ...limits, ...(c?.resources?.requests ?? {}) };
        for (const [kind, map] of [['requests', requests], ['limits', limits]] as const) {
          for (const [r, q] of Object.entries(map)) {
            if (!isDeviceResource(r)) continue;
            const k = `${kind}.${r}`;
            devices[k] = devices[k] === undefined ? quantity(q) : `${devices[k]}+${quantity(q)}`;
          }
        }
      }
      workloads.set(key, {
        key,
        replicas: HAS_REPLICAS.includes(o.kind) ? (o.spec?.replicas ?? 1) : undefined,
        networks: parseSelection(annotations[NETWORKS], namespace, `${key} ${NETWORKS}`, notes, true),
        defaultNetwork: parseSelection(annotations[DEFAULT_NETWORK], namespace, `${key} ${DEFAULT_NETWORK}`, notes),
        devices,
      });
    }
  }
  return { nads, workloads, notes };
}

function show(v: unknown): string {
  return v === undefined ? '<absent>' : JSON.stringify(v);
}

/** The differences between two JSON values, one line per leaf path (`at` prefixes each). */
export function jsonDifferences(at: string, upstream: unknown, program: unknown): string[] {
  if (JSON.stringify(upstream) === JSON.stringify(program)) return [];
  const bothObjects = upstream !== null && program !== null && typeof upstream === 'object' && typeof program === 'object'
    && !Array.isArray(upstream) && !Array.isArray(program);
  const bothArrays = Array.isArray(upstream) && Array.isArray(program) && upstream.length === program.length;
  if (bothObjects) {
    const u = upstream as Record<string, unknown>;
    const p = program as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(u), ...Object.keys(p)])].sort();
    return keys.flatMap((k) => jsonDifferences(`${at}.${k}`, u[k], p[k]));
  }
  if (bothArrays) {
    return (upstream as unknown[]).flatMap((v, i) => jsonDifferences(`${at}[${i}]`, v, (program as unknown[])[i]));
  }
  return [`${at}: upstream ${show(upstream)}, program ${show(program)}`];
}

/** The result of a comparison. */
export interface Comparison {
  /** One readable line per difference; empty when the two mean the same. */
  readonly differences: string[];
  /** Upstream's notes (what was dropped as meaningless to Multus). */
  readonly notes: string[];
  readonly nads: number;
  readonly workloads: number;
}

/** Compares upstream with a program's output by meaning. */
export function compareMeaning(upstreamObjects: readonly any[], programObjects: readonly any[], scope: CompareScope = {}): Comparison {
  const u = meaningOf(upstreamObjects);
  const p = meaningOf(programObjects);
  const differences: string[] = [];
  const sides = <T>(a: Map<string, T>, b: Map<string, T>, what: string, each: (key: string, x: T, y: T) => void) => {
    for (const key of a.keys()) if (!b.has(key)) differences.push(`${what} ${key}: only upstream`);
    for (const key of b.keys()) if (!a.has(key)) differences.push(`${what} ${key}: only in the program`);
    for (const [key, x] of a) if (b.has(key)) each(key, x, b.get(key)!);
  };
  sides(u.nads, p.nads, 'NetworkAttachmentDefinition', (key, x, y) => {
    differences.push(...jsonDifferences(`NetworkAttachmentDefinition ${key} spec.config`, x.config, y.config));
    if (x.resourceName !== y.resourceName) {
      differences.push(`NetworkAttachmentDefinition ${key} resourceName: upstream ${show(x.resourceName)}, program ${show(y.resourceName)}`);
    }
  });
  if (scope.workloads ?? true) {
    sides(u.workloads, p.workloads, '', (key, x, y) => {
      if (x.replicas !== y.replicas) differences.push(`${key} replicas: upstream ${show(x.replicas)}, program ${show(y.replicas)}`);
      differences.push(...jsonDifferences(`${key} networks`, x.networks, y.networks));
      differences.push(...jsonDifferences(`${key} default-network`, x.defaultNetwork, y.defaultNetwork));
      differences.push(...jsonDifferences(`${key} devices`, canonical(x.devices), canonical(y.devices)));
    });
  }
  return {
    differences: differences.map((d) => d.replace(/^ /, '')),
    notes: u.notes,
    nads: u.nads.size,
    workloads: u.workloads.size,
  };
}
