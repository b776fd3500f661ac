import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  CniConfigList,
  LinkType,
  NetnsRun,
  RuntimeConf,
  addNetworkList,
  buildPluginConfig,
  cniArgsString,
  delNetworkList,
  execPlugin,
  findPluginBinary,
  leftovers,
  listLinks,
  pluginTypesOf,
  pluginVersionInfo,
  rewriteStatePaths,
  toConfigList,
  cleanupAll,
  createVethPair,
  execInNetns,
} from '../../../lib/cli/dataplane';
import { dataplaneTest, printSkipSummary } from './gate';

printSkipSummary('test/cli/dataplane/cni-exec.test.ts');

const PREFIX = `nfvc${process.pid.toString(16)}`;

describe('config handling (pure)', () => {
  test('a single config becomes a list of one, like libcni ConfListFromConf', () => {
    const single = { cniVersion: '0.4.0', name: 'n1', type: 'macvlan', master: 'eth0' };
    expect(toConfigList(single)).toEqual({ cniVersion: '0.4.0', name: 'n1', plugins: [single] });
    expect(toConfigList(JSON.stringify(single)).plugins[0]).toEqual(single);
    const list = { cniVersion: '1.0.0', name: 'l', plugins: [{ type: 'bridge' }, { type: 'tuning' }] };
    expect(toConfigList(list)).toBe(list);
    expect(pluginTypesOf(toConfigList({ name: 'x', plugins: [{ type: 'bridge', ipam: { type: 'host-local' } }, { type: 'tuning' }, { type: 'bridge' }] })))
      .toEqual(['bridge', 'host-local', 'tuning']);
  });

  test('fails on shapes no runtime accepts', () => {
    expect(() => toConfigList({ type: 'bridge' })).toThrow(/'name' must be a non-empty string: got undefined/);
    expect(() => toConfigList({ name: 'x', plugins: [] })).toThrow(/'plugins' must be a non-empty array: got \[\]/);
    expect(() => toConfigList({ name: 'x', plugins: [{ master: 'eth0' }] })).toThrow(/'plugins\[0\].type' must be a string/);
    expect(() => toConfigList({ name: 'x' })).toThrow(/'type' must be a string: got undefined; a config needs 'type' \(single\) or 'plugins' \(list\)/);
    expect(() => toConfigList({ name: 'x', cniVersion: 1, type: 'bridge' })).toThrow(/'cniVersion' must be a string: got 1/);
    expect(() => toConfigList('[1]')).toThrow(/'config' must be a JSON object/);
  });

  const list: CniConfigList = {
    cniVersion: '1.0.0',
    name: 'net-a',
    plugins: [
      {
        type: 'macvlan', name: 'ignored', cniVersion: '0.3.1', master: 'eth0',
        capabilities: { mac: true, ips: false },
        runtimeConfig: { authored: true },
        ipam: { type: 'host-local', dataDir: '/var/lib/cni/networks', ranges: [[{ subnet: '10.1.0.0/24' }]] },
      },
      { type: 'tuning', capabilities: { mac: true }, mtu: 1400 },
      { type: 'portmap', capabilities: { portMappings: true } },
    ],
  };

  test('each plugin gets the list name and version, and runtimeConfig only for capabilities it declares', () => {
    const runtime = { mac: '02:11:22:33:44:55', ips: ['10.1.0.9/24'], portMappings: [{ hostPort: 8080, containerPort: 80, protocol: 'tcp' }] };
    const first = buildPluginConfig(list, 0, { capabilityArgs: runtime });
    expect(first.name).toBe('net-a');
    expect(first.cniVersion).toBe('1.0.0');
    // ips is declared false: not injected; the authored runtimeConfig is replaced
    expect(first.runtimeConfig).toEqual({ mac: '02:11:22:33:44:55' });
    expect(first.prevResult).toBeUndefined();
    expect(buildPluginConfig(list, 2, { capabilityArgs: runtime }).runtimeConfig).toEqual({ portMappings: runtime.portMappings });
    // no capability argument for a declared capability: no runtimeConfig at all
    expect(buildPluginConfig(list, 2, {}).runtimeConfig).toBeUndefined();
    // the list is not modified
    expect(list.plugins[0].name).toBe('ignored');
    expect(list.plugins[0].runtimeConfig).toEqual({ authored: true });
  });

  test('prevResult is passed through to a chained plugin', () => {
    const prev = { cniVersion: '1.0.0', interfaces: [{ name: 'net1', sandbox: '/var/run/netns/p' }], ips: [{ address: '10.1.0.2/24', interface: 0 }] };
    const conf = buildPluginConfig(list, 1, { prevResult: prev });
    expect(conf.prevResult).toEqual(prev);
    expect(conf.prevResult).not.toBe(prev);
  });

  test('node state paths are rewritten into the run state directory', () => {
    const conf = buildPluginConfig(list, 0, { stateDir: '/tmp/run1' });
    expect((conf.ipam as { dataDir: string }).dataDir).toBe('/tmp/run1/host-local');
    expect(buildPluginConfig(list, 1, { stateDir: '/tmp/run1' }).dataDir).toBe('/tmp/run1/tuning');
    const dhcp = rewriteStatePaths({ type: 'macvlan', ipam: { type: 'dhcp' } }, '/tmp/run1');
    expect(dhcp.ipam).toEqual({ type: 'dhcp', daemonSocketPath: '/tmp/run1/dhcp.sock' });
    // other plugins are left alone
    expect(rewriteStatePaths({ type: 'bridge', ipam: { type: 'static' } }, '/s')).toEqual({ type: 'bridge', ipam: { type: 'static' } });
  });

  test.each([
    ['host-local as the main plugin, ipam.dataDir elsewhere', { type: 'host-local', ipam: { type: 'x', dataDir: '/etc' } }, ['ipam', 'dataDir'], '/s/host-local'],
    ['host-local as the main plugin, no dataDir (default /var/lib/cni)', { type: 'host-local', ranges: [] }, ['ipam', 'dataDir'], '/s/host-local'],
    ['an unknown IPAM with a dataDir', { type: 'bridge', ipam: { type: 'mine', dataDir: '/root' } }, ['ipam', 'dataDir'], '/s/host-local'],
    ['tuning with its own dataDir', { type: 'tuning', dataDir: '/etc/cron.d' }, ['dataDir'], '/s/tuning'],
    ['a dataDir deep inside another plugin', { type: 'portmap', x: { y: [{ dataDir: '/etc' }] } }, ['x', 'y', 0, 'dataDir'], '/s/data/x-y-0-dataDir'],
  ])('every dataDir is moved into the run: %s', (_, conf, at, expected) => {
    let v: unknown = rewriteStatePaths(conf as Record<string, unknown>, '/s');
    for (const k of at) v = (v as Record<string | number, unknown>)[k];
    expect(v).toBe(expected);
  });

  test('CNI_ARGS carries IgnoreUnknown and the pod identity like Multus, then extra pairs', () => {
    expect(cniArgsString({ containerId: 'c1', podNamespace: 'ns1', podName: 'p1', args: [['MAC', '02:00:00:00:00:09']] }))
      .toBe('IgnoreUnknown=true;K8S_POD_NAMESPACE=ns1;K8S_POD_NAME=p1;K8S_POD_INFRA_CONTAINER_ID=c1;MAC=02:00:00:00:00:09');
    expect(cniArgsString({ containerId: 'c1' })).toBe('IgnoreUnknown=true;K8S_POD_NAMESPACE=default;K8S_POD_NAME=nfv-verify;K8S_POD_INFRA_CONTAINER_ID=c1');
    expect(() => cniArgsString({ containerId: 'c', args: [['A', 'x;y']] })).toThrow(/'args' must not contain ';'/);
  });
});

describe('plugin lookup (pure)', () => {
  let dirA: string;
  let dirB: string;
  beforeAll(() => {
    dirA = fs.mkdtempSync(path.join(os.tmpdir(), 'nfv-search-a-'));
    dirB = fs.mkdtempSync(path.join(os.tmpdir(), 'nfv-search-b-'));
    fs.writeFileSync(path.join(dirA, 'fake'), '#!/bin/sh\n', { mode: 0o644 }); // not executable
    fs.writeFileSync(path.join(dirB, 'fake'), '#!/bin/sh\n', { mode: 0o755 });
    fs.writeFileSync(path.join(dirA, 'first'), '#!/bin/sh\n', { mode: 0o755 });
    fs.writeFileSync(path.join(dirB, 'first'), '#!/bin/sh\n', { mode: 0o755 });
  });
  afterAll(() => {
    fs.rmSync(dirA, { recursive: true, force: true });
    fs.rmSync(dirB, { recursive: true, force: true });
  });

  test('the first executable on the search path wins', () => {
    expect(findPluginBinary('first', [dirA, dirB])).toBe(path.join(dirA, 'first'));
    // a file without any x bit is skipped (access(2) X_OK fails even for root)
    expect(findPluginBinary('fake', [dirA, dirB])).toBe(path.join(dirB, 'fake'));
    expect(findPluginBinary('fake', [dirB])).toBe(path.join(dirB, 'fake'));
    expect(findPluginBinary('absent', [dirA, dirB])).toBeUndefined();
  });

  test('fails to resolve a type that is a path', () => {
    expect(findPluginBinary('../b/fake', [dirA])).toBeUndefined();
    expect(findPluginBinary('/bin/sh', [dirA])).toBeUndefined();
  });

  test('a missing binary is a missing-plugin outcome naming the plugin, and nothing runs', () => {
    // dummy is not shipped by Debian's plugins; with an empty search dir it is missing anywhere
    const rt: RuntimeConf = { containerId: 'c', netns: 'no-such-ns', hostNetns: 'no-such-ns', ifname: 'net1', stateDir: dirA, searchPath: [dirA] };
    const o = execPlugin({ cniVersion: '1.0.0', name: 'd', type: 'dummy' }, 'ADD', rt);
    expect(o).toEqual({ kind: 'missing-plugin', plugin: 'dummy', command: 'ADD', searchPath: [dirA] });
    const add = addNetworkList(toConfigList({ cniVersion: '1.0.0', name: 'd', type: 'dummy' }), rt);
    expect(add.ok).toBe(false);
    expect(add.failed).toMatchObject({ kind: 'missing-plugin', plugin: 'dummy' });
    expect(add.failedIndex).toBe(0);
  });
});

describe('real plugins in namespaces', () => {
  afterAll(() => {
    try {
      cleanupAll(PREFIX);
    } catch {
      // not root
    }
  });

  function withRun<T>(fn: (rt: RuntimeConf, run: NetnsRun) => T): T {
    const run = new NetnsRun({ prefix: PREFIX });
    try {
      const node = run.createNamespace('node');
      const pod = run.createNamespace('pod');
      return fn({ containerId: run.id, netns: pod, hostNetns: node, ifname: 'net1', stateDir: run.createTempDir() }, run);
    } finally {
      expect(run.dispose()).toEqual({ namespaces: [], dirs: [] });
      expect(leftovers(PREFIX)).toEqual([]);
    }
  }

  dataplaneTest('VERSION lists the spec versions a plugin supports', { plugins: ['bridge'] }, () => {
    const o = pluginVersionInfo('bridge');
    expect(o.kind).toBe('ok');
    expect(o.kind === 'ok' && (o.result?.supportedVersions as string[])).toEqual(expect.arrayContaining(['0.3.1', '0.4.0', '1.0.0']));
  });

  dataplaneTest('bridge + host-local ADD gives the first address of the range, DEL releases it', { plugins: ['bridge', 'host-local'], links: [LinkType.BRIDGE, LinkType.VETH] }, () => {
    withRun((rt) => {
      const list = toConfigList({
        cniVersion: '1.0.0', name: 'br-test',
        plugins: [{ type: 'bridge', bridge: 'brt0', isGateway: true, ipam: { type: 'host-local', ranges: [[{ subnet: '10.77.0.0/24', gateway: '10.77.0.1' }]] } }],
      });
      const add = addNetworkList(list, rt);
      expect(add.ok).toBe(true);
      const result = add.result!;
      expect(result.ips).toEqual([{ interface: 2, address: '10.77.0.2/24', gateway: '10.77.0.1' }]);
      const ifaces = result.interfaces as Array<{ name: string; sandbox?: string }>;
      expect(ifaces[0].name).toBe('brt0');
      expect(ifaces[2]).toMatchObject({ name: 'net1', sandbox: `/var/run/netns/${rt.netns}` });
      // the plugin ran in the node namespace: the bridge is there, with the gateway address
      const brt0 = listLinks(rt.hostNetns).find((l) => l.name === 'brt0');
      expect(brt0?.kind).toBe('bridge');
      expect(brt0?.addresses.map((a) => a.cidr)).toContain('10.77.0.1/24');
      expect(listLinks(rt.netns).find((l) => l.name === 'net1')?.addresses.map((a) => a.cidr)).toContain('10.77.0.2/24');
      // host-local kept its lease in the run's state directory, not in /var/lib/cni
      const lease = path.join(rt.stateDir, 'host-local', 'br-test', '10.77.0.2');
      expect(fs.readFileSync(lease, 'utf8')).toContain(rt.containerId);
      const del = delNetworkList(list, rt, result);
      expect(del.ok).toBe(true);
      expect(fs.existsSync(lease)).toBe(false);
      expect(listLinks(rt.netns).map((l) => l.name)).toEqual(['lo']);
    });
  });

  dataplaneTest('a chained tuning step receives the previous result and DEL runs in reverse', { plugins: ['macvlan', 'tuning', 'static'], links: [LinkType.MACVLAN, LinkType.VETH] }, () => {
    withRun((rt) => {
      createVethPair({ end: { netns: rt.hostNetns, name: 'eth0' } });
      const list = toConfigList({
        cniVersion: '1.0.0', name: 'mv-tuned',
        plugins: [
          { type: 'macvlan', master: 'eth0', mode: 'bridge', ipam: { type: 'static', addresses: [{ address: '10.78.0.5/24' }] } },
          { type: 'tuning', mtu: 1400, mac: '02:aa:bb:cc:dd:01', sysctl: { 'net.ipv4.conf.net1.arp_ignore': '1' } },
        ],
      });
      const add = addNetworkList(list, rt);
      expect(add.ok).toBe(true);
      expect(add.steps.map((s) => s.plugin)).toEqual(['macvlan', 'tuning']);
      const [mv, tu] = add.steps;
      expect(mv.kind === 'ok' && tu.kind === 'ok').toBe(true);
      if (mv.kind !== 'ok' || tu.kind !== 'ok') return;
      expect(mv.stdin.prevResult).toBeUndefined();
      expect(tu.stdin.prevResult).toEqual(mv.result);
      expect(tu.stdin.dataDir).toBe(path.join(rt.stateDir, 'tuning'));
      const net1 = listLinks(rt.netns).find((l) => l.name === 'net1');
      expect(net1).toMatchObject({ kind: 'macvlan', mtu: 1400, mac: '02:aa:bb:cc:dd:01' });
      const sysctl = execAndRead(rt.netns, '/proc/sys/net/ipv4/conf/net1/arp_ignore');
      expect(sysctl).toBe('1');
      const del = delNetworkList(list, rt, add.result);
      expect(del.ok).toBe(true);
      expect(del.steps.map((s) => s.plugin)).toEqual(['tuning', 'macvlan']);
      // every DEL got the final ADD result
      for (const s of del.steps) expect(s.kind === 'ok' && s.stdin.prevResult).toEqual(add.result);
    });
  });

  dataplaneTest('fails with the plugin\'s own error object, parsed', { plugins: ['macvlan'], links: [LinkType.VETH] }, () => {
    withRun((rt) => {
      createVethPair({ end: { netns: rt.hostNetns, name: 'eth0' } });
      const o = execPlugin({ cniVersion: '1.0.0', name: 'bad', type: 'macvlan', master: 'eth0', mode: 'bogus' }, 'ADD', rt);
      expect(o.kind).toBe('error');
      if (o.kind !== 'error') return;
      expect(o.error.msg).toMatch(/unknown macvlan mode: "bogus"/);
      expect(typeof o.error.code).toBe('number');
      expect(o.exitStatus).not.toBe(0);
      const v = execPlugin({ cniVersion: '9.9.9', name: 'bad', type: 'macvlan', master: 'eth0' }, 'ADD', rt);
      expect(v.kind === 'error' && v.error).toMatchObject({ code: 1, msg: 'incompatible CNI versions' });
      expect(v.kind === 'error' && v.error.details).toMatch(/config is "9.9.9", plugin supports/);
    });
  });

  dataplaneTest('a list stops at the first failing plugin and reports its index', { plugins: ['macvlan', 'tuning', 'static'], links: [LinkType.MACVLAN, LinkType.VETH] }, () => {
    withRun((rt) => {
      createVethPair({ end: { netns: rt.hostNetns, name: 'eth0' } });
      const list = toConfigList({
        cniVersion: '1.0.0', name: 'mv-bad-tuning',
        plugins: [
          { type: 'macvlan', master: 'eth0', ipam: { type: 'static', addresses: [{ address: '10.79.0.5/24' }] } },
          { type: 'tuning', sysctl: { 'kernel.hostname': 'x' } },
          { type: 'tuning', mtu: 1300 },
        ],
      });
      const add = addNetworkList(list, rt);
      expect(add.ok).toBe(false);
      expect(add.failedIndex).toBe(1);
      expect(add.failed?.kind === 'error' && add.failed.error.msg).toMatch(/invalid net sysctl key: "kernel.hostname"/);
      expect(add.steps).toHaveLength(2);
      const del = delNetworkList(list, rt);
      expect(del.ok).toBe(true);
      expect(listLinks(rt.netns).map((l) => l.name)).toEqual(['lo']);
    });
  });
});

function execAndRead(netns: string, file: string): string {
  return execInNetns(netns, 'cat', [file]).stdout.trim();
}
