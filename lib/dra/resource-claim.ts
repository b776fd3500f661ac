import { Problem, ProblemSink, renderValue } from '../cni/problem';
import { DNS1123_LABEL } from '../multus/selection-element';

/**
 * The Dynamic Resource Allocation objects a network attachment can be written as, in the shape of
 * `resource.k8s.io/v1` (GA in Kubernetes 1.34), as plain data, and the checks of that shape.
 * Field names and limits are those of k8s.io/api v0.34.4 `resource/v1/types.go` and the API
 * server's validation (k8s.io/kubernetes v1.34.4 `pkg/apis/resource/validation`).
 */

/** The API version every object here is written with. */
export const RESOURCE_API_VERSION = 'resource.k8s.io/v1';

/** How many devices a request takes. */
export enum DeviceAllocationMode {
  /** `count` devices (default 1). */
  EXACT_COUNT = 'ExactCount',
  /** Every matching device of the node. */
  ALL = 'All',
}

/** A CEL selector of devices. */
export interface DeviceSelector {
  readonly cel: { readonly expression: string };
}

/** The body of a request under `exactly`. */
export interface ExactDeviceRequest {
  readonly deviceClassName: string;
  readonly selectors?: readonly DeviceSelector[];
  readonly allocationMode?: DeviceAllocationMode;
  readonly count?: number;
  readonly adminAccess?: boolean;
}

/** One alternative of `firstAvailable`. */
export interface DeviceSubRequest {
  readonly name: string;
  readonly deviceClassName: string;
  readonly selectors?: readonly DeviceSelector[];
  readonly allocationMode?: DeviceAllocationMode;
  readonly count?: number;
}

/** One request of a claim: exactly one of `exactly` and `firstAvailable`. */
export interface DeviceRequest {
  readonly name: string;
  readonly exactly?: ExactDeviceRequest;
  readonly firstAvailable?: readonly DeviceSubRequest[];
}

/** A driver's settings for some requests of a claim (or all, without `requests`). */
export interface DeviceClaimConfiguration {
  readonly requests?: readonly string[];
  readonly opaque: { readonly driver: string; readonly parameters: { readonly [key: string]: unknown } };
}

/** `spec` of a ResourceClaim (and `spec.spec` of a ResourceClaimTemplate). */
export interface ResourceClaimSpec {
  readonly devices: {
    readonly requests: readonly DeviceRequest[];
    readonly config?: readonly DeviceClaimConfiguration[];
  };
}

/** A pod's `spec.resourceClaims[]` entry. */
export interface PodResourceClaim {
  readonly name: string;
  readonly resourceClaimName?: string;
  readonly resourceClaimTemplateName?: string;
}

// limits of the API server (pkg/apis/resource/types.go, v1.34.4)
const MAX_REQUESTS = 32;
const MAX_CONFIG = 32;
const MAX_SELECTORS = 32;
const MAX_FIRST_AVAILABLE = 8;
const DRIVER_NAME_MAX = 63;
const OPAQUE_PARAMETERS_MAX = 10 * 1024;
const CEL_EXPRESSION_MAX = 10 * 1024;
/** A DNS-1123 subdomain (device class and driver names). */
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The fields of `resource.k8s.io/v1beta1` requests that v1 moved under `exactly`. */
const V1BETA1_REQUEST_FIELDS = ['deviceClassName', 'selectors', 'allocationMode', 'count', 'adminAccess', 'tolerations', 'capacity'];
const REQUEST_FIELDS = ['name', 'exactly', 'firstAvailable'];
const EXACT_FIELDS = ['deviceClassName', 'selectors', 'allocationMode', 'count', 'adminAccess', 'tolerations', 'capacity'];
const SUB_REQUEST_FIELDS = ['name', 'deviceClassName', 'selectors', 'allocationMode', 'count', 'tolerations', 'capacity'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The problems of a claim spec (`spec` of a ResourceClaim, `spec.spec` of a template), each as the
 * API server `resource.k8s.io/v1` would refuse it, plus the shape Multus's how-to still shows
 * (`deviceClassName` directly on a request, `resource.k8s.io/v1beta1`), named as such.
 */
export function claimSpecProblems(spec: unknown): Problem[] {
  const sink = new ProblemSink();
  if (!isObject(spec)) {
    sink.error('', 'is not a claim spec object', spec, 'write { devices: { requests: [...] } }');
    return sink.problems;
  }
  const devices = spec.devices;
  if (!isObject(devices)) {
    sink.error('devices', 'is required', devices, 'write devices: { requests: [{ name, exactly: { deviceClassName } }] }');
    return sink.problems;
  }
  const d = sink.child('devices');
  const requests = devices.requests;
  const names = new Map<string, Set<string>>();
  if (!Array.isArray(requests) || requests.length === 0) {
    d.error('requests', 'is empty', requests, 'add a request such as { name: "net", exactly: { deviceClassName: "..." } }');
  } else {
    if (requests.length > MAX_REQUESTS) d.error('requests', `holds more than ${MAX_REQUESTS} requests (${requests.length})`, requests.length, `split the devices over several claims of at most ${MAX_REQUESTS} requests`);
    requests.forEach((r, i) => {
      const sub = requestProblems(r, d.child(`requests[${i}]`));
      if (sub === undefined) return;
      if (names.has(sub.name)) d.error(`requests[${i}].name`, 'is used twice in the claim', sub.name, 'give each request its own name');
      else names.set(sub.name, sub.subRequests);
    });
  }
  const config = devices.config;
  if (config !== undefined) {
    if (!Array.isArray(config)) {
      d.error('config', 'is not a list', config, 'write config: [{ requests: ["net"], opaque: { driver, parameters } }]');
    } else {
      if (config.length > MAX_CONFIG) d.error('config', `holds more than ${MAX_CONFIG} entries (${config.length})`, config.length, `use at most ${MAX_CONFIG}`);
      config.forEach((c, i) => configProblems(c, names, d.child(`config[${i}]`)));
    }
  }
  for (const key of Object.keys(devices)) {
    if (!['requests', 'config', 'constraints'].includes(key)) d.error(key, 'is not a field of a device claim', devices[key], 'use requests, config and constraints only');
  }
  return sink.problems;
}

/** Checks one request; returns its name and sub-request names when it has a usable name. */
function requestProblems(r: unknown, s: ProblemSink): { name: string; subRequests: Set<string> } | undefined {
  if (!isObject(r)) {
    s.error('', 'is not a request object', r, 'write { name: "net", exactly: { deviceClassName: "..." } }');
    return undefined;
  }
  const name = typeof r.name === 'string' ? r.name : undefined;
  if (name === undefined || !DNS1123_LABEL.test(name) || name.length > 63) {
    s.error('name', 'is not a DNS-1123 label', r.name, 'name the request with lowercase letters, digits and "-", at most 63 characters');
  }
  const beta = V1BETA1_REQUEST_FIELDS.filter((k) => r[k] !== undefined);
  for (const k of beta) {
    s.error(k, 'is set directly on the request (the resource.k8s.io/v1beta1 shape; v1 refuses it)', r[k],
      `move it under 'exactly': { name: ${renderValue(r.name)}, exactly: { ${k}: ${renderValue(r[k])} } }`);
  }
  for (const k of Object.keys(r)) {
    if (!REQUEST_FIELDS.includes(k) && !V1BETA1_REQUEST_FIELDS.includes(k)) s.error(k, 'is not a field of a device request', r[k], 'use name with exactly or firstAvailable');
  }
  const subRequests = new Set<string>();
  const hasExactly = r.exactly !== undefined;
  const hasFirst = r.firstAvailable !== undefined && !(Array.isArray(r.firstAvailable) && r.firstAvailable.length === 0);
  if (hasExactly && hasFirst) {
    s.error('', "sets both 'exactly' and 'firstAvailable'", Object.keys(r), 'keep one of them');
  } else if (!hasExactly && !hasFirst && beta.length === 0) {
    s.error('exactly', 'is required (or firstAvailable)', undefined, 'write exactly: { deviceClassName: "..." }');
  }
  if (hasExactly) exactProblems(r.exactly, s.child('exactly'), EXACT_FIELDS);
  if (hasFirst) {
    const list = r.firstAvailable;
    if (!Array.isArray(list)) {
      s.error('firstAvailable', 'is not a list', list, 'list the alternatives: firstAvailable: [{ name, deviceClassName }, ...]');
    } else {
      if (list.length > MAX_FIRST_AVAILABLE) s.error('firstAvailable', `holds more than ${MAX_FIRST_AVAILABLE} alternatives (${list.length})`, list.length, `keep at most ${MAX_FIRST_AVAILABLE}`);
      list.forEach((sr, j) => {
        const c = s.child(`firstAvailable[${j}]`);
        if (!isObject(sr)) {
          c.error('', 'is not a sub-request object', sr, 'write { name, deviceClassName }');
          return;
        }
        if (typeof sr.name !== 'string' || !DNS1123_LABEL.test(sr.name) || sr.name.length > 63) {
          c.error('name', 'is not a DNS-1123 label', sr.name, 'name the alternative with lowercase letters, digits and "-"');
        } else if (subRequests.has(sr.name)) {
          c.error('name', 'is used twice in the request', sr.name, 'give each alternative its own name');
        } else {
          subRequests.add(sr.name);
        }
        exactProblems(sr, c, SUB_REQUEST_FIELDS, ['name']);
      });
    }
  }
  return name === undefined ? undefined : { name, subRequests };
}

/** Checks a request body (`exactly`, or one alternative of `firstAvailable`). */
function exactProblems(e: unknown, s: ProblemSink, fields: readonly string[], skip: readonly string[] = []): void {
  if (!isObject(e)) {
    s.error('', 'is not an object', e, 'write { deviceClassName: "..." }');
    return;
  }
  for (const k of Object.keys(e)) {
    if (!fields.includes(k) && !skip.includes(k)) s.error(k, 'is not a field here', e[k], `use ${fields.join(', ')}`);
  }
  const cls = e.deviceClassName;
  if (typeof cls !== 'string' || cls.length === 0) {
    s.error('deviceClassName', 'is required', cls, 'name the DeviceClass the devices come from');
  } else if (!DNS1123_SUBDOMAIN.test(cls) || cls.length > 253) {
    s.error('deviceClassName', 'is not a DNS-1123 subdomain', cls, 'use the name of a DeviceClass (lowercase letters, digits, "-" and ".")');
  }
  const mode = e.allocationMode;
  if (mode !== undefined && mode !== DeviceAllocationMode.EXACT_COUNT && mode !== DeviceAllocationMode.ALL) {
    s.error('allocationMode', 'is not an allocation mode', mode, 'write ExactCount or All');
  }
  const count = e.count;
  if (mode === DeviceAllocationMode.ALL && count !== undefined) {
    s.error('count', 'is set with allocationMode All', count, 'remove it, or use allocationMode ExactCount');
  } else if (count !== undefined && (typeof count !== 'number' || !Number.isInteger(count) || count < 1)) {
    s.error('count', 'is not a positive whole number', count, 'write a count of 1 or more');
  }
  if (e.adminAccess !== undefined && typeof e.adminAccess !== 'boolean') s.error('adminAccess', 'is not a boolean', e.adminAccess, 'write true or false');
  const selectors = e.selectors;
  if (selectors !== undefined) {
    if (!Array.isArray(selectors)) {
      s.error('selectors', 'is not a list', selectors, 'write selectors: [{ cel: { expression: "..." } }]');
      return;
    }
    if (selectors.length > MAX_SELECTORS) s.error('selectors', `holds more than ${MAX_SELECTORS} selectors`, selectors.length, `keep at most ${MAX_SELECTORS}`);
    selectors.forEach((sel, i) => {
      const expr = isObject(sel) && isObject(sel.cel) ? sel.cel.expression : undefined;
      if (typeof expr !== 'string' || expr.trim() === '') {
        s.error(`selectors[${i}].cel.expression`, 'is required', expr, 'write a CEL expression such as device.driver == "example.com"');
      } else if (expr.length > CEL_EXPRESSION_MAX) {
        s.error(`selectors[${i}].cel.expression`, `is longer than ${CEL_EXPRESSION_MAX} characters`, expr.length, 'shorten the expression');
      }
    });
  }
}

/** Checks one config entry against the claim's request names. */
function configProblems(c: unknown, names: ReadonlyMap<string, ReadonlySet<string>>, s: ProblemSink): void {
  if (!isObject(c)) {
    s.error('', 'is not a config object', c, 'write { requests: ["net"], opaque: { driver, parameters } }');
    return;
  }
  const requests = c.requests;
  if (requests !== undefined) {
    if (!Array.isArray(requests)) {
      s.error('requests', 'is not a list', requests, 'list request names, e.g. ["net"]');
    } else {
      requests.forEach((r, i) => {
        const [req, sub] = typeof r === 'string' ? r.split('/', 2) : [undefined, undefined];
        const known = req !== undefined ? names.get(req) : undefined;
        if (known === undefined || (sub !== undefined && !known.has(sub))) {
          s.error(`requests[${i}]`, 'names no request of the claim', r, names.size > 0 ? `use one of ${[...names.keys()].map((n) => JSON.stringify(n)).join(', ')}` : 'add the request it configures');
        }
      });
    }
  }
  const opaque = c.opaque;
  if (!isObject(opaque)) {
    s.error('opaque', 'is required', opaque, 'write opaque: { driver: "<driver name>", parameters: {...} }');
    return;
  }
  const driver = opaque.driver;
  if (typeof driver !== 'string' || !DNS1123_SUBDOMAIN.test(driver) || driver.length > DRIVER_NAME_MAX) {
    s.error('opaque.driver', `is not a driver name (a DNS-1123 subdomain of at most ${DRIVER_NAME_MAX} characters)`, driver, 'name the DRA driver, e.g. cni.dra.networking.x-k8s.io');
  }
  const parameters = opaque.parameters;
  if (!isObject(parameters)) {
    s.error('opaque.parameters', 'is not an object', parameters, "write the driver's parameters as an object");
  } else {
    const size = JSON.stringify(parameters).length;
    if (size > OPAQUE_PARAMETERS_MAX) s.error('opaque.parameters', `are ${size} bytes as JSON, more than the ${OPAQUE_PARAMETERS_MAX} the API server stores`, size, 'shorten the parameters');
  }
}

/** The request names of a claim spec (already checked or not: only the well-formed ones). */
export function requestNamesOf(spec: unknown): string[] {
  const requests = isObject(spec) && isObject(spec.devices) && Array.isArray(spec.devices.requests) ? spec.devices.requests : [];
  return requests.filter(isObject).map((r) => r.name).filter((n): n is string => typeof n === 'string');
}

/**
 * The problems of a pod spec's DRA references: `spec.resourceClaims` (names, exactly one source
 * each) and every container's `resources.claims`, which must name one of them.
 * `knownClaims` / `knownTemplates`, when given, are the ResourceClaims and ResourceClaimTemplates
 * of the pod's namespace the references must resolve to.
 */
export function podClaimProblems(podSpec: unknown, known: { claims?: ReadonlySet<string>; templates?: ReadonlySet<string> } = {}): Problem[] {
  const sink = new ProblemSink();
  if (!isObject(podSpec)) return sink.problems;
  const declared = new Set<string>();
  const rc = podSpec.resourceClaims;
  if (rc !== undefined && !Array.isArray(rc)) {
    sink.error('resourceClaims', 'is not a list', rc, 'list the claims: resourceClaims: [{ name, resourceClaimTemplateName }]');
  } else {
    (rc ?? []).forEach((c: unknown, i: number) => {
      const s = sink.child(`resourceClaims[${i}]`);
      if (!isObject(c)) {
        s.error('', 'is not an object', c, 'write { name, resourceClaimTemplateName }');
        return;
      }
      if (typeof c.name !== 'string' || !DNS1123_LABEL.test(c.name) || c.name.length > 63) {
        s.error('name', 'is not a DNS-1123 label', c.name, 'name the pod claim with lowercase letters, digits and "-"');
      } else if (declared.has(c.name)) {
        s.error('name', 'is used twice in the pod', c.name, 'give each pod claim its own name');
      } else {
        declared.add(c.name);
      }
      const byName = c.resourceClaimName;
      const byTemplate = c.resourceClaimTemplateName;
      if ((byName === undefined) === (byTemplate === undefined)) {
        s.error('', 'needs exactly one of resourceClaimName and resourceClaimTemplateName', c, 'name a ResourceClaimTemplate (one claim per pod) or an existing ResourceClaim');
      } else if (byTemplate !== undefined && known.templates && !known.templates.has(String(byTemplate))) {
        s.error('resourceClaimTemplateName', "names no ResourceClaimTemplate of the pod's namespace", byTemplate, 'create the template in the namespace, or fix the name');
      } else if (byName !== undefined && known.claims && !known.claims.has(String(byName))) {
        s.error('resourceClaimName', "names no ResourceClaim of the pod's namespace", byName, 'create the claim in the namespace, or fix the name');
      }
    });
  }
  for (const kind of ['initContainers', 'containers'] as const) {
    const list = podSpec[kind];
    if (!Array.isArray(list)) continue;
    list.forEach((ctr: unknown, i: number) => {
      const claims = isObject(ctr) && isObject(ctr.resources) ? ctr.resources.claims : undefined;
      if (!Array.isArray(claims)) return;
      claims.forEach((cl: unknown, j: number) => {
        const name = isObject(cl) ? cl.name : cl;
        if (typeof name !== 'string' || !declared.has(name)) {
          sink.error(`${kind}[${i}].resources.claims[${j}].name`, "names no claim of the pod's spec.resourceClaims", name,
            declared.size > 0 ? `use one of ${[...declared].map((n) => JSON.stringify(n)).join(', ')}` : 'declare it in spec.resourceClaims first');
        }
      });
    });
  }
  return sink.problems;
}
