import { CNI_DRA_DRIVER } from '../../dra/cni-dra-driver';
import { DRANET_DRIVER } from '../../dra/dranet';
import { SRIOV_DRA_DRIVER } from '../../dra/sriov-dra-driver';
import { DNS1123_LABEL } from '../../multus/selection-element';
import { ArgvValueError, isLinkName, linkName, show } from '../dataplane/argv-values';
import { CniConfigList, toConfigList } from '../dataplane/cni-exec';
import { ManifestObject, describeObject } from '../manifests';
import { cniVersionsProblem, withEffectiveVersion } from './cni-verbs';
import { BridgeUse, UplinkUse, confineConfig } from './confine';

/**
 * The cni-dra-driver side of a plan, pure: the ResourceClaimTemplates and ResourceClaims of the
 * inputs whose request config carries the driver's opaque parameters
 * (`{apiVersion, kind: CNI, ifName, config}`, driver `cni.dra.networking.x-k8s.io`), and the
 * attachments a pod's `spec.resourceClaims` gets from them: one per request, its interface the
 * parameters' `ifName`, its list the parameters' `config` run as the driver runs it (libcni
 * `ConfListFromBytes`, no capability arguments: per-pod values travel as `runtimeConfig` inside
 * the config). Every value is checked before it can become a process argument; a bad claim fails
 * its own attachments, naming the object and field.
 */

/** One network interface a claim asks cni-dra-driver for, as the run sees it. */
export interface PlannedClaimNetwork {
  /** `claim:<Kind>/<ns>/<name>/<request>`. */
  readonly key: string;
  /** The config's name (reports and reach checks group by it, as by a NAD's name). */
  readonly name: string;
  readonly namespace: string;
  /** `ResourceClaimTemplate ns/name`. */
  readonly object: string;
  /** The request the interface is for. */
  readonly request: string;
  /** The interface name in the pod (checked), when the parameters give a valid one. */
  readonly ifname?: string;
  /** The field of `ifName`, for messages. */
  readonly ifnameField: string;
  readonly list?: CniConfigList;
  readonly uplinks: readonly UplinkUse[];
  readonly bridges: readonly BridgeUse[];
  readonly mtu: number;
  readonly invalid?: string;
  readonly notEmulated?: string;
  /** The NAD the claim names (the SR-IOV DRA driver's `netAttachDefName`), as `ns/name`. */
  readonly nad?: string;
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Text for reports: printable ASCII as is, anything else JSON-quoted. */
function safe(s: string): string {
  return /^[\x20-\x7e]*$/.test(s) ? s : JSON.stringify(s);
}

/**
 * Network DRA drivers whose claims verify cannot run here, with why: their attachments are
 * "unsupported here", never passed.
 */
const NOT_EMULATED_DRIVERS: Readonly<Record<string, string>> = {
  [SRIOV_DRA_DRIVER]: 'the SR-IOV DRA driver gives the pod a virtual function of an SR-IOV NIC, which verify does not emulate',
  [DRANET_DRIVER]: 'DRANET moves a host interface into the pod, which verify does not emulate',
};

/** The claim kinds a pod references, and where their devices are. */
const CLAIM_KINDS = { ResourceClaimTemplate: 'spec.spec.devices', ResourceClaim: 'spec.devices' } as const;
type ClaimKind = keyof typeof CLAIM_KINDS;

/** The DRA claim objects of the inputs, by `<Kind>:<ns>/<name>` (the first of a key wins). */
export function claimObjects(objects: readonly ManifestObject[]): Map<string, ManifestObject> {
  const out = new Map<string, ManifestObject>();
  for (const m of objects) {
    const o = m.object;
    if (!isObject(o) || typeof o.kind !== 'string' || !Object.hasOwn(CLAIM_KINDS, o.kind)) continue;
    if (typeof o.apiVersion !== 'string' || !o.apiVersion.startsWith('resource.k8s.io/')) continue;
    const md = isObject(o.metadata) ? o.metadata : {};
    if (typeof md.name !== 'string') continue;
    const key = `${o.kind}:${typeof md.namespace === 'string' ? md.namespace : 'default'}/${md.name}`;
    if (!out.has(key)) out.set(key, m);
  }
  return out;
}

/**
 * The cni-dra-driver interfaces of one claim object, one per request a driver config applies to
 * (`config[j].requests`, or every request when absent), in config order. A claim without the
 * driver's config gives none (it is not a network claim, or not this driver's).
 */
export function claimNetworksOf(m: ManifestObject): PlannedClaimNetwork[] {
  const o = m.object;
  const kind = o.kind as ClaimKind;
  const base = CLAIM_KINDS[kind];
  const devices = kind === 'ResourceClaimTemplate' ? o.spec?.spec?.devices : o.spec?.devices;
  const object = safe(describeObject(o));
  const namespace = typeof o.metadata?.namespace === 'string' ? o.metadata.namespace : 'default';
  const name = String(o.metadata?.name);
  if (!isObject(devices) || !Array.isArray(devices.config)) return [];
  const requests = Array.isArray(devices.requests) ? devices.requests : [];
  const requestNames = requests.map((r) => (isObject(r) && typeof r.name === 'string' ? r.name : undefined));
  const out: PlannedClaimNetwork[] = [];
  const seen = new Set<string>();
  devices.config.forEach((entry, j) => {
    if (!isObject(entry) || !isObject(entry.opaque)) return;
    const at = `${base}.config[${j}]`;
    const other = typeof entry.opaque.driver === 'string' ? NOT_EMULATED_DRIVERS[entry.opaque.driver] : undefined;
    if (other !== undefined) {
      const names = Array.isArray(entry.requests) ? entry.requests.filter((r): r is string => typeof r === 'string') : requestNames.filter((r): r is string => r !== undefined);
      for (const request of names.length > 0 ? names : [`config[${j}]`]) {
        if (seen.has(request)) continue;
        seen.add(request);
        const ifName = isObject(entry.opaque.parameters) ? entry.opaque.parameters.ifName : undefined;
        const nad = isObject(entry.opaque.parameters) ? entry.opaque.parameters.netAttachDefName : undefined;
        out.push({
          key: `claim:${kind}/${namespace}/${name}/${request}`, name: safe(request), namespace, object, request, ifnameField: `${at}.opaque.parameters.ifName`,
          ...(typeof ifName === 'string' && isLinkName(ifName) ? { ifname: ifName } : {}),
          ...(typeof nad === 'string' ? { nad: `${namespace}/${nad}` } : {}),
          uplinks: [], bridges: [], mtu: 1500, notEmulated: `${object}: '${at}.opaque.driver' is ${show(entry.opaque.driver)}: ${other}`,
        });
      }
      return;
    }
    if (entry.opaque.driver !== CNI_DRA_DRIVER) return;
    const params = entry.opaque.parameters;
    const applies = entry.requests;
    const failedAll = (reason: string, request = `config[${j}]`) => out.push(blank(`${object}: ${reason}`, request));
    const blank = (invalid: string, request: string): PlannedClaimNetwork => ({
      key: `claim:${kind}/${namespace}/${name}/${request}`, name: safe(request), namespace, object, request, ifnameField: `${at}.opaque.parameters.ifName`,
      uplinks: [], bridges: [], mtu: 1500, invalid,
    });
    let targets: string[];
    if (applies === undefined) {
      targets = requestNames.filter((r): r is string => r !== undefined);
    } else if (!Array.isArray(applies) || applies.some((r) => typeof r !== 'string')) {
      failedAll(`'${at}.requests' must be a list of request names: got ${show(applies)}; name the requests the config is for, e.g. ["net1"]`);
      return;
    } else {
      targets = applies as string[];
    }
    if (targets.length === 0) {
      failedAll(`'${base}.requests' has no request for the cni-dra-driver config of '${at}': got ${show(devices.requests)}; add a request for the interface`);
      return;
    }
    for (const request of targets) {
      if (seen.has(request)) continue;
      seen.add(request);
      const i = requestNames.indexOf(request);
      if (i < 0 || !DNS1123_LABEL.test(request)) {
        out.push(blank(`${object}: '${at}.requests' names no request of the claim: got ${show(request)}; name a request of '${base}.requests'`, request));
        continue;
      }
      out.push(claimNetwork({ kind, namespace, name, object, base, at, request, requestIndex: i, requestObject: requests[i] as Record<string, unknown>, params }));
    }
  });
  return out;
}

function claimNetwork(c: {
  kind: ClaimKind; namespace: string; name: string; object: string; base: string; at: string;
  request: string; requestIndex: number; requestObject: Record<string, unknown>; params: unknown;
}): PlannedClaimNetwork {
  const ifnameField = `${c.at}.opaque.parameters.ifName`;
  const base = {
    key: `claim:${c.kind}/${c.namespace}/${c.name}/${c.request}`, name: c.request, namespace: c.namespace, object: c.object, request: c.request,
    ifnameField, uplinks: [], bridges: [], mtu: 1500,
  };
  const fail = (reason: string): PlannedClaimNetwork => ({ ...base, invalid: `${c.object}: ${reason}` });
  const exactly = c.requestObject.exactly;
  if (isObject(exactly)) {
    const at = `${c.base}.requests[${c.requestIndex}].exactly`;
    if (exactly.allocationMode === 'All') {
      return fail(`'${at}.allocationMode' must be ExactCount for a cni-dra-driver request: got "All"; ask for one device per interface (count 1)`);
    }
    if (exactly.count !== undefined && exactly.count !== 1) {
      return fail(`'${at}.count' must be 1 for a cni-dra-driver request (one interface per request): got ${show(exactly.count)}; ask for one device per interface`);
    }
  }
  const params = c.params;
  if (!isObject(params)) {
    return fail(`'${c.at}.opaque.parameters' is not an object: got ${show(params)}; write { apiVersion, kind: CNI, ifName, config }`);
  }
  let ifname: string;
  try {
    ifname = linkName(params.ifName, ifnameField);
  } catch (e) {
    if (e instanceof ArgvValueError) return fail(e.message);
    throw e;
  }
  if (ifname === 'eth0') {
    return fail(`'${ifnameField}' is the pod's cluster interface: got "eth0"; pick another name, e.g. "net1"`);
  }
  const configField = `${c.at}.opaque.parameters.config`;
  const config = params.config;
  if (!isObject(config) || !Array.isArray(config.plugins)) {
    return { ...fail(`'${configField}${isObject(config) ? '.plugins' : ''}' is required as a configuration list (the driver reads it with libcni ConfListFromBytes): got ${show(isObject(config) ? config.plugins : config)}; write { cniVersion, name, plugins: [{ type: ... }] }`), ifname };
  }
  let list: CniConfigList;
  try {
    list = toConfigList(config);
  } catch (e) {
    return { ...fail(`'${configField}' is not a CNI config list: ${(e as Error).message}`), ifname };
  }
  // libcni refuses the whole list for a cniVersions entry that is no version (the driver then fails the claim)
  const versions = cniVersionsProblem(list);
  if (versions !== undefined) {
    return { ...fail(`'${configField}.cniVersions' is refused by libcni: got ${show(list.cniVersions)}; write versions such as "1.0.0" (${versions})`), ifname };
  }
  const confined = confineConfig(list, false, configField);
  if (confined.kind === 'failed') return { ...fail(confined.reason), ifname };
  if (confined.kind === 'not-emulated') return { ...base, name: safe(list.name), ifname, notEmulated: `${c.object}: ${confined.reason}` };
  return { ...base, name: safe(list.name), ifname, list: withEffectiveVersion(confined.list), uplinks: confined.uplinks, bridges: confined.bridges, mtu: confined.mtu };
}

/** One entry of a pod's `resourceClaims`, resolved: the claim object's key, or why the entry is bad. */
export type PodClaimRef =
  | { readonly field: string; readonly key: string }
  | { readonly field: string; readonly problem: string };

/**
 * The claims a pod template references (`spec.resourceClaims`), each entry checked as Kubernetes
 * checks it (an object with a DNS-1123 `name` and exactly one of `resourceClaimTemplateName` /
 * `resourceClaimName`, a DNS-1123 subdomain); `field` is the entry's path under `specPath`.
 */
export function podClaimRefs(spec: unknown, specPath: string, namespace: string): PodClaimRef[] {
  if (!isObject(spec) || spec.resourceClaims === undefined) return [];
  const field = `${specPath}.resourceClaims`;
  if (!Array.isArray(spec.resourceClaims)) return [{ field, problem: `'${field}' must be a list: got ${show(spec.resourceClaims)}; write [{ name, resourceClaimTemplateName }]` }];
  return spec.resourceClaims.map((rc, i): PodClaimRef => {
    const at = `${field}[${i}]`;
    if (!isObject(rc)) return { field: at, problem: `'${at}' must be an object: got ${show(rc)}; write { name, resourceClaimTemplateName }` };
    if (typeof rc.name !== 'string' || !DNS1123_LABEL.test(rc.name) || rc.name.length > 63) {
      return { field: at, problem: `'${at}.name' is not a DNS-1123 label: got ${show(rc.name)}; use lowercase letters, digits, '-' (Kubernetes refuses other names)` };
    }
    const t = rc.resourceClaimTemplateName;
    const c = rc.resourceClaimName;
    if ((t === undefined) === (c === undefined)) {
      return { field: at, problem: `'${at}' must name exactly one of resourceClaimTemplateName and resourceClaimName: got ${show(rc)}; name the template (or the claim)` };
    }
    const [kind, ref, refField] = t !== undefined ? ['ResourceClaimTemplate', t, 'resourceClaimTemplateName'] : ['ResourceClaim', c, 'resourceClaimName'];
    if (typeof ref !== 'string' || !DNS1123_SUBDOMAIN.test(ref) || ref.length > 253) {
      return { field: at, problem: `'${at}.${refField}' is not a DNS-1123 subdomain: got ${show(ref)}; use lowercase letters, digits, '-' and '.' (Kubernetes refuses other names)` };
    }
    return { field: at, key: `${kind}:${namespace}/${ref}` };
  });
}

/** The path of the pod spec in a workload kind. */
export function podSpecPathOf(kind: unknown): string {
  return kind === 'Pod' ? 'spec' : kind === 'CronJob' ? 'spec.jobTemplate.spec.template.spec' : 'spec.template.spec';
}
