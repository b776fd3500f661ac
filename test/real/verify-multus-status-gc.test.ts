import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { planRun } from '../../lib/cli/verify';
import { MULTUS_NO_DELEGATE_VERBS, MultusEngine } from '../../lib/cli/verify/multus-engine';
import { BUILD_TIMEOUT_MS, describeWithToolchain, ensureToolchain } from '../util/toolchain';

/**
 * The evidence behind what the Multus engine reports about CNI 1.1: Multus 4.3.0 (the version the
 * toolchain builds, toolchain/multus/go.mod), read in the Go module cache, sends no STATUS and no
 * GC to the delegates of a pod's NADs. Its thin plugin wires STATUS and GC (cmd/multus/main.go) to
 * CmdStatus and CmdGC, and both reach the cluster network's delegate only (`n.Delegates[0]`);
 * CmdAdd and CmdDel run the delegates' ADD and DEL without STATUS or GC; DelegateStatus is called
 * by the thick plugin's server alone. (Multus does check the version: its confStatus and
 * conflistStatus skip configs below 1.1.0, as libcni does.) Gated like every toolchain test.
 */

const TOOLCHAIN_GO_MOD = path.resolve(__dirname, '..', '..', 'toolchain', 'multus', 'go.mod');
const MODULE = 'gopkg.in/k8snetworkplumbingwg/multus-cni.v4';
const version = /gopkg\.in\/k8snetworkplumbingwg\/multus-cni\.v4 (v\S+)/.exec(fs.readFileSync(TOOLCHAIN_GO_MOD, 'utf8'))?.[1];
const modCache = spawnSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).stdout?.trim() || path.join(process.env.HOME ?? '/root', 'go', 'pkg', 'mod');
const SOURCE = path.join(modCache, `${MODULE}@${version}`);

/** A call that sends STATUS or GC, in Multus or through libcni. */
const STATUS_OR_GC_CALL = /\b(DelegateStatus|confStatus|conflistStatus|GetStatusNetworkList|GCNetworkList|CmdGC|CmdStatus)\(/;

const read = (file: string) => fs.readFileSync(path.join(SOURCE, file), 'utf8');

/** The text of a top-level Go function, from `func Name(` to its closing brace at column 0. */
function goFunc(text: string, name: string): string {
  const start = text.indexOf(`\nfunc ${name}(`);
  if (start < 0) throw new Error(`no func ${name}`);
  const end = text.indexOf('\n}\n', start);
  return text.slice(start, end + 3);
}

/** Every .go file (tests and vendored code left out) under a directory of the module. */
function goFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(SOURCE, dir), { withFileTypes: true })) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== 'vendor') out.push(...goFiles(rel));
    else if (e.name.endsWith('.go') && !e.name.endsWith('_test.go')) out.push(rel);
  }
  return out;
}

describeWithToolchain(`Multus ${version} and CNI 1.1 STATUS/GC, from its source`, ['multus'], () => {
  let multus = '';
  beforeAll(async () => {
    // building Multus puts its module source in the Go module cache
    await ensureToolchain(['multus']);
    multus = read('pkg/multus/multus.go');
  }, BUILD_TIMEOUT_MS);

  test('the thin plugin answers STATUS and GC itself (CmdStatus, CmdGC)', () => {
    const main = read('cmd/multus/main.go');
    expect(main).toMatch(/GC: func\(args \*skel\.CmdArgs\) error \{\s*return multus\.CmdGC\(args, nil, nil\)/);
    expect(main).toMatch(/Status: func\(args \*skel\.CmdArgs\) error \{\s*return multus\.CmdStatus\(args, nil, nil\)/);
  });

  test('CmdStatus and CmdGC reach the cluster network\'s delegate only (n.Delegates[0]), never a pod\'s NADs', () => {
    for (const name of ['CmdStatus', 'CmdGC']) {
      const body = goFunc(multus, name);
      expect([name, body.includes('delegate := n.Delegates[0]')]).toEqual([name, true]);
      expect([name, /range n\.Delegates|GetPodNetwork|GetNetworkDelegates|k8s\.GetPod\(/.test(body)]).toEqual([name, false]);
    }
  });

  test('CmdAdd, DelegateAdd, CmdDel and DelegateDel send no STATUS and no GC', () => {
    for (const name of ['CmdAdd', 'DelegateAdd', 'CmdDel', 'DelegateDel', 'delPlugins']) {
      const body = goFunc(multus, name);
      expect([name, body.length > 100, body.match(STATUS_OR_GC_CALL)]).toEqual([name, true, null]);
    }
  });

  test('DelegateStatus (a delegate\'s STATUS) is called by the thick plugin\'s server only', () => {
    const callers = [...goFiles('pkg'), ...goFiles('cmd')].filter((f) => /\bDelegateStatus\(/.test(read(f).replace(/func DelegateStatus\(/g, '')));
    expect(callers).toEqual(['pkg/server/server.go']);
  });

  test('where Multus sends STATUS it skips configs below 1.1.0, as libcni does (verify\'s emulated engine does the same)', () => {
    for (const name of ['confStatus', 'conflistStatus']) expect([name, goFunc(multus, name).includes('"1.1.0"')]).toEqual([name, true]);
  });

  test('so the Multus engine notes, for every network it attached, that Multus sent neither verb', async () => {
    const plan = planRun([
      { file: 'x', index: 0, object: { apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name: 'a', namespace: 'lab' }, spec: { config: '{"cniVersion":"1.1.0","name":"a","type":"bridge"}' } } },
      { file: 'x', index: 1, object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'lab', annotations: { 'k8s.v1.cni.cncf.io/networks': 'a' } }, spec: { containers: [] } } },
    ], { probeUnselected: false });
    const engine = new MultusEngine({ prefix: 'nfv00ab', stateDir: '/nonexistent', cniPath: [], capabilities: {} as never, nodes: 1 }, { multus: '/nonexistent' });
    // the pod as the engine records it once Multus ran it (setup needs an API server: not here)
    (engine as any).pods.set(plan.pods[0], { name: 'p', attachments: [...plan.attachments], outcomes: new Map(), attempted: true, added: true });
    expect(await engine.finish()).toEqual({
      rows: [],
      notes: [
        { verb: 'STATUS', network: 'NetworkAttachmentDefinition lab/a', sent: false, detail: MULTUS_NO_DELEGATE_VERBS },
        { verb: 'GC', network: 'NetworkAttachmentDefinition lab/a', sent: false, detail: MULTUS_NO_DELEGATE_VERBS },
      ],
    });
  });
});
