import { interfaceNameProblem } from '../cni/field';
import { lintCniConfig } from '../cni/parse';
import { Problem, ProblemSink, Severity, nestProblems } from '../cni/problem';
import { PluginsProfile } from '../cni/profile';

/**
 * kubernetes-sigs/cni-dra-driver: runs a CNI configuration list from a claim's opaque parameters
 * (one network interface per request). Names from the upstream API types and design
 * (kubernetes-sigs/cni-dra-driver@c9899d2, `apis/v1alpha1/types.go`,
 * `docs/design/device-configuration-api.md`); the runtime reads the parameters with a plain
 * `json.Unmarshal` into `CNIConfig` and runs `config` through `libcni.ConfListFromBytes`, with no
 * capability arguments (so per-pod values travel as `runtimeConfig` inside the config).
 */
export const CNI_DRA_DRIVER = 'cni.dra.networking.x-k8s.io';

/** The device class the design names for CNI requests. */
export const CNI_DRA_DEVICE_CLASS = 'cni.networking.x-k8s.io';

/** `apiVersion` of the opaque parameters, as the design's examples write it. */
export const CNI_DRA_PARAMETERS_API_VERSION = 'cni.networking.x-k8s.io/v1alpha1';

/** `kind` of the opaque parameters. */
export const CNI_DRA_PARAMETERS_KIND = 'CNI';

/** The opaque parameters of a cni-dra-driver request. */
export interface CniDraParameters {
  readonly [key: string]: unknown;
  readonly apiVersion: string;
  readonly kind: string;
  /** The interface name in the pod. */
  readonly ifName: string;
  /** The CNI configuration list, as an object. */
  readonly config: { readonly [key: string]: unknown };
}

const KNOWN_KEYS = ['apiVersion', 'kind', 'ifName', 'config'];

/** Builds the parameters of one interface. */
export function cniDraParameters(ifName: string, config: { readonly [key: string]: unknown }): CniDraParameters {
  return { apiVersion: CNI_DRA_PARAMETERS_API_VERSION, kind: CNI_DRA_PARAMETERS_KIND, ifName, config };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The problems of cni-dra-driver parameters: the interface name, the config list as libcni reads
 * it (`plugins` and `name` required), then the config through the typed CNI model (the same
 * checks a NAD's `spec.config` gets), against `profile`.
 */
export function cniDraParameterProblems(params: unknown, profile: PluginsProfile = PluginsProfile.UPSTREAM): Problem[] {
  const sink = new ProblemSink();
  if (!isObject(params)) {
    sink.error('', 'is not an object', params, 'write { apiVersion, kind: CNI, ifName, config }');
    return sink.problems;
  }
  if (params.apiVersion !== CNI_DRA_PARAMETERS_API_VERSION || params.kind !== CNI_DRA_PARAMETERS_KIND) {
    sink.warn('apiVersion', `is not the documented ${CNI_DRA_PARAMETERS_API_VERSION} ${CNI_DRA_PARAMETERS_KIND}`, `${String(params.apiVersion)} ${String(params.kind)}`,
      `write apiVersion: ${CNI_DRA_PARAMETERS_API_VERSION} and kind: ${CNI_DRA_PARAMETERS_KIND} (the driver does not read them today; a versioned decoder would)`);
  }
  for (const k of Object.keys(params)) {
    if (!KNOWN_KEYS.includes(k)) sink.warn(k, 'is ignored by cni-dra-driver', params[k], `remove it: the parameters hold ${KNOWN_KEYS.join(', ')}`);
  }
  const ifName = params.ifName;
  if (typeof ifName !== 'string') {
    sink.error('ifName', 'is required', ifName, 'name the interface in the pod, e.g. "net1"');
  } else {
    const p = interfaceNameProblem(ifName);
    if (p) sink.error('ifName', p.message, ifName, p.fix);
    else if (ifName === 'eth0' || ifName === 'lo') sink.error('ifName', "is the pod's cluster or loopback interface", ifName, 'pick another name, e.g. "net1"');
  }
  const config = params.config;
  if (!isObject(config)) {
    sink.error('config', 'is not a CNI configuration object', config, 'write the configuration list as an object: { cniVersion, name, plugins: [...] }');
    return sink.problems;
  }
  if (!Array.isArray(config.plugins)) {
    sink.error('config.plugins', 'is required: the driver reads a configuration list (libcni ConfListFromBytes)', config.plugins,
      'write the config as a list: { cniVersion, name, plugins: [{ type: ... }] }');
    return sink.problems;
  }
  if (typeof config.name !== 'string' || config.name === '') {
    sink.error('config.name', 'is required by libcni', config.name, 'name the network, e.g. the NAD name');
  }
  // the typed model refuses runtimeConfig in a stored config (Multus injects it): check the rest
  const stored = { ...config, plugins: config.plugins.map((p) => (isObject(p) && 'runtimeConfig' in p ? withoutRuntimeConfig(p) : p)) };
  config.plugins.forEach((p, i) => {
    if (isObject(p) && p.runtimeConfig !== undefined && !isObject(p.runtimeConfig)) {
      sink.error(`config.plugins[${i}].runtimeConfig`, 'is not an object', p.runtimeConfig, 'write the per-pod values as an object, e.g. { ips: ["10.1.0.5/24"] }');
    }
  });
  for (const p of nestProblems('config', lintCniConfig(stored, { profile }).problems)) {
    if (p.severity === Severity.ERROR) sink.error(p.field, p.message, p.value, p.fix);
    else sink.warn(p.field, p.message, p.value, p.fix);
  }
  return sink.problems;
}

function withoutRuntimeConfig(p: Record<string, unknown>): Record<string, unknown> {
  const { runtimeConfig: _drop, ...rest } = p;
  return rest;
}
