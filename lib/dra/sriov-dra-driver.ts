import { interfaceNameProblem } from '../cni/field';
import { Problem, ProblemSink } from '../cni/problem';
import { DNS1123_LABEL } from '../multus/selection-element';
import { DNS1123_SUBDOMAIN } from './resource-claim';

/**
 * k8snetworkplumbingwg/dra-driver-sriov: SR-IOV virtual functions as DRA devices. Names from
 * k8snetworkplumbingwg/dra-driver-sriov@cd9404f (`pkg/consts/consts.go`,
 * `pkg/api/virtualfunction/v1alpha1/api.go`, `pkg/devicestate/statehelpers.go`): the parameters
 * are decoded strictly against the registered `VfConfig` kind, so an unknown key or another
 * apiVersion/kind fails the claim's preparation.
 */
export const SRIOV_DRA_DRIVER = 'sriovnetwork.k8snetworkplumbingwg.io';

/** The device class the driver's Helm chart installs. */
export const SRIOV_DRA_DEVICE_CLASS = 'sriovnetwork.k8snetworkplumbingwg.io';

/** `apiVersion` of the `VfConfig` parameters. */
export const SRIOV_VF_CONFIG_API_VERSION = 'sriovnetwork.k8snetworkplumbingwg.io/v1alpha1';

/** The device attribute holding the resource name Multus matches against a NAD's `resourceName`. */
export const MULTUS_RESOURCE_NAME_ATTRIBUTE = 'k8s.cni.cncf.io/resourceName';

/** The device attribute holding the device ID Multus hands to the delegate (`deviceID`). */
export const MULTUS_DEVICE_ID_ATTRIBUTE = 'k8s.cni.cncf.io/deviceID';

/** The SR-IOV driver's `VfConfig`. */
export interface VfConfig {
  readonly [key: string]: unknown;
  readonly apiVersion: string;
  readonly kind: 'VfConfig';
  /** The interface name in the pod (standalone mode names it `net<N>` when unset). */
  readonly ifName?: string;
  /** The NAD whose config the driver runs in standalone mode (required there). */
  readonly netAttachDefName?: string;
  /** A kernel driver to bind the VF to, e.g. `vfio-pci`. */
  readonly driver?: string;
}

const KNOWN_KEYS = ['apiVersion', 'kind', 'driver', 'addVhostMount', 'ifName', 'netAttachDefName', 'netAttachDefNamespace'];

/** Builds a `VfConfig` naming a NAD of the claim's namespace. */
export function vfConfig(props: { netAttachDefName: string; ifName?: string; driver?: string }): VfConfig {
  const out: { -readonly [K in keyof VfConfig]: VfConfig[K] } = { apiVersion: SRIOV_VF_CONFIG_API_VERSION, kind: 'VfConfig' };
  if (props.ifName !== undefined) out.ifName = props.ifName;
  out.netAttachDefName = props.netAttachDefName;
  if (props.driver !== undefined) out.driver = props.driver;
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The problems of `VfConfig` parameters, as the driver's strict decoder and preparation see them. */
export function vfConfigProblems(params: unknown): Problem[] {
  const sink = new ProblemSink();
  if (!isObject(params)) {
    sink.error('', 'is not an object', params, `write { apiVersion: ${SRIOV_VF_CONFIG_API_VERSION}, kind: VfConfig, netAttachDefName }`);
    return sink.problems;
  }
  if (params.apiVersion !== SRIOV_VF_CONFIG_API_VERSION) {
    sink.error('apiVersion', 'is not the version the driver decodes', params.apiVersion, `write ${SRIOV_VF_CONFIG_API_VERSION}`);
  }
  if (params.kind !== 'VfConfig') sink.error('kind', 'is not a kind the driver decodes', params.kind, 'write VfConfig');
  for (const k of Object.keys(params)) {
    if (!KNOWN_KEYS.includes(k)) sink.error(k, 'is not a VfConfig field (the driver decodes strictly and fails the claim)', params[k], `remove it; the fields are ${KNOWN_KEYS.join(', ')}`);
  }
  const name = params.netAttachDefName;
  if (name === undefined || name === '') {
    sink.warn('netAttachDefName', 'is not set: the driver has no NAD to run in standalone mode', name, 'name the NetworkAttachmentDefinition of the claim\'s namespace (not needed when Multus runs the NAD)');
  } else if (typeof name !== 'string' || !DNS1123_SUBDOMAIN.test(name) || name.length > 253) {
    sink.error('netAttachDefName', 'is not a NAD name', name, 'use the name of a NetworkAttachmentDefinition (a DNS-1123 subdomain)');
  }
  if (params.ifName !== undefined) {
    const p = typeof params.ifName === 'string' ? interfaceNameProblem(params.ifName) : { message: 'is not a string', fix: 'write an interface name such as "net1"' };
    if (p) sink.error('ifName', p.message, params.ifName, p.fix);
  }
  if (params.driver !== undefined && (typeof params.driver !== 'string' || !/^[A-Za-z0-9_-]+$/.test(params.driver))) {
    sink.error('driver', 'is not a kernel driver name', params.driver, 'write a driver such as vfio-pci');
  }
  for (const k of ['netAttachDefNamespace', 'addVhostMount']) {
    if (params[k] === undefined) continue;
    // VfConfig.Override (statehelpers.go) copies driver, ifName and netAttachDefName only
    sink.warn(k, 'is dropped by the driver before use (VfConfig.Override at dra-driver-sriov@cd9404f copies driver, ifName and netAttachDefName only)', params[k],
      k === 'netAttachDefNamespace' ? 'keep the NAD in the claim\'s namespace and remove the field' : 'remove it, or expect no /dev/vhost-net in the container');
  }
  if (params.netAttachDefNamespace !== undefined && (typeof params.netAttachDefNamespace !== 'string' || !DNS1123_LABEL.test(params.netAttachDefNamespace))) {
    sink.error('netAttachDefNamespace', 'is not a namespace name', params.netAttachDefNamespace, 'write a DNS-1123 label');
  }
  return sink.problems;
}
