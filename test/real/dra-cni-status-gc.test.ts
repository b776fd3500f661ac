import { LinkType, NetnsRun, RuntimeConf, addNetworkList, delNetworkList, gcNetworkList, statusNetworkList, toConfigList } from '../../lib/cli/dataplane';
import { dataplaneTest, printSkipSummary } from '../cli/dataplane/gate';
import { BUILD_TIMEOUT_MS, describeWithToolchain, ensureToolchain } from '../util/toolchain';

/**
 * CNI 1.1's STATUS and GC verbs, run by verify's plugin runner (lib/cli/dataplane/cni-exec.ts)
 * with the toolchain's containernetworking/plugins v1.10.0 (which have them) and Debian's 1.1.1
 * (which do not): STATUS before ADD, GC after a lost DEL reports the leaked host-local address.
 */

const list = (cniVersion: string) => toConfigList({
  cniVersion,
  name: 'gc-net',
  plugins: [{ type: 'bridge', bridge: 'br-gc', isGateway: false, ipam: { type: 'host-local', ranges: [[{ subnet: '10.99.0.0/24' }]] } }],
});
/** host-local as the list's own plugin: the only plugin of v1.10.0 with a GC of its own. */
const hostLocalList = () => toConfigList({ cniVersion: '1.1.0', name: 'gc-pool', plugins: [{ type: 'host-local', ipam: { type: 'host-local', ranges: [[{ subnet: '10.98.0.0/24' }]] } }] });

describeWithToolchain('CNI 1.1 STATUS and GC with the real plugins', ['cni-plugins'], () => {
  let searchPath: string[];
  beforeAll(async () => {
    const bins = await ensureToolchain(['cni-plugins']);
    searchPath = [bins['cni-plugins:binDir']];
  }, BUILD_TIMEOUT_MS);
  printSkipSummary('test/real/dra-cni-status-gc.test.ts');

  dataplaneTest('STATUS before ADD; GC through bridge releases nothing (v1.10.0\'s bridge has no GC and does not pass it to its IPAM), host-local\'s own GC releases the address of a lost DEL and keeps the live one', { links: [LinkType.BRIDGE, LinkType.VETH] }, () => {
    const run = new NetnsRun();
    try {
      const node = run.createNamespace('node');
      const podA = run.createNamespace('poda');
      const podB = run.createNamespace('podb');
      const stateDir = run.createTempDir();
      const rt = (netns: string, containerId: string): RuntimeConf => ({ containerId, netns, hostNetns: node, ifname: 'net1', stateDir, searchPath });
      const l = list('1.1.0');

      const status = statusNetworkList(l, rt(podA, 'a'));
      expect([status.ok, status.skipped, status.steps.map((s) => [s.plugin, s.command, s.kind])]).toEqual([true, undefined, [['bridge', 'STATUS', 'ok']]]);

      const addA = addNetworkList(l, rt(podA, 'ctr-a'));
      const addB = addNetworkList(l, rt(podB, 'ctr-b'));
      expect([addA.ok, addB.ok]).toEqual([true, true]);
      const ipA = String((addA.result!.ips as any[])[0].address).split('/')[0];
      const ipB = String((addB.result!.ips as any[])[0].address).split('/')[0];

      // pod A's DEL is lost (runtime crash): GC with B as the only valid attachment
      const gc = gcNetworkList(l, rt(podB, 'ctr-b'), [{ containerID: 'ctr-b', ifname: 'net1' }]);
      expect([gc.ok, gc.failed]).toEqual([true, undefined]);
      expect(gc.steps.map((s) => [s.plugin, s.command, s.kind])).toEqual([['bridge', 'GC', 'ok']]);
      expect(gc.steps[0].kind === 'ok' && gc.steps[0].stdin['cni.dev/valid-attachments']).toEqual([{ containerID: 'ctr-b', ifname: 'net1' }]);
      // the leak stays: bridge answers GC without asking host-local
      expect(gc.released).toEqual([]);
      const lost = delNetworkList(l, rt(podA, 'ctr-a'), addA.result);
      expect(lost.ok).toBe(true);

      const pool = hostLocalList();
      const leak = addNetworkList(pool, rt(podA, 'ctr-a'));
      const live = addNetworkList(pool, rt(podB, 'ctr-b'));
      expect([leak.ok, live.ok]).toEqual([true, true]);
      const leaked = String((leak.result!.ips as any[])[0].address).split('/')[0];
      const poolGc = gcNetworkList(pool, rt(podB, 'ctr-b'), [{ containerID: 'ctr-b', ifname: 'net1' }]);
      expect([poolGc.ok, poolGc.released]).toEqual([true, [`host-local/gc-pool/${leaked}`]]);
      expect(delNetworkList(pool, rt(podB, 'ctr-b'), live.result).ok).toBe(true);

      const delB = delNetworkList(l, rt(podB, 'ctr-b'), addB.result);
      expect(delB.ok).toBe(true);
      // nothing leaks after a proper DEL
      expect(gcNetworkList(l, rt(podB, 'ctr-b'), []).released).toEqual([]);
      expect(ipB).not.toBe(ipA);
    } finally {
      expect(run.dispose()).toEqual({ namespaces: [], dirs: [] });
    }
  }, 60_000);

  dataplaneTest('below 1.1.0 STATUS and GC are skipped with the reason, as libcni does; disableGC skips GC', { links: [LinkType.BRIDGE] }, () => {
    const run = new NetnsRun();
    try {
      const node = run.createNamespace('node');
      const rt: RuntimeConf = { containerId: 'x', netns: node, hostNetns: node, ifname: 'net1', stateDir: run.createTempDir(), searchPath };
      expect(statusNetworkList(list('1.0.0'), rt)).toEqual({ command: 'STATUS', ok: true, steps: [], skipped: 'cniVersion "1.0.0" does not have STATUS (1.1.0 does)' });
      expect(gcNetworkList(list('1.0.0'), rt).skipped).toBe('cniVersion "1.0.0" does not have GC (1.1.0 does)');
      expect(gcNetworkList({ ...list('1.1.0'), disableGC: true }, rt).skipped).toBe('disableGC is set');
    } finally {
      run.dispose();
    }
  });

  dataplaneTest('Debian\'s plugins 1.1.1 answer STATUS with an error (they predate CNI 1.1)', { plugins: ['bridge'], links: [LinkType.BRIDGE] }, () => {
    const run = new NetnsRun();
    try {
      const node = run.createNamespace('node');
      const rt: RuntimeConf = { containerId: 'x', netns: node, hostNetns: node, ifname: 'net1', stateDir: run.createTempDir(), searchPath: ['/usr/lib/cni'] };
      const status = statusNetworkList(list('1.1.0'), rt);
      expect(status.ok).toBe(false);
      expect(status.failed?.kind === 'error' ? status.failed.error : status.failed).toEqual({ code: 3, msg: 'missing containerID' });
    } finally {
      run.dispose();
    }
  });
});
