import { CniCapability } from '../../lib/cni/common';
import { CniConfig } from '../../lib/cni/config';
import { StaticIpam } from '../../lib/cni/ipam/static';
import { MacvlanMode, MacvlanPlugin } from '../../lib/cni/plugins/macvlan';
import { TuningPlugin } from '../../lib/cni/plugins/tuning';
import { formatProblem } from '../../lib/cni/problem';
import { cniDraClaimTemplate, draCapabilityValues, driverDeviceClass, injectRuntimeConfig, podClaimNameOf, undeclaredCapabilities } from '../../lib/dra/render';

const nadConfig = () => CniConfig.list([
  new MacvlanPlugin({ master: 'eth2', mode: MacvlanMode.BRIDGE, ipam: new StaticIpam({}), capabilities: [CniCapability.IPS] }),
  new TuningPlugin({ capabilities: [CniCapability.MAC] }),
]).toJson({ name: 'n3' });

describe('the DRA rendering of one attachment (cni-dra-driver)', () => {
  test('the template carries the NAD config with the per-pod values as runtimeConfig where declared, one request, one config', () => {
    const t = cniDraClaimTemplate('upf-0-n3', 'fivegc-up', { requestName: 'n3', interface: 'n3', config: nadConfig(), capabilityValues: { ips: ['10.3.0.20/24'], mac: '02:00:00:00:03:20' } });
    expect(t).toEqual({
      apiVersion: 'resource.k8s.io/v1',
      kind: 'ResourceClaimTemplate',
      metadata: { name: 'upf-0-n3', namespace: 'fivegc-up' },
      spec: { spec: { devices: {
        requests: [{ name: 'n3', exactly: { deviceClassName: 'cni.networking.x-k8s.io', allocationMode: 'ExactCount', count: 1 } }],
        config: [{ requests: ['n3'], opaque: { driver: 'cni.dra.networking.x-k8s.io', parameters: {
          apiVersion: 'cni.networking.x-k8s.io/v1alpha1', kind: 'CNI', ifName: 'n3',
          config: {
            cniVersion: '1.0.0', name: 'n3',
            plugins: [
              { type: 'macvlan', master: 'eth2', mode: 'bridge', ipam: { type: 'static' }, capabilities: { ips: true }, runtimeConfig: { ips: ['10.3.0.20/24'] } },
              { type: 'tuning', capabilities: { mac: true }, runtimeConfig: { mac: '02:00:00:00:03:20' } },
            ],
          },
        } } }],
      } } },
    });
  });

  test('injectRuntimeConfig leaves the config object itself unchanged and is the identity without values', () => {
    const c = nadConfig();
    const before = JSON.stringify(c);
    injectRuntimeConfig(c, { ips: ['10.3.0.1/24'] });
    expect(JSON.stringify(c)).toBe(before);
    expect(injectRuntimeConfig(c, {})).toBe(c);
  });

  test('a value no plugin declares is named (Multus would drop it silently)', () => {
    expect(undeclaredCapabilities(nadConfig(), { ips: ['x'], portMappings: [] })).toEqual(['portMappings']);
  });

  test('options only Multus can carry are refused in the house style', () => {
    const { values, problems } = draCapabilityValues({ interface: 'n6', ips: ['10.6.0.20/24'], defaultRoute: true, cniArgs: { a: 1 } });
    expect(values).toEqual({ ips: ['10.6.0.20/24'] });
    expect(problems.map(formatProblem)).toEqual([
      "'defaultRoute' cannot be rendered for cni-dra-driver (the default-route rewrite is done by Multus): got true; render this attachment as a NAD and annotation, or add the default route to the network's IPAM routes",
      "'cniArgs' cannot be rendered for cni-dra-driver (Multus writes args.cni into the delegate config): got {\"a\":1}; render this attachment as a NAD and annotation",
    ]);
  });

  test('pod claim names from interface names', () => {
    expect(podClaimNameOf('N3_up.1')).toBe('n3-up-1');
    expect(draCapabilityValues({ interface: 'n-' }).problems.map((p) => p.field)).toEqual(['interface']);
  });

  test('a DeviceClass the project owns selects the driver', () => {
    expect(driverDeviceClass('nfv-cni', 'cni.dra.networking.x-k8s.io')).toEqual({
      apiVersion: 'resource.k8s.io/v1', kind: 'DeviceClass', metadata: { name: 'nfv-cni' },
      spec: { selectors: [{ cel: { expression: 'device.driver == "cni.dra.networking.x-k8s.io"' } }] },
    });
  });
});
