import * as fs from 'fs';
import * as os from 'os';
import {
  LinkType,
  UnsupportedKind,
  cleanupAll,
  findPluginBinary,
  formatAttachmentReport,
  leftovers,
  probeCapabilities,
  selectionAttachment,
  tryAttachment,
  uplinksOf,
} from '../../../lib/cli/dataplane';
import { dataplaneTest, gatedTest, printSkipSummary } from './gate';

printSkipSummary('test/cli/dataplane/attachment.test.ts');

const PREFIX = `nfva${process.pid.toString(16)}`;

/** Nothing of this file's runs may survive a test: no namespace, no temp dir. */
function expectNothingLeft(): void {
  expect(leftovers(PREFIX)).toEqual([]);
  expect(fs.readdirSync(os.tmpdir()).filter((d) => d.startsWith(`${PREFIX}-`))).toEqual([]);
}

afterAll(() => {
  try {
    cleanupAll(PREFIX);
  } catch {
    // not root: nothing was created
  }
});

describe('uplinks (pure)', () => {
  test('the node interfaces a config names are emulated, master-less macvlan gets a default-route eth0', () => {
    expect(uplinksOf({ name: 'a', plugins: [{ type: 'macvlan', master: 'ens3f0' }, { type: 'tuning' }] })).toEqual([{ name: 'ens3f0' }]);
    expect(uplinksOf({ name: 'a', type: 'macvlan' })).toEqual([{ name: 'eth0', defaultRoute: true }]);
    expect(uplinksOf({ name: 'a', type: 'vlan', master: 'bond0', vlanId: 5 })).toEqual([{ name: 'bond0' }]);
    expect(uplinksOf({ name: 'a', type: 'host-device', device: 'ens5' })).toEqual([{ name: 'ens5' }]);
    expect(uplinksOf({ name: 'a', type: 'host-device', hwaddr: '02:00:00:00:00:07' })).toEqual([{ name: 'hostdev0', mac: '02:00:00:00:00:07' }]);
    expect(uplinksOf({ name: 'a', type: 'macvlan', master: 'eth9', linkInContainer: true })).toEqual([]);
    expect(uplinksOf({ name: 'a', plugins: [{ type: 'bridge' }, { type: 'ipvlan' }] })).toEqual([]);
  });

  test('fails (parse phase) on a config that is not one, and on a bad ifname', () => {
    const r = tryAttachment({ config: '{"name": "x"}' });
    expect(r.outcome).toBe('failed');
    expect(r.failure).toMatchObject({ phase: 'parse' });
    expect(r.failure?.error.msg).toMatch(/'type' must be a string/);
    const bad = tryAttachment({ config: { name: 'x', type: 'bridge' }, ifname: 'much-too-long-ifname' });
    expect(bad.failure?.error.msg).toMatch(/'ifname' must be an interface name/);
  });
});

describe('selection elements (pure)', () => {
  test('a selection element maps to capability arguments as Multus builds them', () => {
    expect(selectionAttachment({
      name: 'n3', interface: 'n3', ips: ['10.3.0.20/24'], mac: '02:00:00:00:00:03',
      portMappings: [{ hostPort: 8080, containerPort: 80 }], bandwidth: { egressRate: 10, egressBurst: 10 },
      'infiniband-guid': 'c2:11:22:33:44:55:66:77', 'cni-args': { foo: 'bar' }, 'default-route': ['10.3.0.1'],
    })).toEqual({
      ifname: 'n3',
      runtime: {
        ips: ['10.3.0.20/24'], mac: '02:00:00:00:00:03', portMappings: [{ hostPort: 8080, containerPort: 80 }],
        bandwidth: { egressRate: 10, egressBurst: 10 }, infinibandGUID: 'c2:11:22:33:44:55:66:77',
      },
      podCniArgs: { foo: 'bar' },
    });
    expect(selectionAttachment({ name: 'x' })).toEqual({ ifname: undefined, runtime: {}, podCniArgs: undefined });
  });
});

describe('missing plugins', () => {
  // Runs on any machine: the verdict comes before any namespace is created.
  const missing = findPluginBinary('dummy') ? 'nfv-no-such-plugin' : 'dummy';

  test(`a config whose plugin binary is absent (${missing}) is 'unsupported', naming the plugin, and creates nothing`, () => {
    const r = tryAttachment({ config: { cniVersion: '1.0.0', name: 'dm', type: missing, ipam: { type: 'static', addresses: [{ address: '10.80.0.2/24' }] } }, prefix: PREFIX });
    expect(r.outcome).toBe('unsupported');
    const mp = r.unsupportedReasons.find((u) => u.kind === UnsupportedKind.MISSING_PLUGIN);
    expect(mp).toMatchObject({ plugin: missing, path: 'plugins[0]' });
    expect(r.steps).toEqual([]);
    expect(formatAttachmentReport(r)).toMatch(/^unsupported here dm: /);
    if (probeCapabilities().environment.ok) expectNothingLeft();
  });
});

describe('attachments through real plugins', () => {
  dataplaneTest('bridge + host-local: passes with the expected IP, on a veth in the pod', { plugins: ['bridge', 'host-local'], links: [LinkType.BRIDGE, LinkType.VETH] }, () => {
    const r = tryAttachment({
      prefix: PREFIX,
      config: { cniVersion: '1.0.0', name: 'lan01', plugins: [{ type: 'bridge', bridge: 'lan01', ipam: { type: 'host-local', ranges: [[{ subnet: '192.168.100.0/24', gateway: '192.168.100.1' }]] } }] },
    });
    expect(formatAttachmentReport(r)).toBe('passed lan01: net1 192.168.100.2/24');
    expect(r.outcome).toBe('passed');
    expect(r.ips).toEqual(['192.168.100.2/24']);
    const net1 = r.podInterfaces.find((l) => l.name === 'net1');
    expect(net1).toMatchObject({ kind: 'veth', up: true });
    expect(net1?.addresses.map((a) => a.cidr)).toContain('192.168.100.2/24');
    expect(r.steps.map((s) => `${s.command} ${s.plugin}`)).toEqual(['ADD bridge', 'DEL bridge']);
    expect(r.cleanup).toEqual({ namespaces: [], dirs: [] });
    expectNothingLeft();
  });

  dataplaneTest('macvlan on an emulated uplink: passes, and its MTU is checked against the uplink\'s', { plugins: ['macvlan', 'host-local'], links: [LinkType.MACVLAN, LinkType.VETH] }, () => {
    const config = { cniVersion: '1.0.0', name: 'mv-jumbo', plugins: [{ type: 'macvlan', master: 'ens3f0', mode: 'bridge', mtu: 9000, ipam: { type: 'host-local', ranges: [[{ subnet: '192.168.1.0/24', rangeStart: '192.168.1.200', rangeEnd: '192.168.1.216', gateway: '192.168.1.1' }]] } }] };
    const ok = tryAttachment({ prefix: PREFIX, config, uplinks: [{ name: 'ens3f0', mtu: 9000 }] });
    expect(ok.outcome).toBe('passed');
    expect(ok.uplinks).toEqual([{ name: 'ens3f0', mtu: 9000 }]);
    expect(ok.ips).toEqual(['192.168.1.200/24']);
    expect(ok.podInterfaces.find((l) => l.name === 'net1')).toMatchObject({ kind: 'macvlan', mtu: 9000 });
    const small = tryAttachment({ prefix: PREFIX, config });
    expect(small.outcome).toBe('failed');
    expect(small.failure).toMatchObject({ phase: 'ADD', plugin: 'macvlan', index: 0 });
    expect(small.failure?.error.msg).toMatch(/invalid MTU 9000, must be \[0, master MTU\(1500\)\]/);
    expect(formatAttachmentReport(small)).toMatch(/^failed mv-jumbo: ADD macvlan \(plugins\[0\]\): .*invalid MTU 9000/);
    expectNothingLeft();
  });

  dataplaneTest('macvlan without master uses the emulated node\'s default-route interface', { plugins: ['macvlan', 'static'], links: [LinkType.MACVLAN, LinkType.VETH] }, () => {
    const r = tryAttachment({ prefix: PREFIX, config: { cniVersion: '1.0.0', name: 'mv-default', type: 'macvlan', ipam: { type: 'static', addresses: [{ address: '10.81.0.5/24' }] } } });
    expect(r.outcome).toBe('passed');
    expect(r.uplinks).toEqual([{ name: 'eth0', defaultRoute: true }]);
    expect(r.ips).toEqual(['10.81.0.5/24']);
  });

  dataplaneTest('a chained tuning step applies to the interface the first plugin made', { plugins: ['macvlan', 'tuning', 'static'], links: [LinkType.MACVLAN, LinkType.VETH] }, () => {
    const r = tryAttachment({
      prefix: PREFIX,
      config: {
        cniVersion: '1.0.0', name: 'mv-tuned',
        plugins: [
          { type: 'macvlan', master: 'eth0', ipam: { type: 'static', addresses: [{ address: '10.82.0.5/24' }] } },
          { type: 'tuning', mtu: 1280, promisc: true },
        ],
      },
    });
    expect(r.outcome).toBe('passed');
    const net1 = r.podInterfaces.find((l) => l.name === 'net1');
    expect(net1?.mtu).toBe(1280);
    expect(net1?.flags).toContain('PROMISC');
    expect(r.steps.map((s) => `${s.command} ${s.plugin}`)).toEqual(['ADD macvlan', 'ADD tuning', 'DEL tuning', 'DEL macvlan']);
    expectNothingLeft();
  });

  dataplaneTest('capabilities: static IPAM with the ips capability gets the requested IP; mac lands on the link', { plugins: ['macvlan', 'static'], links: [LinkType.MACVLAN, LinkType.VETH] }, () => {
    const config = { cniVersion: '1.0.0', name: 'mv-static', plugins: [{ type: 'macvlan', master: 'eth0', capabilities: { ips: true, mac: true }, ipam: { type: 'static' } }] };
    const r = tryAttachment({ prefix: PREFIX, config, runtime: { ips: ['10.83.0.7/24'], mac: '02:00:00:83:00:07' } });
    expect(r.outcome).toBe('passed');
    expect(r.ips).toEqual(['10.83.0.7/24']);
    const net1 = r.podInterfaces.find((l) => l.name === 'net1');
    expect(net1?.mac).toBe('02:00:00:83:00:07');
    expect(net1?.addresses.map((a) => a.cidr)).toContain('10.83.0.7/24');
    const add = r.steps[0];
    expect(add.kind === 'ok' && add.stdin.runtimeConfig).toEqual({ ips: ['10.83.0.7/24'], mac: '02:00:00:83:00:07' });
  });

  dataplaneTest('cni-args from the selection element reach the plugins as args.cni', { plugins: ['macvlan', 'static'], links: [LinkType.MACVLAN, LinkType.VETH] }, () => {
    const config = { cniVersion: '1.0.0', name: 'mv-args', plugins: [{ type: 'macvlan', master: 'eth0', ipam: { type: 'static' } }] };
    const r = tryAttachment({ prefix: PREFIX, config, ifname: 'data0', podCniArgs: { ips: ['10.85.0.9/24'] } });
    expect(r.outcome).toBe('passed');
    expect(r.ips).toEqual(['10.85.0.9/24']);
    expect(r.podInterfaces.map((l) => l.name)).toEqual(['data0']);
    expect(r.steps[0].kind === 'ok' && r.steps[0].stdin.args).toEqual({ cni: { ips: ['10.85.0.9/24'] } });
  });

  dataplaneTest('fails when the capability is not declared: the requested IP never reaches static', { plugins: ['macvlan', 'static'], links: [LinkType.MACVLAN, LinkType.VETH] }, () => {
    const config = { cniVersion: '1.0.0', name: 'mv-nocap', plugins: [{ type: 'macvlan', master: 'eth0', ipam: { type: 'static' } }] };
    const r = tryAttachment({ prefix: PREFIX, config, runtime: { ips: ['10.83.0.7/24'] } });
    expect(r.outcome).toBe('failed');
    expect(r.failure?.error.msg).toMatch(/IPAM plugin returned missing IP config/);
    expectNothingLeft();
  });

  dataplaneTest('fails in ADD of a chained plugin, still runs DEL, and cleans up everything', { plugins: ['bridge', 'host-local', 'tuning'], links: [LinkType.BRIDGE, LinkType.VETH] }, () => {
    const r = tryAttachment({
      prefix: PREFIX,
      config: {
        cniVersion: '1.0.0', name: 'br-badsysctl',
        plugins: [
          { type: 'bridge', bridge: 'br9', ipam: { type: 'host-local', ranges: [[{ subnet: '10.84.0.0/24' }]] } },
          { type: 'tuning', sysctl: { 'net.ipv4.conf.net1.no_such_knob': '1' } },
        ],
      },
    });
    expect(r.outcome).toBe('failed');
    expect(r.failure).toMatchObject({ phase: 'ADD', plugin: 'tuning', index: 1 });
    expect(r.failure?.error.msg).toMatch(/no_such_knob: no such file or directory/);
    expect(r.del?.steps.map((s) => s.plugin)).toEqual(['tuning', 'bridge']);
    expect(r.cleanup).toEqual({ namespaces: [], dirs: [] });
    expectNothingLeft();
  });

  dataplaneTest('fails in ADD of the first plugin (bad mode) and leaves no namespace', { plugins: ['macvlan'], links: [LinkType.VETH] }, () => {
    const r = tryAttachment({ prefix: PREFIX, config: { cniVersion: '1.0.0', name: 'mv-bad', type: 'macvlan', master: 'eth0', mode: 'bogus' } });
    expect(r.outcome).toBe('failed');
    expect(r.failure?.error.msg).toMatch(/unknown macvlan mode: "bogus"/);
    expectNothingLeft();
  });

  dataplaneTest('CHECK runs on request; an L2 bridge fails it, disableCheck skips it', { plugins: ['bridge'], links: [LinkType.BRIDGE, LinkType.VETH] }, () => {
    const l2 = { cniVersion: '1.0.0', name: 'br-l2', plugins: [{ type: 'bridge', bridge: 'brl2', ipam: {} }] };
    const r = tryAttachment({ prefix: PREFIX, config: l2, check: true });
    expect(r.outcome).toBe('failed');
    expect(r.failure).toMatchObject({ phase: 'CHECK', plugin: 'bridge' });
    expect(r.failure?.error.msg).toMatch(/no plugin name provided/);
    const skip = tryAttachment({ prefix: PREFIX, config: { ...l2, disableCheck: true }, check: true });
    expect(skip.outcome).toBe('passed');
    expect(skip.checkSkipped).toBe('disableCheck is set');
    expect(skip.ips).toEqual([]);
    expectNothingLeft();
  });

  // ipvlan: passes where the kernel has ipvlan links, 'unsupported' (never 'passed') where not.
  const ipvlanConfig = { cniVersion: '1.0.0', name: 'ipvlan-eth0', plugins: [{ type: 'ipvlan', master: 'eth0', mode: 'l2', ipam: { type: 'host-local', ranges: [[{ subnet: '10.10.10.0/24' }]] } }] };
  const env = probeCapabilities();
  gatedTest(
    'ipvlan is reported unsupported here exactly when the kernel lacks ipvlan links',
    env.environment.ok ? [] : [{ kind: UnsupportedKind.ENVIRONMENT, message: env.environment.reason ?? 'no dataplane' }],
    () => {
      const r = tryAttachment({ prefix: PREFIX, config: ipvlanConfig });
      if (probeCapabilities().linkTypes[LinkType.IPVLAN] && findPluginBinary('ipvlan')) {
        expect(r.outcome).toBe('passed');
        expect(r.ips).toEqual(['10.10.10.2/24']);
      } else {
        expect(r.outcome).toBe('unsupported');
        expect(formatAttachmentReport(r)).toMatch(/^unsupported here ipvlan-eth0: /);
        expect(r.steps).toEqual([]);
      }
      expectNothingLeft();
    },
  );
});
