import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DEFAULT_CNI_PATH, findPluginBinary } from '../../lib/cli/dataplane';
import { parseCniConfig } from '../../lib/cni/parse';
import { Severity } from '../../lib/cni/problem';
import { checkTopology } from '../../lib/topology/topology';
import { dataplaneTest, printSkipSummary } from '../cli/dataplane/gate';

/**
 * The evidence behind the rule of lib/topology/host-local-stores.ts: the real host-local (Debian's
 * containernetworking-plugins in /usr/lib/cni) run with CNI_COMMAND=ADD on two configs of one
 * range. Under two names it hands the same address out twice, also when both name one dataDir;
 * under one name it hands out the next one. The rulebook says the same of the same configs.
 * host-local only writes its store (in this run's temp dir); the namespace passed as CNI_NETNS is
 * one the test creates and deletes.
 */

const NS = `nfv-hl-${process.pid}`;

interface Run {
  readonly dir: string;
  /** ADD of host-local for a config of `name` with `dataDir`, as container `id`: the address handed out. */
  add(name: string, dataDir: string, id: string): string;
}

function config(name: string, dataDir: string): object {
  return { cniVersion: '0.4.0', name, type: 'bridge', bridge: 'br-data', ipam: { type: 'host-local', dataDir, ranges: [[{ subnet: '10.99.0.0/24' }]] } };
}

function withRun(fn: (r: Run) => void): void {
  const plugin = findPluginBinary('host-local', DEFAULT_CNI_PATH)!;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nfv-host-local-'));
  const added: Array<[string, string, string]> = [];
  const invoke = (command: string, name: string, dataDir: string, id: string) => spawnSync(plugin, [], {
    input: JSON.stringify(config(name, dataDir)),
    encoding: 'utf8',
    env: { CNI_COMMAND: command, CNI_CONTAINERID: id, CNI_NETNS: `/var/run/netns/${NS}`, CNI_IFNAME: 'net1', CNI_PATH: DEFAULT_CNI_PATH.join(':') },
  });
  expect(spawnSync('ip', ['netns', 'add', NS]).status).toBe(0);
  try {
    fn({
      dir,
      add(name, dataDir, id) {
        const r = invoke('ADD', name, dataDir, id);
        expect(r.status).toBe(0);
        added.push([name, dataDir, id]);
        return JSON.parse(r.stdout).ips[0].address;
      },
    });
  } finally {
    for (const [name, dataDir, id] of added) invoke('DEL', name, dataDir, id);
    spawnSync('ip', ['netns', 'delete', NS]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The rulebook's errors for two NADs of one bridge with these configs. */
function ruleErrors(a: { name: string; dataDir: string }, b: { name: string; dataDir: string }): string[] {
  const networks = [a, b].map((c, i) => ({ name: `nad-${i}`, namespace: 'core', path: `nad-${i}`, config: parseCniConfig(config(c.name, c.dataDir) as any) }));
  return checkTopology({ networks, pods: [] }).filter((p) => p.severity === Severity.ERROR).map((p) => `${p.path} ${p.field}`);
}

describe('host-local keeps one store per <dataDir>/<name> (the real plugin)', () => {
  dataplaneTest('two names, one range: the same address twice, and the rulebook says so', { plugins: ['host-local'] }, () => withRun((r) => {
    const dataDir = path.join(r.dir, 'a');
    const first = r.add('data', dataDir, 'c1');
    const second = r.add('data-copy', dataDir, 'c2');
    expect(second).toBe(first);
    expect(fs.readdirSync(dataDir).sort()).toEqual(['data', 'data-copy']);
    expect(ruleErrors({ name: 'data', dataDir }, { name: 'data-copy', dataDir })).toEqual(['nad-1 ipam']);
  }));

  dataplaneTest('one name, one dataDir: the next address, and no error', { plugins: ['host-local'] }, () => withRun((r) => {
    const dataDir = path.join(r.dir, 'a');
    const first = r.add('data', dataDir, 'c1');
    const second = r.add('data', dataDir, 'c2');
    expect(second).not.toBe(first);
    expect(ruleErrors({ name: 'data', dataDir }, { name: 'data', dataDir })).toEqual([]);
  }));

  dataplaneTest('one name under two dataDirs: two stores, the same address twice, and the rulebook says so', { plugins: ['host-local'] }, () => withRun((r) => {
    const first = r.add('data', path.join(r.dir, 'a'), 'c1');
    const second = r.add('data', path.join(r.dir, 'b'), 'c2');
    expect(second).toBe(first);
    expect(ruleErrors({ name: 'data', dataDir: path.join(r.dir, 'a') }, { name: 'data', dataDir: path.join(r.dir, 'b') })).toEqual(['nad-1 ipam']);
  }));
});

printSkipSummary('host-local-stores-evidence');
