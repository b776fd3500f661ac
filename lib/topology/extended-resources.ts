import { ProblemSink } from '../cni/problem';

/**
 * Extended resources of a container as the Kubernetes API server validates them (k8s 1.34
 * pkg/apis/core/validation `validateResourceRequirements`, `validateContainerResourceName`): plain
 * data, no cdk8s, so that the constructs (PodNetworks.requestResource, NetworkFunction's
 * extendedResources) and the command can share the rule.
 */

/** A Kubernetes quantity (resource.Quantity's text form), e.g. `2Gi`, `500m`, `1`. */
export const QUANTITY = /^[+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;

/** A qualified name's name part (Kubernetes `IsQualifiedName`): at most 63 characters. */
const QUALIFIED_NAME_PART = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
/** A DNS-1123 subdomain (the prefix of a qualified name). */
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** The huge page resources: `hugepages-<page size>`, the size a binary quantity such as 2Mi or 1Gi. */
const HUGEPAGES = /^hugepages-[0-9]+(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;
/** Resources of the pod's own `resources` (cdk8s-plus's `resources` prop, or the manifest). */
const NATIVE_RESOURCES: ReadonlySet<string> = new Set(['cpu', 'memory', 'ephemeral-storage', 'storage']);

/**
 * The problems of an extended resource request (a device-plugin resource such as
 * `intel.com/sriov_netdevice`, or huge pages `hugepages-2Mi`), as Kubernetes validates a
 * container's resources: a vendor resource is a qualified name with a domain outside
 * kubernetes.io and takes a whole number (devices cannot be split); huge pages take any
 * quantity of bytes.
 * @param fields the names the problems are reported under
 */
export function resourceRequestProblems(resource: unknown, quantity: unknown, sink: ProblemSink,
  fields: { readonly resource: string; readonly quantity: string } = { resource: 'resource', quantity: 'quantity' }): void {
  if (typeof resource !== 'string' || resource === '') {
    sink.error(fields.resource, 'must be a resource name', resource, 'write a vendor resource such as "intel.com/sriov_netdevice", or "hugepages-2Mi"');
    return;
  }
  const hugepages = isHugePages(resource);
  if (NATIVE_RESOURCES.has(resource)) {
    sink.error(fields.resource, 'is a resource of the container\'s own requests and limits, not an extended resource', resource,
      'set it in the container\'s resources (cdk8s-plus `resources`, or the manifest)');
  } else if (hugepages) {
    if (!HUGEPAGES.test(resource)) sink.error(fields.resource, 'is not a huge page resource: hugepages-<page size>', resource, 'write e.g. "hugepages-2Mi" or "hugepages-1Gi"');
  } else {
    const slash = resource.indexOf('/');
    const prefix = slash < 0 ? '' : resource.slice(0, slash);
    const name = resource.slice(slash + 1);
    if (slash < 0 || prefix === '' || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix) || name.length > 63 || !QUALIFIED_NAME_PART.test(name)) {
      sink.error(fields.resource, 'is not an extended resource name: <domain>/<name>', resource, 'write the resource with its vendor domain, e.g. "intel.com/sriov_netdevice"');
    } else if (prefix === 'kubernetes.io' || prefix.endsWith('.kubernetes.io') || resource.startsWith('requests.')) {
      sink.error(fields.resource, 'is in the kubernetes.io domain, which Kubernetes keeps for its own resources', resource, 'use the resource name the device plugin advertises (its vendor domain)');
    }
  }
  if (typeof quantity !== 'string' || !QUANTITY.test(quantity)) {
    sink.error(fields.quantity, 'must be a Kubernetes quantity', quantity, hugepages ? 'write a quantity of bytes such as "1Gi"' : 'write a whole number such as "2"');
  } else if (hugepages && HUGEPAGES.test(resource) && !isPageMultiple(quantity, resource.slice('hugepages-'.length))) {
    sink.error(fields.quantity, `must be a positive whole number of ${resource.slice('hugepages-'.length)} pages`, quantity, `write a multiple of the page size, e.g. "${resource === 'hugepages-1Gi' ? '2Gi' : '512Mi'}"`);
  } else if (!hugepages && !isWholeQuantity(quantity)) {
    sink.error(fields.quantity, 'must be a whole number for an extended resource (devices are not split)', quantity, 'write a whole number such as "2"');
  }
}

/**
 * Kubernetes refuses a container with huge pages but neither a cpu nor a memory request or limit
 * ("HugePages require cpu or memory", pkg/apis/core/validation `validateResourceRequirements`).
 */
export const HUGEPAGES_NEED_COMPUTE = {
  message: 'is huge pages, but the container has no cpu nor memory request or limit, which Kubernetes requires with huge pages',
  fix: 'give the container a memory request (cdk8s-plus `resources`, or the manifest)',
} as const;

/** Whether a resource name is one of huge pages. */
export function isHugePages(resource: string): boolean {
  return resource.startsWith('hugepages-');
}

/** A quantity's value as a fraction (numerator, denominator), exactly. */
function quantityValue(q: string): [bigint, bigint] {
  const m = QUANTITY.exec(q)!;
  const [whole, fraction = ''] = m[1].split('.');
  const suffix = m[3] ?? '';
  // value = digits × 10^(exponent − fraction length) × 1024^binary
  const digits = BigInt(`${whole}${fraction}` || '0');
  const binary = suffix.endsWith('i') ? 'KMGTPE'.indexOf(suffix[0]) + 1 : 0;
  const exponent = /^[eE]/.test(suffix) && suffix.length > 1 ? Number(suffix.slice(1))
    : ({ m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 } as Record<string, number>)[suffix] ?? 0;
  const shift = exponent - fraction.length;
  const num = digits * 1024n ** BigInt(binary);
  return shift >= 0 ? [num * 10n ** BigInt(shift), 1n] : [num, 10n ** BigInt(-shift)];
}

/** Whether a quantity's value is a whole number (e.g. `2`, `1k`, `1.5k`, `2e3`; not `500m`, `1.5`, `1e-3`). */
function isWholeQuantity(q: string): boolean {
  const [num, den] = quantityValue(q);
  return num % den === 0n;
}

/** Whether a quantity of bytes is a positive whole number of pages of `page` (a quantity). */
function isPageMultiple(q: string, page: string): boolean {
  const [num, den] = quantityValue(q);
  const [pageNum, pageDen] = quantityValue(page);
  // q / page = (num × pageDen) / (den × pageNum), a positive whole number
  return num > 0n && pageNum > 0n && (num * pageDen) % (den * pageNum) === 0n;
}
