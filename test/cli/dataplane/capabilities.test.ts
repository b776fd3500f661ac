import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  ALL_LINK_TYPES,
  DataplaneCapabilities,
  EnvironmentProblem,
  KernelFeature,
  LinkType,
  UnsupportedKind,
  leftovers,
  defaultRunPrefix,
  probeCapabilities,
  probeEnvironment,
  requirementsOf,
  unsupportedReason,
  unsupportedReasons,
} from '../../../lib/cli/dataplane';
import { dataplaneTest, printSkipSummary } from './gate';

printSkipSummary('test/cli/dataplane/capabilities.test.ts');

/** A machine that has everything, to vary one thing at a time. */
function fullCaps(overrides: Partial<{ links: Partial<Record<LinkType, boolean>>; features: Partial<Record<KernelFeature, boolean>>; iptables: boolean; env: DataplaneCapabilities['environment'] }> = {}): DataplaneCapabilities {
  return {
    environment: overrides.env ?? { ok: true, root: true, iproute2: true, netns: true },
    linkTypes: { ...(Object.fromEntries(ALL_LINK_TYPES.map((t) => [t, true])) as Record<LinkType, boolean>), ...overrides.links },
    features: { [KernelFeature.BRIDGE_VLAN_FILTERING]: true, [KernelFeature.TUN]: true, ...overrides.features },
    tools: { iptables: overrides.iptables ?? true },
  };
}

let binDir: string;
beforeAll(() => {
  binDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nfv-caps-bin-'));
  for (const b of ['bridge', 'macvlan', 'ipvlan', 'host-local', 'static', 'dhcp', 'tuning', 'bandwidth', 'portmap', 'host-device']) {
    fs.writeFileSync(path.join(binDir, b), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
  }
});
afterAll(() => fs.rmSync(binDir, { recursive: true, force: true }));

describe('requirements (pure)', () => {
  test('interface plugins need their link types; bridge VLANs need VLAN filtering', () => {
    const reqs = requirementsOf({
      cniVersion: '1.0.0', name: 'x',
      plugins: [{ type: 'bridge', vlan: 100, ipMasq: true, ipam: { type: 'host-local' } }, { type: 'bandwidth', egressRate: 1000, egressBurst: 100 }, { type: 'portmap' }],
    });
    expect(reqs.map((r) => [r.path, r.plugin])).toEqual([['plugins[0]', 'bridge'], ['plugins[0].ipam', 'host-local'], ['plugins[1]', 'bandwidth'], ['plugins[2]', 'portmap']]);
    expect(reqs[0]).toMatchObject({ linkTypes: [LinkType.BRIDGE, LinkType.VETH], features: [KernelFeature.BRIDGE_VLAN_FILTERING], tools: ['iptables'] });
    expect(reqs[2].linkTypes).toEqual([LinkType.IFB]);
    expect(reqs[3].tools).toEqual(['iptables']);
    // bandwidth without egress shaping creates no ifb
    expect(requirementsOf({ name: 'x', plugins: [{ type: 'bridge' }, { type: 'bandwidth', ingressRate: 1, ingressBurst: 1 }] })[1].linkTypes).toEqual([]);
    // ... unless the runtime passes an egress rate through the declared capability
    expect(requirementsOf({ name: 'x', plugins: [{ type: 'bridge' }, { type: 'bandwidth', capabilities: { bandwidth: true } }] }, { bandwidth: { egressRate: 10, egressBurst: 10 } })[1].linkTypes).toEqual([LinkType.IFB]);
    expect(requirementsOf({ name: 'x', type: 'ipvlan' })[0].linkTypes).toEqual([LinkType.IPVLAN]);
  });

  test('what namespaces cannot emulate is named', () => {
    expect(requirementsOf({ name: 'x', type: 'macvlan', ipam: { type: 'dhcp' } })[1].notEmulated).toMatch(/DHCP server/);
    expect(requirementsOf({ name: 'x', type: 'host-device', pciBusID: '0000:00:01.0' })[0].notEmulated).toMatch(/real hardware/);
    expect(requirementsOf({ name: 'x', type: 'host-device', device: 'eth1' })[0].notEmulated).toBeUndefined();
    expect(requirementsOf({ name: 'x', type: 'sriov' })[0].notEmulated).toMatch(/SR-IOV/);
  });
});

describe('unsupportedReason (pure, with a given machine)', () => {
  const mv = { cniVersion: '1.0.0', name: 'mv', plugins: [{ type: 'macvlan', master: 'eth0', ipam: { type: 'host-local', ranges: [[{ subnet: '10.1.0.0/24' }]] } }] };

  test('a config the machine can run has no reason', () => {
    expect(unsupportedReasons(mv, { searchPath: [binDir], capabilities: fullCaps() })).toEqual([]);
    expect(unsupportedReason(mv, { searchPath: [binDir], capabilities: fullCaps() })).toBeUndefined();
  });

  test('a missing binary (main or IPAM) is named with where it was looked for', () => {
    const r = unsupportedReasons({ name: 'd', type: 'dummy', ipam: { type: 'whereabouts' } }, { searchPath: [binDir], capabilities: fullCaps() });
    expect(r.filter((x) => x.kind === UnsupportedKind.MISSING_PLUGIN).map((x) => [x.plugin, x.path])).toEqual([['dummy', 'plugins[0]'], ['whereabouts', 'plugins[0].ipam']]);
    expect(r[0].message).toBe(`plugin binary "dummy" (plugins[0]) is not in ${binDir}`);
  });

  test('a missing link type, feature or tool is named with the plugin that needs it', () => {
    const iv = { name: 'iv', type: 'ipvlan', master: 'eth0', ipam: { type: 'static' } };
    expect(unsupportedReason(iv, { searchPath: [binDir], capabilities: fullCaps({ links: { ipvlan: false } }) })).toEqual({
      kind: UnsupportedKind.MISSING_LINK_TYPE, path: 'plugins[0]', plugin: 'ipvlan', linkType: LinkType.IPVLAN,
      message: 'the kernel has no ipvlan links, which ipvlan (plugins[0]) creates',
    });
    const br = { name: 'b', type: 'bridge', vlan: 10 };
    expect(unsupportedReason(br, { searchPath: [binDir], capabilities: fullCaps({ features: { [KernelFeature.BRIDGE_VLAN_FILTERING]: false } }) })?.feature)
      .toBe(KernelFeature.BRIDGE_VLAN_FILTERING);
    expect(unsupportedReason(br, { searchPath: [binDir], capabilities: fullCaps({ links: { macvlan: false } }) })).toBeUndefined();
    const pm = { name: 'p', plugins: [{ type: 'bridge' }, { type: 'portmap' }] };
    expect(unsupportedReason(pm, { searchPath: [binDir], capabilities: fullCaps({ iptables: false }) })).toMatchObject({ kind: UnsupportedKind.MISSING_TOOL, tool: 'iptables', plugin: 'portmap' });
    expect(unsupportedReason({ name: 'h', type: 'macvlan', ipam: { type: 'dhcp' } }, { searchPath: [binDir], capabilities: fullCaps() }))
      .toMatchObject({ kind: UnsupportedKind.NOT_EMULATED, plugin: 'dhcp', path: 'plugins[0].ipam' });
  });

  test('no usable environment comes first, and binaries are still checked', () => {
    const env = { ok: false, root: false, iproute2: true, netns: false, problem: EnvironmentProblem.NOT_ROOT, reason: 'not running as root' };
    const r = unsupportedReasons({ name: 'd', plugins: [{ type: 'dummy' }] }, { searchPath: [binDir], capabilities: fullCaps({ env }) });
    expect(r.map((x) => x.kind)).toEqual([UnsupportedKind.ENVIRONMENT, UnsupportedKind.MISSING_PLUGIN]);
    expect(r[0]).toMatchObject({ environment: EnvironmentProblem.NOT_ROOT, message: 'not running as root' });
  });

  test('fails on a config that is not a CNI config', () => {
    expect(() => unsupportedReasons({ plugins: [] }, { capabilities: fullCaps() })).toThrow(/'name' must be a non-empty string/);
  });
});

describe('probing this machine', () => {
  test('the environment probe says why it cannot run, or that it can', () => {
    const env = probeEnvironment();
    expect(env.ok).toBe(env.problem === undefined);
    if (!env.ok) expect(env.reason).toMatch(/root|iproute2|namespace|Linux/);
    expect(probeEnvironment()).toBe(env); // cached
  });

  dataplaneTest('probes link types in a throwaway namespace, caches them, leaves nothing behind', {}, () => {
    const caps = probeCapabilities();
    expect(probeCapabilities()).toBe(caps);
    // what every supported machine has (the plugins tested here need them)
    expect(caps.linkTypes[LinkType.VETH]).toBe(true);
    expect(caps.linkTypes[LinkType.BRIDGE]).toBe(true);
    expect(caps.linkTypes[LinkType.MACVLAN]).toBe(true);
    expect(Object.keys(caps.linkTypes).sort()).toEqual([...ALL_LINK_TYPES].sort());
    const fresh = probeCapabilities({ refresh: true });
    expect(fresh).not.toBe(caps);
    expect(fresh.linkTypes).toEqual(caps.linkTypes);
    expect(fresh.features).toEqual(caps.features);
    expect(leftovers(defaultRunPrefix())).toEqual([]);
  });
});
