import { Problem, ProblemSink } from '../cni/problem';
import { PluginsProfile } from '../cni/profile';
import { CNI_DRA_DEVICE_CLASS, CNI_DRA_DRIVER, cniDraParameterProblems } from './cni-dra-driver';
import { DRANET_DRIVER, dranetParameterProblems } from './dranet';
import { DeviceAllocationMode, claimSpecProblems } from './resource-claim';
import { MULTUS_RESOURCE_NAME_ATTRIBUTE, SRIOV_DRA_DRIVER, vfConfigProblems } from './sriov-dra-driver';

/**
 * The checks of network claims: the v1 shape, each known driver's parameters, the driver's rules
 * for requests, and, per pod, the devices its claims take against the attachments that need them.
 */

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The parameter check of each known network driver. */
const PARAMETER_CHECKS: Readonly<Record<string, (params: unknown, profile: PluginsProfile) => Problem[]>> = {
  [CNI_DRA_DRIVER]: cniDraParameterProblems,
  [SRIOV_DRA_DRIVER]: (p) => vfConfigProblems(p),
  [DRANET_DRIVER]: (p) => dranetParameterProblems(p),
};

/** Whether a driver is one this library knows the parameters of. */
export function isKnownNetworkDriver(driver: unknown): boolean {
  return typeof driver === 'string' && driver in PARAMETER_CHECKS;
}

/**
 * Every problem of a claim spec: the `resource.k8s.io/v1` shape, the parameters of the drivers
 * this library knows, and cni-dra-driver's rules (each request it configures takes exactly one
 * device and has exactly one config of the driver).
 */
export function networkClaimProblems(spec: unknown, profile: PluginsProfile = PluginsProfile.UPSTREAM): Problem[] {
  const sink = new ProblemSink();
  sink.addAll(claimSpecProblems(spec));
  const devices = isObject(spec) && isObject(spec.devices) ? spec.devices : undefined;
  if (!devices) return sink.problems;
  const requests = Array.isArray(devices.requests) ? devices.requests.filter(isObject) : [];
  const config = Array.isArray(devices.config) ? devices.config : [];
  const cniConfigsOf = new Map<string, number>();
  config.forEach((c, i) => {
    if (!isObject(c) || !isObject(c.opaque)) return;
    const driver = c.opaque.driver;
    const check = typeof driver === 'string' ? PARAMETER_CHECKS[driver] : undefined;
    if (check) sink.addAll(check(c.opaque.parameters, profile), `devices.config[${i}].opaque.parameters`);
    if (driver === CNI_DRA_DRIVER) {
      const targets = Array.isArray(c.requests) ? c.requests.filter((r): r is string => typeof r === 'string') : requests.map((r) => String(r.name));
      if (!Array.isArray(c.requests) && requests.length > 1) {
        sink.error(`devices.config[${i}].requests`, 'is not set, so one CNI config applies to every request of the claim', undefined,
          'name the one request this interface is for: cni-dra-driver creates one interface per request, from its own config');
      }
      for (const t of targets) cniConfigsOf.set(t, (cniConfigsOf.get(t) ?? 0) + 1);
    }
    // an interface name given by the SR-IOV driver's VfConfig or DRANET's NetworkConfig names one
    // interface: the requests it applies to take one device each
    const params = isObject(c.opaque.parameters) ? c.opaque.parameters : undefined;
    const named = driver === SRIOV_DRA_DRIVER ? params?.ifName : driver === DRANET_DRIVER && isObject(params?.interface) ? params!.interface.name : undefined;
    if (typeof named === 'string' && named !== '') {
      const targets = Array.isArray(c.requests) ? c.requests.filter((r): r is string => typeof r === 'string') : requests.map((r) => String(r.name));
      requests.forEach((r, j) => {
        if (!targets.includes(String(r.name))) return;
        const exactly = isObject(r.exactly) ? r.exactly : undefined;
        const many = r.firstAvailable === undefined && exactly !== undefined
          && ((exactly.allocationMode ?? DeviceAllocationMode.EXACT_COUNT) !== DeviceAllocationMode.EXACT_COUNT || (exactly.count ?? 1) !== 1);
        if (many) {
          sink.error(`devices.requests[${j}].exactly`, `takes other than one device, but the ${driver} config of devices.config[${i}] names one interface (${named})`,
            { allocationMode: exactly!.allocationMode, count: exactly!.count }, 'write allocationMode ExactCount and count 1, or leave the interface name out and let the driver name each');
        }
      });
    }
  });
  requests.forEach((r, i) => {
    const exactly = isObject(r.exactly) ? r.exactly : undefined;
    const name = String(r.name);
    const configs = cniConfigsOf.get(name) ?? 0;
    const forCni = configs > 0 || exactly?.deviceClassName === CNI_DRA_DEVICE_CLASS;
    if (!forCni) return;
    if (configs === 0) {
      sink.error(`devices.requests[${i}]`, `has no config of ${CNI_DRA_DRIVER}`, name, 'add a config entry naming this request with the CNI parameters (ifName, config)');
    } else if (configs > 1) {
      sink.error(`devices.requests[${i}]`, `has ${configs} configs of ${CNI_DRA_DRIVER}; the driver uses the first and ignores the others`, name, 'keep one config per request');
    }
    if (r.firstAvailable !== undefined) {
      sink.error(`devices.requests[${i}].firstAvailable`, `is used for a ${CNI_DRA_DRIVER} request`, name, "use 'exactly' with count 1: each request is one interface");
    }
    if (exactly && ((exactly.allocationMode ?? DeviceAllocationMode.EXACT_COUNT) !== DeviceAllocationMode.EXACT_COUNT || (exactly.count ?? 1) !== 1)) {
      sink.error(`devices.requests[${i}].exactly`, `takes other than exactly one device for a ${CNI_DRA_DRIVER} request`, { allocationMode: exactly.allocationMode, count: exactly.count },
        'write allocationMode ExactCount and count 1: each request is one interface');
    }
  });
  return sink.problems;
}

const RESOURCE_NAME_SELECTOR = /device\.attributes\[\s*["']k8s\.cni\.cncf\.io["']\s*\]\.resourceName\s*==\s*(?:"([^"]*)"|'([^']*)')/;

/** The resource name a request's CEL selectors pin the Multus attribute to, if any. */
export function pinnedResourceName(selectors: unknown): string | undefined {
  if (!Array.isArray(selectors)) return undefined;
  for (const s of selectors) {
    const expr = isObject(s) && isObject(s.cel) ? s.cel.expression : undefined;
    const m = typeof expr === 'string' ? RESOURCE_NAME_SELECTOR.exec(expr) : null;
    if (m) return m[1] ?? m[2];
  }
  return undefined;
}

/**
 * The devices claim specs take, by the resource name their selectors pin
 * `k8s.cni.cncf.io/resourceName` to (the attribute Multus maps to a NAD's `resourceName`);
 * `Infinity` for allocationMode All.
 */
export function draResourceCounts(specs: readonly unknown[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const spec of specs) {
    const requests = isObject(spec) && isObject(spec.devices) && Array.isArray(spec.devices.requests) ? spec.devices.requests : [];
    for (const r of requests) {
      const exactly = isObject(r) && isObject(r.exactly) ? r.exactly : undefined;
      const resource = exactly ? pinnedResourceName(exactly.selectors) : undefined;
      if (!exactly || resource === undefined) continue;
      const n = exactly.allocationMode === DeviceAllocationMode.ALL ? Infinity : typeof exactly.count === 'number' ? exactly.count : 1;
      out.set(resource, (out.get(resource) ?? 0) + n);
    }
  }
  return out;
}

/** What the device check sees of one pod. */
export interface DraPodDevices {
  /** The `resourceName` of the NAD of each attachment (undefined for NADs without one), in order. */
  readonly attachmentResources: readonly (string | undefined)[];
  /** The specs of the claims the pod's `resourceClaims` resolve to. */
  readonly claimSpecs: readonly unknown[];
  /** Extended resources the containers request (device plugins). @default - none */
  readonly resourceRequests?: Readonly<Record<string, number>>;
}

/**
 * Devices against attachments, per pod: Multus gives each attachment to a NAD with a
 * `resourceName` one device whose `k8s.cni.cncf.io/resourceName` attribute equals it, from the
 * pod's claims (or its device-plugin requests). A claim pinned to another name, or taking more or
 * fewer devices than the attachments use, leaves an interface without a device or a device idle.
 */
export function podDeviceProblems(pod: DraPodDevices): Problem[] {
  const sink = new ProblemSink();
  const claimed = draResourceCounts(pod.claimSpecs);
  if (claimed.size === 0) return sink.problems;
  const needed = new Map<string, number>();
  pod.attachmentResources.forEach((r) => { if (r !== undefined) needed.set(r, (needed.get(r) ?? 0) + 1); });
  const unmatched = [...claimed.keys()].filter((r) => !needed.has(r));
  pod.attachmentResources.forEach((r, i) => {
    if (r === undefined || claimed.has(r) || (pod.resourceRequests?.[r] ?? 0) > 0) return;
    sink.error(`attachments[${i}].resourceName`, `matches no device the pod's claims select by ${MULTUS_RESOURCE_NAME_ATTRIBUTE}`, r,
      unmatched.length > 0 ? `make the NAD's resourceName ${unmatched.map((u) => JSON.stringify(u)).join(' or ')} (the attribute the claims select), or select "${r}" in the claim`
        : `select devices with device.attributes["k8s.cni.cncf.io"].resourceName == "${r}" in a claim of the pod`);
  });
  for (const [resource, n] of claimed) {
    const want = needed.get(resource);
    if (want === undefined) {
      sink.warn('resourceClaims', `take ${n === Infinity ? 'all' : n} device(s) with ${MULTUS_RESOURCE_NAME_ATTRIBUTE} "${resource}" that no attachment uses`, resource,
        'attach a NAD whose resourceName is this value, or drop the request');
    } else if (n !== want) {
      sink.error('resourceClaims', `take ${n === Infinity ? 'all' : n} device(s) with ${MULTUS_RESOURCE_NAME_ATTRIBUTE} "${resource}" for ${want} attachment(s)`, n === Infinity ? 'All' : n,
        `request exactly ${want} (allocationMode ExactCount, count ${want})`);
    }
  }
  return sink.problems;
}
