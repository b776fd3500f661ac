import { ProblemSink } from '../../lib/cni/problem';
import { resourceRequestProblems } from '../../lib/topology/extended-resources';

/** Extended resource names and quantities, as the Kubernetes API server validates a container's resources. */

describe('resourceRequestProblems: Kubernetes names and quantities', () => {
  const problems = (r: unknown, q: unknown) => {
    const sink = new ProblemSink();
    resourceRequestProblems(r, q, sink);
    return sink.problems.map((p) => `${p.field} ${p.message}`);
  };

  test.each([
    ['intel.com/sriov_netdevice', '2'], ['example.com/qat', '1k'], ['example.com/qat', '1.5k'], ['example.com/qat', '2e3'], ['example.com/qat', '0.5Ki'],
    ['hugepages-2Mi', '512Mi'], ['hugepages-2Mi', '2Mi'], ['hugepages-1Gi', '3Gi'], ['hugepages-2Mi', '1.5Gi'],
    ['hugepages-1Gi', '2147483648'], ['nvidia.com/gpu', '0'],
  ])('%s %s is accepted', (r, q) => {
    expect(problems(r, q)).toEqual([]);
  });

  test.each([
    ['sriov', '1', 'resource is not an extended resource name: <domain>/<name>'],
    ['Intel.com/sriov', '1', 'resource is not an extended resource name: <domain>/<name>'],
    [`example.com/${'x'.repeat(64)}`, '1', 'resource is not an extended resource name: <domain>/<name>'],
    ['kubernetes.io/foo', '1', 'resource is in the kubernetes.io domain, which Kubernetes keeps for its own resources'],
    ['node.kubernetes.io/foo', '1', 'resource is in the kubernetes.io domain, which Kubernetes keeps for its own resources'],
    ['hugepages-2x', '1Gi', 'resource is not a huge page resource: hugepages-<page size>'],
    ['memory', '1Gi', 'resource is a resource of the container\'s own requests and limits, not an extended resource'],
    ['example.com/qat', '1.5', 'quantity must be a whole number for an extended resource (devices are not split)'],
    ['example.com/qat', '500m', 'quantity must be a whole number for an extended resource (devices are not split)'],
    ['example.com/qat', '1e-3', 'quantity must be a whole number for an extended resource (devices are not split)'],
    ['example.com/qat', '0.3Ki', 'quantity must be a whole number for an extended resource (devices are not split)'],
    ['hugepages-1Gi', '1.5Gi', 'quantity must be a positive whole number of 1Gi pages'],
    ['hugepages-2Mi', '3Mi', 'quantity must be a positive whole number of 2Mi pages'],
    ['hugepages-2Mi', '0', 'quantity must be a positive whole number of 2Mi pages'],
    ['hugepages-1Gi', '1G', 'quantity must be a positive whole number of 1Gi pages'],
    ['example.com/qat', 2, 'quantity must be a Kubernetes quantity'],
    ['example.com/qat', '-1', 'quantity must be a Kubernetes quantity'],
  ])('%s %s: %s', (r, q, expected) => {
    expect(problems(r, q)).toEqual([expected]);
  });
});
