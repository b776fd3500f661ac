import { formatProblem, joinField } from '../../cni/problem';
import { CapabilityArgs, CniConfigList, toConfigList } from '../dataplane/cni-exec';
import { ArgvValueError, isIpAddress, linkName, show } from '../dataplane/argv-values';
import { ManifestObject, describeObject } from '../manifests';
import { podTemplateOf, topologyFromManifests } from '../topology-from-manifests';
import { DEFAULT_NETWORK_ANNOTATION, DNS1123_LABEL, NETWORKS_ANNOTATION, NetworkSelectionElement } from '../../multus/selection-element';
import { EXPECTATION_ANNOTATIONS, ExpectationTarget, FUNCTION_LABEL, Reachability, parseExpectations } from '../../topology/expectations';
import { cniVersionsProblem, withEffectiveVersion } from './cni-verbs';
import { BridgeUse, UplinkUse, confineConfig } from './confine';
import { PlannedClaimNetwork, claimNetworksOf, claimObjects, podClaimRefs, podSpecPathOf } from './dra-claims';
import { VERIFY_LIMITS } from './limits';
import { DEFAULT_NETWORK_IFNAME, elementArgsOf, ifnameOf, nadKeyOf, nodesOfReplicas, withPodCniArgs } from './multus';
import { CheckKind, CheckResult, VerifyCannotRun, VerifyCheck } from './types';

/**
 * The plan of a run, pure: manifests → networks, pods (one per replica, on emulated nodes),
 * attachments with what they run and the uplinks and bridges they need, and the input rows of
 * objects that cannot be planned. Nothing here runs a process or touches the machine, and every
 * value that will become a process argument has passed the argv grammar (or made its attachment
 * a FAILED row naming the object and field).
 */

/** A NAD, as the run sees it. */
export interface PlannedNetwork {
  readonly key: string;
  readonly name: string;
  readonly namespace: string;
  /** The object it came from (`NetworkAttachmentDefinition ns/name`). */
  readonly object: string;
  /** The config, confined; absent when it cannot run. */
  readonly list?: CniConfigList;
  readonly uplinks: readonly UplinkUse[];
  readonly bridges: readonly BridgeUse[];
  readonly mtu: number;
  /** Why its attachments fail (a bad field), naming the object and field. */
  readonly invalid?: string;
  /** Why its attachments are unsupported here (no spec.config, an option reaching outside the run). */
  readonly notEmulated?: string;
}

/** One pod of the run (a replica of a workload, or a probe pod). */
export interface PlannedPod {
  readonly index: number;
  /** How reports name it: `ns/name` or `ns/name[r]`. */
  readonly display: string;
  readonly namespace: string;
  /** The workload name (K8S_POD_NAME). */
  readonly name: string;
  readonly fn?: string;
  readonly node: number;
  readonly attachments: PlannedAttachment[];
  readonly expectations: ReadonlyArray<{ readonly kind: Reachability; readonly target: ExpectationTarget }>;
}

/** One attachment: a pod's selection of a NAD. */
export interface PlannedAttachment {
  readonly pod: PlannedPod;
  readonly ifname: string;
  readonly networkName: string;
  readonly network?: PlannedNetwork;
  /** The list run for it (the NAD's confined config with the element's cni-args). */
  readonly list?: CniConfigList;
  readonly runtime: CapabilityArgs;
  /** The selection element as written (for an engine that hands it to the real Multus). */
  readonly element?: NetworkSelectionElement;
  /** Whether it comes from the default-network annotation (it replaces the cluster network's eth0). */
  readonly defaultNetwork?: boolean;
  /** Set when it comes from a cni-dra-driver claim (no selection element: the claim's config runs as is). */
  readonly claim?: { readonly object: string; readonly request: string };
  /** Set when it cannot run: failed (bad input) or unsupported (not emulated here). */
  readonly problem?: { readonly result: CheckResult.FAILED | CheckResult.UNSUPPORTED; readonly reason: string };
}

/** The whole plan. */
export interface Plan {
  readonly nodes: number;
  readonly networks: ReadonlyMap<string, PlannedNetwork>;
  readonly pods: readonly PlannedPod[];
  readonly attachments: readonly PlannedAttachment[];
  /** FAILED rows of objects that could not be planned. */
  readonly inputRows: readonly VerifyCheck[];
}

/** Options of {@link planRun}. */
export interface PlanOptions {
  /** @default 1 */
  readonly nodes?: number;
  /** @default true */
  readonly probeUnselected?: boolean;
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Text for reports: printable ASCII as is, anything else JSON-quoted (newlines escaped). */
export function safeText(s: string): string {
  return /^[\x20-\x7e]*$/.test(s) ? s : JSON.stringify(s);
}

function nameProblem(field: string, v: unknown, label: boolean): string | undefined {
  const ok = typeof v === 'string' && (label ? DNS1123_LABEL.test(v) && v.length <= 63 : DNS1123_SUBDOMAIN.test(v) && v.length <= 253);
  if (ok) return undefined;
  return `'${field}' is not a DNS-1123 ${label ? 'label' : 'subdomain'}: got ${show(v)}; use lowercase letters, digits, '-'${label ? '' : " and '.'"} (Kubernetes refuses other names)`;
}

/** The replicas field of a workload kind, and its checked value (undefined: one per node). */
function replicasOf(o: any): { field: string; value: number | undefined; problem?: string } {
  const max = VERIFY_LIMITS.maxReplicas;
  const check = (field: string, v: unknown) => {
    if (v === undefined || v === null) return { field, value: 1 };
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max) return { field, value: v };
    return { field, value: 0, problem: `'${field}' must be an integer from 0 to ${max}: got ${show(v)}; verify brings up at most ${max} pods per workload` };
  };
  switch (o.kind) {
    case 'DaemonSet': return { field: '-', value: undefined };
    case 'Pod': return { field: '-', value: 1 };
    case 'Job': return check('spec.parallelism', o.spec?.parallelism);
    case 'CronJob': return check('spec.jobTemplate.spec.parallelism', o.spec?.jobTemplate?.spec?.parallelism);
    default: return check('spec.replicas', o.spec?.replicas);
  }
}

function planNetwork(n: { name: string; namespace: string; configText?: string; source: ManifestObject }): PlannedNetwork {
  const key = `${n.namespace}/${n.name}`;
  const object = safeText(describeObject(n.source.object));
  const base = { key, name: n.name, namespace: n.namespace, object, uplinks: [], bridges: [], mtu: 1500 };
  const badName = nameProblem('metadata.name', n.name, false) ?? nameProblem('metadata.namespace', n.namespace, true);
  if (badName) return { ...base, invalid: `${object}: ${badName}` };
  const raw = (n.source.object as { spec?: { config?: unknown } }).spec?.config;
  if (raw !== undefined && typeof raw !== 'string') {
    return { ...base, invalid: `${object}: 'spec.config' must be a string holding JSON: got ${show(raw)}; serialize the CNI config with JSON.stringify` };
  }
  if (n.configText === undefined) {
    return { ...base, notEmulated: `${object}: the NAD has no spec.config (its config is a file on the node), which is not emulated` };
  }
  let list: CniConfigList;
  let single: boolean;
  try {
    let parsed = JSON.parse(n.configText) as unknown;
    single = !(typeof parsed === 'object' && parsed !== null && 'plugins' in parsed);
    // Multus fills a missing (or empty) config name from the NAD's name (NAD client GetCNIConfigFromSpec)
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && ((parsed as { name?: unknown }).name ?? '') === '') {
      parsed = { ...parsed, name: n.name };
    }
    list = toConfigList(parsed);
  } catch (e) {
    return { ...base, invalid: `${object}: spec.config is not a CNI config: ${(e as Error).message}` };
  }
  // libcni refuses the whole list for a cniVersions entry that is no version (Multus then fails the pod)
  const versions = cniVersionsProblem(list);
  if (versions !== undefined) {
    return { ...base, invalid: `${object}: 'spec.config.cniVersions' is refused by libcni: got ${show(list.cniVersions)}; write versions such as "1.0.0" (${versions})` };
  }
  const c = confineConfig(list, single);
  if (c.kind === 'failed') return { ...base, invalid: `${object}: ${c.reason}` };
  if (c.kind === 'not-emulated') return { ...base, notEmulated: `${object}: ${c.reason}` };
  // libcni (Multus's, cni-dra-driver's) runs a list with cniVersions at the highest it implements
  return { ...base, list: withEffectiveVersion(c.list), uplinks: c.uplinks, bridges: c.bridges, mtu: c.mtu };
}

/** Plans a run; throws {@link VerifyCannotRun} only when the whole input is beyond the run's limits. */
export function planRun(objects: readonly ManifestObject[], options: PlanOptions = {}): Plan {
  const nodes = options.nodes ?? 1;
  const L = VERIFY_LIMITS;
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > L.maxNodes) {
    throw new VerifyCannotRun(`'--nodes' must be an integer from 1 to ${L.maxNodes}: got ${JSON.stringify(nodes)}; emulate fewer nodes`);
  }
  if (objects.length > L.maxObjects) {
    throw new VerifyCannotRun(`'objects' are more than verify takes in one run: got ${objects.length}; verify at most ${L.maxObjects} objects at once (split the manifests)`);
  }
  const topo = topologyFromManifests(objects);
  const networks = new Map<string, PlannedNetwork>();
  for (const n of topo.networks) {
    const key = `${n.namespace}/${n.name}`;
    if (!networks.has(key)) networks.set(key, planNetwork(n));
  }
  const inputRows: VerifyCheck[] = [];
  const pods: PlannedPod[] = [];
  const selected = new Set<string>();
  // cni-dra-driver claims, planned once per claim object (every pod referencing it shares the plan)
  const claimSources = claimObjects(objects);
  const claimPlans = new Map<string, PlannedClaimNetwork[]>();
  const claimNetworksFor = (key: string): PlannedClaimNetwork[] | undefined => {
    const m = claimSources.get(key);
    if (!m) return undefined;
    let planned = claimPlans.get(key);
    if (!planned) {
      planned = claimNetworksOf(m);
      claimPlans.set(key, planned);
      // the NAD a claim's config came from (same namespace, same name), or that it names, is selected through it
      for (const c of planned) {
        if (c.list) selected.add(`${c.namespace}/${c.list.name}`);
        if (c.nad) selected.add(c.nad);
      }
    }
    return planned;
  };
  const counter = { next: 0 };
  const inputRow = (object: string, reason: string) => inputRows.push({ check: CheckKind.INPUT, from: object, to: '-', network: '-', result: CheckResult.FAILED, reason });
  // objects the reader left out (bad replicas, a non-string annotation, too deep...): one row each
  for (const d of topo.dropped ?? []) {
    const object = safeText(describeObject(d.source.object));
    inputRow(object, `${object}: ${formatProblem({ ...d.problem, field: joinField(d.prefix, d.problem.field) })}`);
  }
  const reservePods = (n: number) => {
    if (pods.length + n > L.maxPods) {
      throw new VerifyCannotRun(`'pods' are more than verify brings up in one run: got at least ${pods.length + n}; verify at most ${L.maxPods} pods at once (fewer workloads or replicas, or --no-probe-unselected)`);
    }
  };

  type Element = { element: NetworkSelectionElement; ifname: unknown; field: string };
  /** A claim's interface, or an entry of `resourceClaims` that fails (problem). */
  type Claim = { field: string; network?: PlannedClaimNetwork; problem?: string };
  const addPod = (display: string, namespace: string, name: string, fn: string | undefined, node: number,
    elements: readonly Element[], expectations: PlannedPod['expectations'], claims: readonly Claim[] = []) => {
    const pod: PlannedPod = { index: pods.length, display, namespace, name, fn, node, attachments: [], expectations };
    const ifnames = new Set<string>();
    for (const { element, ifname, field } of elements) {
      const network = networks.get(nadKeyOf(element, namespace));
      if (network) selected.add(network.key);
      const networkName = safeText(String(element.name));
      const args = elementArgsOf(element);
      const fail = (result: CheckResult.FAILED | CheckResult.UNSUPPORTED, reason: string, shownIfname = String(ifname)) =>
        pod.attachments.push({ pod, ifname: safeText(shownIfname), networkName, network, runtime: args.runtime, problem: { result, reason } });
      let checked: string;
      try {
        checked = linkName(ifname, `${field}.interface`);
      } catch (e) {
        if (!(e instanceof ArgvValueError)) throw e;
        fail(CheckResult.FAILED, `${display}: ${e.message}`, '?');
        continue;
      }
      if (ifnames.has(checked)) {
        fail(CheckResult.FAILED, `${display}: '${field}.interface' is used twice in the pod: got ${show(checked)}; give each attachment its own interface name`);
        continue;
      }
      ifnames.add(checked);
      const gatewayProblem = defaultRouteProblem(element['default-route'], `${field}.default-route`);
      if (gatewayProblem) {
        fail(CheckResult.FAILED, `${display}: ${gatewayProblem}`);
        continue;
      }
      if (!network) {
        fail(CheckResult.FAILED, `no NetworkAttachmentDefinition ${safeText(nadKeyOf(element, namespace))} in the inputs`);
      } else if (network.invalid !== undefined) {
        fail(CheckResult.FAILED, network.invalid);
      } else if (network.notEmulated !== undefined || !network.list) {
        fail(CheckResult.UNSUPPORTED, network.notEmulated ?? 'not emulated');
      } else {
        pod.attachments.push({
          pod, ifname: checked, networkName, network, runtime: args.runtime, list: withPodCniArgs(network.list, args.podCniArgs),
          element, ...(field.includes(DEFAULT_NETWORK_ANNOTATION) ? { defaultNetwork: true } : {}),
        });
      }
    }
    for (const { field, network, problem } of claims) {
      const fail = (result: CheckResult.FAILED | CheckResult.UNSUPPORTED, reason: string, ifname = network?.ifname ?? '?') =>
        pod.attachments.push({ pod, ifname, networkName: network?.name ?? field, network, runtime: {}, problem: { result, reason },
          ...(network ? { claim: { object: network.object, request: network.request } } : {}) });
      if (!network) {
        fail(CheckResult.FAILED, `${display}: ${problem}`);
        continue;
      }
      if (network.invalid !== undefined) {
        fail(CheckResult.FAILED, network.invalid);
        continue;
      }
      if (network.notEmulated !== undefined && network.list === undefined) {
        // another driver's claim (SR-IOV, DRANET): nothing of it runs here
        fail(CheckResult.UNSUPPORTED, network.notEmulated);
        continue;
      }
      const ifname = network.ifname!;
      if (ifnames.has(ifname)) {
        fail(CheckResult.FAILED, `${display}: '${field}' (${network.object}, '${network.ifnameField}') gives an interface name used twice in the pod: got ${show(ifname)}; give each attachment its own interface name`);
        continue;
      }
      ifnames.add(ifname);
      if (network.notEmulated !== undefined || !network.list) {
        fail(CheckResult.UNSUPPORTED, network.notEmulated ?? 'not emulated');
        continue;
      }
      // cni-dra-driver passes no capability arguments and no cni-args: the config runs as written
      pod.attachments.push({ pod, ifname, networkName: network.name, network, runtime: {}, list: network.list, claim: { object: network.object, request: network.request } });
    }
    pods.push(pod);
  };

  for (const w of [...topo.pods, ...claimOnlyWorkloads(objects, topo)]) {
    const o = w.source.object;
    const object = safeText(describeObject(o));
    const expectations: Array<{ kind: Reachability; target: ExpectationTarget }> = [];
    const problems: string[] = [];
    const badName = nameProblem('metadata.name', w.name, false) ?? nameProblem('metadata.namespace', w.namespace, true);
    if (badName) problems.push(badName);
    for (const kind of [Reachability.REACH, Reachability.ISOLATED]) {
      const key = EXPECTATION_ANNOTATIONS[kind];
      const text = o.metadata?.annotations?.[key] ?? podTemplateOf(o)?.metadata?.annotations?.[key];
      if (text === undefined) continue;
      const parsed = parseExpectations(String(text), kind, `metadata.annotations["${key}"]`);
      problems.push(...parsed.errors);
      for (const target of parsed.targets) expectations.push({ kind, target });
    }
    const replicas = replicasOf(o);
    if (replicas.problem) problems.push(replicas.problem);
    const prefix = o.kind === 'Pod' ? 'metadata.annotations' : 'spec.template.metadata.annotations';
    const elements: Element[] = [];
    if (w.defaultNetwork) elements.push({ element: w.defaultNetwork, ifname: DEFAULT_NETWORK_IFNAME, field: `${prefix}["${DEFAULT_NETWORK_ANNOTATION}"][0]` });
    w.attachments.forEach((element, i) => elements.push({ element, ifname: ifnameOf(element, i), field: `${prefix}["${NETWORKS_ANNOTATION}"][${i}]` }));
    // cni-dra-driver claims: a reference to a claim the inputs do not hold is no network verify knows of
    const claims: Claim[] = [];
    for (const ref of podClaimRefs(podTemplateOf(o)?.spec, podSpecPathOf(o.kind), w.namespace)) {
      if ('problem' in ref) {
        claims.push({ field: ref.field, problem: ref.problem });
        continue;
      }
      for (const network of claimNetworksFor(ref.key) ?? []) claims.push({ field: ref.field, network });
    }
    if (elements.length + claims.length > L.maxAttachmentsPerPod) {
      problems.push(claims.length === 0
        ? `'${prefix}["${NETWORKS_ANNOTATION}"]' selects more networks than verify attaches to one pod: got ${elements.length}; attach at most ${L.maxAttachmentsPerPod} networks per pod`
        : `'${prefix}["${NETWORKS_ANNOTATION}"]' and '${podSpecPathOf(o.kind)}.resourceClaims' ask for more networks than verify attaches to one pod: got ${elements.length + claims.length}; attach at most ${L.maxAttachmentsPerPod} networks per pod`);
    }
    if (problems.length > 0) {
      for (const p of problems) inputRow(object, `${object}: ${p}`);
      continue;
    }
    const placed = nodesOfReplicas(replicas.value, nodes, counter);
    reservePods(placed.length);
    const fn = w.podLabels[FUNCTION_LABEL];
    placed.forEach((node, r) => {
      const display = safeText(`${w.namespace}/${w.name}${placed.length > 1 ? `[${r}]` : ''}`);
      addPod(display, w.namespace, w.name, fn, node, elements, expectations, claims);
    });
  }
  if (options.probeUnselected ?? true) {
    for (const n of networks.values()) {
      if (selected.has(n.key)) continue;
      // a config that fixes its address (static IPAM with addresses) gives every pod the same one: one probe
      const fixed = n.list?.plugins.some((p) => typeof p.ipam === 'object' && p.ipam !== null && Array.isArray((p.ipam as { addresses?: unknown }).addresses) && ((p.ipam as { addresses: unknown[] }).addresses.length > 0));
      const probes = fixed ? 1 : 2;
      reservePods(probes);
      for (let r = 0; r < probes; r++) {
        addPod(safeText(`(probe)/${n.namespace}/${n.name}[${r}]`), n.namespace, `probe-${n.name}`.slice(0, 253), undefined, counter.next++ % nodes,
          [{ element: { name: n.name, namespace: n.namespace }, ifname: 'net1', field: '(probe)' }], []);
      }
    }
  }
  return { nodes, networks, pods, attachments: pods.flatMap((p) => p.attachments), inputRows };
}

/**
 * Why an element's `default-route` cannot reach Multus (it decodes the gateways as IP addresses
 * and refuses the pod otherwise), or undefined: a list of plain addresses, each later a process
 * argument.
 */
function defaultRouteProblem(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) return `'${field}' must be a list of gateway addresses: got ${show(value)}; write ["10.1.0.1"]`;
  const i = value.findIndex((g) => !isIpAddress(g));
  return i < 0 ? undefined : `'${field}[${i}]' is not an IP address: got ${show(value[i])}; write the gateway address without prefix`;
}

/** What the plan reads of a workload (a pod the topology reader kept, or one with claims only). */
interface PlannableWorkload {
  readonly source: { readonly object: any };
  readonly name: string;
  readonly namespace: string;
  readonly defaultNetwork?: NetworkSelectionElement;
  readonly attachments: readonly NetworkSelectionElement[];
  readonly podLabels: Readonly<Record<string, string>>;
}

/**
 * The workloads the topology reader does not keep (it reads Multus annotations) whose pods
 * reference DRA claims: a pod attached through cni-dra-driver claims only (the DRA rendering)
 * has no annotation. Workloads the reader kept or dropped are left out.
 */
function claimOnlyWorkloads(objects: readonly ManifestObject[], topo: { pods: readonly PlannableWorkload[]; dropped?: ReadonlyArray<{ source: { object: any } }> }): PlannableWorkload[] {
  const keyOf = (o: any) => `${String(o?.kind)}|${String(o?.metadata?.namespace ?? 'default')}|${String(o?.metadata?.name)}`;
  const known = new Set([...topo.pods.map((w) => keyOf(w.source.object)), ...(topo.dropped ?? []).map((d) => keyOf(d.source.object))]);
  const out: PlannableWorkload[] = [];
  for (const m of objects) {
    const o = m.object;
    const template = podTemplateOf(o);
    if (!template || typeof template.spec !== 'object' || template.spec === null || template.spec.resourceClaims === undefined) continue;
    if (known.has(keyOf(o))) continue;
    known.add(keyOf(o));
    const labels = typeof template.metadata?.labels === 'object' && template.metadata.labels !== null ? template.metadata.labels : {};
    out.push({
      source: m, name: o.metadata?.name, namespace: o.metadata?.namespace ?? 'default', attachments: [],
      podLabels: Object.fromEntries(Object.entries(labels).filter(([, v]) => typeof v === 'string')) as Record<string, string>,
    });
  }
  return out;
}
