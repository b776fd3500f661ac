import { CniCapability } from '../../lib/cni/common';
import { CniConfig } from '../../lib/cni/config';
import { StaticIpam } from '../../lib/cni/ipam/static';
import { MacvlanMode, MacvlanPlugin } from '../../lib/cni/plugins/macvlan';
import { Severity, formatProblem } from '../../lib/cni/problem';
import { PluginsProfile } from '../../lib/cni/profile';
import { CniVersion } from '../../lib/cni/cni-version';
import { cniDraParameterProblems, cniDraParameters } from '../../lib/dra/cni-dra-driver';
import { dranetParameterProblems } from '../../lib/dra/dranet';
import { vfConfig, vfConfigProblems } from '../../lib/dra/sriov-dra-driver';

const macvlan = () => CniConfig.list([new MacvlanPlugin({ master: 'eth2', mode: MacvlanMode.BRIDGE, ipam: new StaticIpam({}), capabilities: [CniCapability.IPS] })]).toJson({ name: 'n3' });

describe('cni-dra-driver parameters', () => {
  test('the parameters of a NAD config have no problem; the builder writes the documented apiVersion and kind', () => {
    const p = cniDraParameters('n3', macvlan());
    expect(p).toEqual({ apiVersion: 'cni.networking.x-k8s.io/v1alpha1', kind: 'CNI', ifName: 'n3', config: macvlan() });
    expect(cniDraParameterProblems(p)).toEqual([]);
  });

  test('per-pod runtimeConfig in a plugin is accepted (the driver passes no capability arguments)', () => {
    const config = macvlan();
    const plugins = (config.plugins as object[]).map((x) => ({ ...x, runtimeConfig: { ips: ['10.3.0.20/24'] } }));
    expect(cniDraParameterProblems(cniDraParameters('n3', { ...config, plugins }))).toEqual([]);
  });

  test('a single-plugin config is refused: the driver reads a configuration list', () => {
    expect(cniDraParameterProblems(cniDraParameters('net1', { cniVersion: '1.0.0', name: 'x', type: 'macvlan', master: 'eth1' })).map(formatProblem)).toEqual([
      "'config.plugins' is required: the driver reads a configuration list (libcni ConfListFromBytes): got nothing; write the config as a list: { cniVersion, name, plugins: [{ type: ... }] }",
    ]);
  });

  test('the delegate config gets the checks of the typed CNI model (here: the profile\'s version)', () => {
    const config = { ...macvlan(), cniVersion: CniVersion.V1_1_0 };
    expect(cniDraParameterProblems(cniDraParameters('n3', config), PluginsProfile.DEBIAN_1_1_1).map(formatProblem)).toEqual([
      "'config.cniVersion' is newer than macvlan accepts (containernetworking-plugins 1.1.1 (profile 'debian-1.1.1') supports up to 1.0.0): got \"1.1.0\"; declare cniVersion 1.0.0 or older",
    ]);
    expect(cniDraParameterProblems(cniDraParameters('n3', config), PluginsProfile.UPSTREAM)).toEqual([]);
  });

  test('interface name: required, a Linux name, not eth0', () => {
    expect(cniDraParameterProblems({ apiVersion: 'cni.networking.x-k8s.io/v1alpha1', kind: 'CNI', config: macvlan() }).map(formatProblem)).toEqual([
      "'ifName' is required: got nothing; name the interface in the pod, e.g. \"net1\"",
    ]);
    expect(cniDraParameterProblems(cniDraParameters('eth0', macvlan())).map(formatProblem)).toEqual([
      "'ifName' is the pod's cluster or loopback interface: got \"eth0\"; pick another name, e.g. \"net1\"",
    ]);
    expect(cniDraParameterProblems(cniDraParameters('a-very-long-interface', macvlan()))[0].message).toBe('is longer than 15 characters (21)');
  });

  test('another apiVersion and unknown keys are warnings (the driver does not read them)', () => {
    const ps = cniDraParameterProblems({ apiVersion: 'cni.dra.networking.x-k8s.io/v1alpha1', kind: 'CNI', ifName: 'n1', config: macvlan(), extra: 1 });
    expect(ps.map((p) => [p.field, p.severity])).toEqual([['apiVersion', Severity.WARNING], ['extra', Severity.WARNING]]);
  });
});

describe('SR-IOV DRA driver VfConfig', () => {
  test('the builder writes what the driver decodes; no problem', () => {
    const p = vfConfig({ netAttachDefName: 'vf-test1', ifName: 'net1' });
    expect(p).toEqual({ apiVersion: 'sriovnetwork.k8snetworkplumbingwg.io/v1alpha1', kind: 'VfConfig', ifName: 'net1', netAttachDefName: 'vf-test1' });
    expect(vfConfigProblems(p)).toEqual([]);
  });

  test('strict decoding: unknown keys and another kind fail the claim', () => {
    expect(vfConfigProblems({ apiVersion: 'sriovnetwork.k8snetworkplumbingwg.io/v1alpha1', kind: 'VFConfig', netAttachDefName: 'a', vlan: 10 }).map(formatProblem)).toEqual([
      "'kind' is not a kind the driver decodes: got \"VFConfig\"; write VfConfig",
      "'vlan' is not a VfConfig field (the driver decodes strictly and fails the claim): got 10; remove it; the fields are apiVersion, kind, driver, addVhostMount, ifName, netAttachDefName, netAttachDefNamespace",
    ]);
  });

  test('netAttachDefNamespace is dropped by the driver (a warning naming the commit)', () => {
    const ps = vfConfigProblems({ ...vfConfig({ netAttachDefName: 'a' }), netAttachDefNamespace: 'other' });
    expect(ps.map(formatProblem)).toEqual([
      "'netAttachDefNamespace' is dropped by the driver before use (VfConfig.Override at dra-driver-sriov@cd9404f copies driver, ifName and netAttachDefName only): got \"other\"; keep the NAD in the claim's namespace and remove the field",
    ]);
    expect(ps[0].severity).toBe(Severity.WARNING);
  });
});

describe('DRANET NetworkConfig', () => {
  test('an interface with addresses and a default route has no problem', () => {
    expect(dranetParameterProblems({ interface: { name: 'n6', addresses: ['10.6.0.20/24'], mtu: 1500 }, routes: [{ destination: '0.0.0.0/0', gateway: '10.6.0.1' }] })).toEqual([]);
  });

  test('apiVersion and kind are refused (strict decoder), with the fix saying so', () => {
    expect(dranetParameterProblems({ apiVersion: 'dra.net/v1', interface: {} }).map(formatProblem)).toEqual([
      "'apiVersion' is not a NetworkConfig field (DRANET decodes strictly and refuses the claim): got \"dra.net/v1\"; remove it: DRANET parameters carry no apiVersion or kind",
    ]);
  });

  test('ValidateConfig\'s rules: dhcp with addresses, MTU below 68, a universe route without gateway, families', () => {
    expect(dranetParameterProblems({
      interface: { addresses: ['10.0.0.1/24'], dhcp: true, mtu: 60 },
      routes: [{ destination: '10.9.0.0/16' }, { destination: '::/0', gateway: '10.0.0.1' }, { destination: '10.8.0.0/16', scope: 253 }],
    }).map(formatProblem)).toEqual([
      "'interface.dhcp' is set together with addresses: got true; use DHCP or static addresses, not both",
      "'interface.mtu' is below 68 or not a whole number: got 60; write an MTU of 68 or more",
      "'routes[0].gateway' is required for a universe-scope route: got nothing; give the gateway, or set scope 253 for an on-link route",
      "'routes[1].gateway' is not of the destination address family: got \"10.0.0.1\"; use an IPv6 gateway",
    ]);
  });
});
