import { CniCapability } from '../../lib/cni/common';
import { CniConfig } from '../../lib/cni/config';
import { StaticIpam } from '../../lib/cni/ipam/static';
import { MacvlanMode, MacvlanPlugin } from '../../lib/cni/plugins/macvlan';
import { Severity, formatProblem } from '../../lib/cni/problem';
import { cniDraParameters } from '../../lib/dra/cni-dra-driver';
import { draResourceCounts, networkClaimProblems, pinnedResourceName, podDeviceProblems } from '../../lib/dra/network-claim-checks';
import { cniDraClaimSpec } from '../../lib/dra/render';

const config = () => CniConfig.list([new MacvlanPlugin({ master: 'eth2', mode: MacvlanMode.BRIDGE, ipam: new StaticIpam({}), capabilities: [CniCapability.IPS] })]).toJson({ name: 'n3' });
const sriovRequest = (name: string, resource: string, count?: number) => ({
  name,
  exactly: { deviceClassName: 'sriovnetwork.k8snetworkplumbingwg.io', count, selectors: [{ cel: { expression: `device.attributes["k8s.cni.cncf.io"].resourceName == "${resource}"` } }] },
});

describe('networkClaimProblems: shape, driver parameters, cni-dra-driver request rules', () => {
  test('the rendered claim of one interface has no problem', () => {
    expect(networkClaimProblems(cniDraClaimSpec({ requestName: 'n3', interface: 'n3', config: config() }))).toEqual([]);
  });

  test('driver parameters are checked under their config entry', () => {
    const spec = { devices: { requests: [{ name: 'vf', exactly: { deviceClassName: 'sriovnetwork.k8snetworkplumbingwg.io' } }],
      config: [{ requests: ['vf'], opaque: { driver: 'sriovnetwork.k8snetworkplumbingwg.io', parameters: { apiVersion: 'sriovnetwork.k8snetworkplumbingwg.io/v1alpha1', kind: 'VfConfig', netAttachDefName: 'x', mtu: 9000 } } }] } };
    expect(networkClaimProblems(spec).map((p) => p.field)).toEqual(['devices.config[0].opaque.parameters.mtu']);
  });

  test('a cni-dra-driver request takes exactly one device and has exactly one config', () => {
    const params = { driver: 'cni.dra.networking.x-k8s.io', parameters: cniDraParameters('n3', config()) };
    const spec = { devices: {
      requests: [
        { name: 'a', exactly: { deviceClassName: 'cni.networking.x-k8s.io', count: 2 } },
        { name: 'b', exactly: { deviceClassName: 'cni.networking.x-k8s.io' } },
        { name: 'c', exactly: { deviceClassName: 'other' } },
      ],
      config: [{ requests: ['a'], opaque: params }, { requests: ['a'], opaque: params }],
    } };
    expect(networkClaimProblems(spec).map(formatProblem)).toEqual([
      "'devices.requests[0]' has 2 configs of cni.dra.networking.x-k8s.io; the driver uses the first and ignores the others: got \"a\"; keep one config per request",
      "'devices.requests[0].exactly' takes other than exactly one device for a cni.dra.networking.x-k8s.io request: got {\"count\":2}; write allocationMode ExactCount and count 1: each request is one interface",
      "'devices.requests[1]' has no config of cni.dra.networking.x-k8s.io: got \"b\"; add a config entry naming this request with the CNI parameters (ifName, config)",
    ]);
  });

  test('one CNI config without requests in a claim of several requests', () => {
    const spec = { devices: {
      requests: [{ name: 'a', exactly: { deviceClassName: 'x' } }, { name: 'b', exactly: { deviceClassName: 'x' } }],
      config: [{ opaque: { driver: 'cni.dra.networking.x-k8s.io', parameters: cniDraParameters('n1', config()) } }],
    } };
    expect(networkClaimProblems(spec).map((p) => p.field)).toEqual(['devices.config[0].requests']);
  });
});

describe('devices against attachments (the NAD resourceName and the attribute Multus matches)', () => {
  test('pinnedResourceName reads the selector in double or single quotes', () => {
    expect(pinnedResourceName([{ cel: { expression: "device.attributes['k8s.cni.cncf.io'].resourceName == 'sriov_nic_1'" } }])).toBe('sriov_nic_1');
    expect(pinnedResourceName([{ cel: { expression: 'device.driver == "x"' } }])).toBeUndefined();
  });

  test('draResourceCounts sums counts by pinned name (All as Infinity)', () => {
    const counts = draResourceCounts([{ devices: { requests: [sriovRequest('a', 'r1', 2), sriovRequest('b', 'r1'),
      { name: 'c', exactly: { deviceClassName: 'x', allocationMode: 'All', selectors: sriovRequest('c', 'r2').exactly.selectors } }] } }]);
    expect([...counts]).toEqual([['r1', 3], ['r2', Infinity]]);
  });

  test('coherent: two attachments to a NAD of resource r1, a claim of two devices pinned to r1', () => {
    expect(podDeviceProblems({ attachmentResources: ['r1', undefined, 'r1'], claimSpecs: [{ devices: { requests: [sriovRequest('vf', 'r1', 2)] } }] })).toEqual([]);
  });

  test('the count differs from the attachments', () => {
    expect(podDeviceProblems({ attachmentResources: ['r1', 'r1'], claimSpecs: [{ devices: { requests: [sriovRequest('vf', 'r1')] } }] }).map(formatProblem)).toEqual([
      "'resourceClaims' take 1 device(s) with k8s.cni.cncf.io/resourceName \"r1\" for 2 attachment(s): got 1; request exactly 2 (allocationMode ExactCount, count 2)",
    ]);
  });

  test('the NAD\'s resourceName is not the attribute the claim selects (the device-plugin name against the DRA attribute)', () => {
    const ps = podDeviceProblems({ attachmentResources: ['intel.com/sriov_vf'], claimSpecs: [{ devices: { requests: [sriovRequest('vf', 'sriov_vf')] } }] });
    expect(ps.map(formatProblem)).toEqual([
      "'attachments[0].resourceName' matches no device the pod's claims select by k8s.cni.cncf.io/resourceName: got \"intel.com/sriov_vf\"; make the NAD's resourceName \"sriov_vf\" (the attribute the claims select), or select \"intel.com/sriov_vf\" in the claim",
      "'resourceClaims' take 1 device(s) with k8s.cni.cncf.io/resourceName \"sriov_vf\" that no attachment uses: got \"sriov_vf\"; attach a NAD whose resourceName is this value, or drop the request",
    ]);
    expect(ps.map((p) => p.severity)).toEqual([Severity.ERROR, Severity.WARNING]);
  });

  test('a device-plugin request of the resource satisfies the attachment; pods without pinned claims are not judged here', () => {
    expect(podDeviceProblems({ attachmentResources: ['intel.com/sriov'], resourceRequests: { 'intel.com/sriov': 1 }, claimSpecs: [{ devices: { requests: [sriovRequest('x', 'other')] } }] })
      .filter((p) => p.severity === Severity.ERROR)).toEqual([]);
    expect(podDeviceProblems({ attachmentResources: ['intel.com/sriov'], claimSpecs: [] })).toEqual([]);
  });
});

describe('a named interface of the SR-IOV DRA driver or DRANET on a request for several devices', () => {
  const claim = (driver: string, parameters: object, exactly: object) => ({
    devices: { requests: [{ name: 'vf', exactly: { deviceClassName: 'c', ...exactly } }], config: [{ requests: ['vf'], opaque: { driver, parameters } }] },
  });
  const vf = { apiVersion: 'sriovnetwork.k8snetworkplumbingwg.io/v1alpha1', kind: 'VfConfig', ifName: 'n3', netAttachDefName: 'n3' };

  test('two VFs under one ifName, all DRANET devices under one name: errors in the house style', () => {
    expect(networkClaimProblems(claim('sriovnetwork.k8snetworkplumbingwg.io', vf, { count: 2 })).map(formatProblem)).toEqual([
      "'devices.requests[0].exactly' takes other than one device, but the sriovnetwork.k8snetworkplumbingwg.io config of devices.config[0] names one interface (n3): got {\"count\":2}; write allocationMode ExactCount and count 1, or leave the interface name out and let the driver name each",
    ]);
    expect(networkClaimProblems(claim('dra.net', { interface: { name: 'n7' } }, { allocationMode: 'All' })).map(formatProblem)).toEqual([
      "'devices.requests[0].exactly' takes other than one device, but the dra.net config of devices.config[0] names one interface (n7): got {\"allocationMode\":\"All\"}; write allocationMode ExactCount and count 1, or leave the interface name out and let the driver name each",
    ]);
  });

  test('one device, or several without a name: no problem', () => {
    expect(networkClaimProblems(claim('sriovnetwork.k8snetworkplumbingwg.io', vf, { count: 1 }))).toEqual([]);
    const { ifName: _i, ...unnamed } = vf;
    expect(networkClaimProblems(claim('sriovnetwork.k8snetworkplumbingwg.io', unnamed, { count: 2 }))).toEqual([]);
    expect(networkClaimProblems(claim('dra.net', { interface: { mtu: 9000 } }, { count: 2 }))).toEqual([]);
  });
});
