import * as fs from 'fs';
import {
  NetnsRun,
  checkIfname,
  cleanupAll,
  createVethPair,
  defaultRunPrefix,
  execInNetns,
  leftovers,
  listLinks,
  listNetns,
  netnsPath,
  runCommand,
} from '../../../lib/cli/dataplane';
import { dataplaneTest, printSkipSummary } from './gate';

printSkipSummary('test/cli/dataplane/netns.test.ts');

// A prefix of this file's own, so assertions about leftovers see only this file's namespaces.
const PREFIX = `nfvt${process.pid.toString(16)}`;

describe('pure helpers', () => {
  test('the default prefix is nfv and 8 random hex digits, fresh on every call (never the pid)', () => {
    const a = defaultRunPrefix();
    const b = defaultRunPrefix();
    expect(a).toMatch(/^nfv[0-9a-f]{8}$/);
    expect(b).toMatch(/^nfv[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
    expect(netnsPath('x')).toBe('/var/run/netns/x');
  });

  test('fails on interface names the kernel refuses', () => {
    expect(() => checkIfname('a'.repeat(16))).toThrow(/'ifname' must be an interface name of 1 to 15 characters .*: got "a{16}"; use a shorter name/);
    expect(() => checkIfname('a/b', 'master')).toThrow(/^'master' must be/);
    expect(() => checkIfname('a b')).toThrow(/got "a b"/);
    expect(() => checkIfname('a'.repeat(15))).not.toThrow();
  });

  test('a command that cannot start is reported, not thrown', () => {
    const r = runCommand('/nonexistent/nfv-binary', []);
    expect(r.status).toBeNull();
    expect(r.error?.message).toMatch(/ENOENT/);
  });

  test('fails on a cleanup prefix that would match too much', () => {
    expect(() => cleanupAll('')).toThrow(/'prefix' must be at least 3/);
    expect(() => cleanupAll('n-')).toThrow(/'prefix' must be/);
  });
});

describe('namespaces', () => {
  afterAll(() => {
    // belt and braces: nothing of this file may survive it
    try {
      cleanupAll(PREFIX);
    } catch {
      // not root: nothing was created
    }
  });

  dataplaneTest('a run creates prefixed namespaces and dispose removes them and its temp dirs', {}, () => {
    const run = new NetnsRun({ prefix: PREFIX });
    let dir = '';
    try {
      const a = run.createNamespace('node');
      const b = run.createNamespace('pod');
      dir = run.createTempDir();
      expect(a).toBe(`${PREFIX}-${run.seq}node`);
      expect(b).toBe(`${PREFIX}-${run.seq}pod`);
      expect(listNetns()).toEqual(expect.arrayContaining([a, b]));
      expect(leftovers(PREFIX)).toEqual([a, b].sort());
      expect(fs.existsSync(dir)).toBe(true);
      // loopback is up in a fresh namespace
      expect(listLinks(a).find((l) => l.name === 'lo')?.up).toBe(true);
    } finally {
      const report = run.dispose();
      expect(report).toEqual({ namespaces: [], dirs: [] });
    }
    expect(leftovers(PREFIX)).toEqual([]);
    expect(fs.existsSync(dir)).toBe(false);
    // a second dispose is harmless
    expect(run.dispose()).toEqual({ namespaces: [], dirs: [] });
    expect(() => run.createNamespace('x')).toThrow(/'run' is disposed/);
  });

  dataplaneTest('a veth pair joins two namespaces with the MTU asked for, both ends up', { links: [] }, () => {
    const run = new NetnsRun({ prefix: PREFIX });
    try {
      const node = run.createNamespace('node');
      const ul = run.createNamespace('ul');
      createVethPair({ end: { netns: node, name: 'eth0', mac: '02:00:00:00:00:01' }, peer: { netns: ul, name: 'ul0' }, mtu: 9000 });
      const eth0 = listLinks(node).find((l) => l.name === 'eth0');
      const ul0 = listLinks(ul).find((l) => l.name === 'ul0');
      expect(eth0).toMatchObject({ kind: 'veth', mtu: 9000, up: true, mac: '02:00:00:00:00:01' });
      expect(ul0).toMatchObject({ kind: 'veth', mtu: 9000, up: true });
      // the other namespace does not see it
      expect(listLinks(ul).map((l) => l.name)).not.toContain('eth0');
      // a dangling peer stays in the same namespace
      createVethPair({ end: { netns: node, name: 'eth1' } });
      expect(listLinks(node).map((l) => l.name)).toEqual(expect.arrayContaining(['eth1', 'eth1p']));
    } finally {
      run.dispose();
    }
    expect(leftovers(PREFIX)).toEqual([]);
  });

  dataplaneTest('commands run inside a namespace see only its interfaces', {}, () => {
    const run = new NetnsRun({ prefix: PREFIX });
    try {
      const ns = run.createNamespace('pod');
      createVethPair({ end: { netns: ns, name: 'probe0' } });
      const r = execInNetns(ns, 'ip', ['-o', 'link', 'show']);
      expect(r.status).toBe(0);
      const names = r.stdout.split('\n').filter(Boolean).map((l) => l.split(':')[1].trim().split('@')[0]);
      expect(names.sort()).toEqual(['lo', 'probe0', 'probe0p']);
      const fail = execInNetns(ns, 'ip', ['link', 'show', 'nope0']);
      expect(fail.status).not.toBe(0);
      expect(fail.stderr).toMatch(/does not exist/);
    } finally {
      run.dispose();
    }
  });

  dataplaneTest('fails to create a veth with an over-long name, before touching the kernel', {}, () => {
    const run = new NetnsRun({ prefix: PREFIX });
    try {
      const ns = run.createNamespace('node');
      expect(() => createVethPair({ end: { netns: ns, name: 'a-very-long-uplink' } })).toThrow(/'end.name' must be an interface name/);
      expect(listLinks(ns).map((l) => l.name)).toEqual(['lo']);
    } finally {
      run.dispose();
    }
  });

  dataplaneTest('cleanupAll removes what a crashed run left, and only namespaces with that exact prefix', {}, () => {
    const crashed = new NetnsRun({ prefix: PREFIX });
    const other = new NetnsRun({ prefix: `${PREFIX}x` });
    try {
      const a = crashed.createNamespace('node');
      const b = crashed.createNamespace('pod');
      createVethPair({ end: { netns: a, name: 'eth0' }, peer: { netns: b, name: 'net1' } });
      const o = other.createNamespace('node');
      // the run is "lost" without dispose
      expect(cleanupAll(PREFIX)).toEqual([a, b].sort());
      expect(leftovers(PREFIX)).toEqual([]);
      expect(listNetns()).toContain(o);
    } finally {
      crashed.dispose();
      other.dispose();
    }
    expect(leftovers(`${PREFIX}x`)).toEqual([]);
  });

  test('the library installs no exit or signal handlers', () => {
    const m = require('../../../lib/cli/dataplane/netns') as Record<string, unknown>;
    expect(m.installExitCleanup).toBeUndefined();
    const before = ['exit', 'SIGINT', 'SIGTERM'].map((e) => process.listenerCount(e));
    const run = new NetnsRun({ prefix: `${PREFIX}h` });
    run.dispose();
    expect(['exit', 'SIGINT', 'SIGTERM'].map((e) => process.listenerCount(e))).toEqual(before);
  });
});
