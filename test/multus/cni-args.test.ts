import { UndeclaredRequest, undeclaredRequest } from '../../lib/multus/cni-args';

describe('undeclaredRequest: where ips and mac go when no plugin declares the capability', () => {
  test.each([
    ['ips', ['macvlan'], ['static'], 1, UndeclaredRequest.CNI_ARGS],
    ['ips', ['macvlan'], ['static'], 2, UndeclaredRequest.CNI_ARGS],
    ['ips', ['bridge'], ['host-local'], 1, UndeclaredRequest.CNI_ARGS],
    // host-local reads one address from IP= (IPAMEnvArgs.IP is one ip.IP)
    ['ips', ['bridge'], ['host-local'], 2, UndeclaredRequest.LOST],
    ['ips', ['bridge'], ['whereabouts'], 1, UndeclaredRequest.LOST],
    ['ips', ['sriov'], [], 1, UndeclaredRequest.LOST],
    ['mac', ['macvlan'], [], 1, UndeclaredRequest.CNI_ARGS],
    ['mac', ['bridge'], [], 1, UndeclaredRequest.CNI_ARGS],
    ['mac', ['ipvlan', 'tuning'], [], 1, UndeclaredRequest.CNI_ARGS],
    ['mac', ['tap'], [], 1, UndeclaredRequest.CNI_ARGS],
    ['mac', ['sriov'], [], 1, UndeclaredRequest.LOST],
    ['mac', ['ipvlan'], [], 1, UndeclaredRequest.LOST],
    ['ips', ['ovn-k8s-cni-overlay'], [], 1, UndeclaredRequest.ANNOTATION],
    ['mac', ['ovn-k8s-cni-overlay'], [], 1, UndeclaredRequest.ANNOTATION],
    ['portMappings', ['ovn-k8s-cni-overlay'], [], 1, UndeclaredRequest.LOST],
    ['portMappings', ['bridge'], ['host-local'], 1, UndeclaredRequest.LOST],
    ['bandwidth', ['macvlan'], ['static'], 1, UndeclaredRequest.LOST],
  ] as [string, string[], string[], number, UndeclaredRequest][])('%s on %j with IPAM %j (%d) -> %s', (key, plugins, ipams, count, way) => {
    expect(undeclaredRequest(key, { plugins, ipams }, count)).toBe(way);
  });

  test('plugin types named like Object members are plain unknown types', () => {
    expect(undeclaredRequest('ips', { plugins: ['constructor'], ipams: ['__proto__'] })).toBe(UndeclaredRequest.LOST);
    expect(undeclaredRequest('mac', { plugins: ['toString'], ipams: [] })).toBe(UndeclaredRequest.LOST);
  });
});
