import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { planRun } from '../../lib/cli/verify';
import { HostForwarder, startNodeForwarder } from '../../lib/cli/verify/multus-engine/forwarder';
import { runPath } from '../../lib/cli/verify/multus-engine/node-state';
import { CLUSTER_NETWORK_NAME, multusConfig, nadObject, podObject, podObjectName } from '../../lib/cli/verify/multus-engine/objects';
import { findMultusToolchain } from '../../lib/cli/verify/multus-engine/toolchain';

/** The pure parts of the Multus engine: what goes to the API server and to Multus, and the checked values. */

const nad = (name: string, config: object) => ({ apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name, namespace: 'lab' }, spec: { config: JSON.stringify(config) } });
const pod = (name: string, annotations: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'lab', annotations }, spec: { containers: [{ name: 'c', image: 'x' }] } });
const objects = (...o: object[]) => o.map((object, index) => ({ file: 't', index, object }));

describe('API objects of the Multus engine', () => {
  const plan = planRun(objects(
    nad('hl', { cniVersion: '1.0.0', name: 'hl', plugins: [{ type: 'bridge', bridge: 'br0', ipam: { type: 'host-local', ranges: [[{ subnet: '10.1.0.0/24' }]], dataDir: '/var/lib/evil' } }, { type: 'tuning' }] }),
    nad('dn', { cniVersion: '1.0.0', name: 'dn', plugins: [{ type: 'bridge', bridge: 'br1', ipam: { type: 'host-local', ranges: [[{ subnet: '10.2.0.0/24' }]] } }] }),
    pod('a', { 'k8s.v1.cni.cncf.io/networks': JSON.stringify([{ name: 'hl', ips: ['10.1.0.5/24'], mac: '02:00:00:00:00:05', 'cni-args': { x: 1 } }, { name: 'hl' }]), 'v1.multus-cni.io/default-network': 'lab/dn' }),
  ), { probeUnselected: false });

  test('a NAD is stored with every state path under the given directory, its name kept', () => {
    const o = nadObject(plan.networks.get('lab/hl')!, '/tmp/run/nads');
    const config = JSON.parse(String((o.spec as { config: string }).config));
    expect(config.name).toBe('hl');
    expect(config.plugins[0].ipam.dataDir).toBe('/tmp/run/nads/host-local');
    expect(config.plugins[1].dataDir).toBe('/tmp/run/nads/tuning');
    expect(o.metadata).toEqual({ name: 'hl', namespace: 'lab' });
  });

  test('a pod: its elements with namespace and interface written out, the default network in its own annotation', () => {
    const p = plan.pods[0];
    expect(podObjectName(p, 'nfv1234')).toBe('a-nfv1234-0');
    const o = podObject(p, 'a-nfv1234-0', p.attachments);
    const annotations = o.metadata.annotations as Record<string, string>;
    expect(JSON.parse(annotations['k8s.v1.cni.cncf.io/networks'])).toEqual([
      { name: 'hl', namespace: 'lab', interface: 'net1', ips: ['10.1.0.5/24'], mac: '02:00:00:00:00:05', 'cni-args': { x: 1 } },
      { name: 'hl', namespace: 'lab', interface: 'net2' },
    ]);
    expect(JSON.parse(annotations['v1.multus-cni.io/default-network'])).toEqual([{ name: 'dn', namespace: 'lab' }]);
    // leaving one attachment out changes no other's interface
    const without = podObject(p, 'x', p.attachments.filter((a) => a.ifname !== 'net1'));
    expect(JSON.parse((without.metadata.annotations as Record<string, string>)['k8s.v1.cni.cncf.io/networks'])).toEqual([{ name: 'hl', namespace: 'lab', interface: 'net2' }]);
  });

  test('the Multus config of a node: kubeconfig, plugin directory, caches and the cluster network all inside the run', () => {
    const c = multusConfig(3, { kubeconfig: '/tmp/run/multus/kubeconfig', cniPath: ['/usr/lib/cni', '/opt/x'], dir: '/tmp/run/multus/node3' });
    expect(c).toMatchObject({ type: 'multus', kubeconfig: '/tmp/run/multus/kubeconfig', binDir: '/usr/lib/cni', cniDir: '/tmp/run/multus/node3/cache', confDir: '/tmp/run/multus/node3/net.d', logFile: '/tmp/run/multus/node3/multus.log' });
    expect(c.delegates).toEqual([{
      cniVersion: '1.0.0', name: CLUSTER_NETWORK_NAME,
      plugins: [{ type: 'ptp', ipMasq: false, ipam: { type: 'host-local', ranges: [[{ subnet: '198.18.3.0/24' }]], dataDir: '/tmp/run/multus/node3/cluster-ipam' } }],
    }]);
  });
});

describe('checked values', () => {
  test('runPath refuses relative paths, shell text and ..', () => {
    expect(runPath('/tmp/nfv1-state-x/nads', 'p')).toBe('/tmp/nfv1-state-x/nads');
    expect(() => runPath('/tmp/a;rm -rf /', 'nodeDir')).toThrow('\'nodeDir\' is not a plain absolute path: got "/tmp/a;rm -rf /"; use letters, digits, \'_\', \'.\', \'+\', \'-\' and \'/\' without \'..\'');
    expect(() => runPath('/tmp/../etc', 'p')).toThrow(/without '\.\.'/);
    expect(() => runPath('tmp/x', 'p')).toThrow(/not a plain absolute path/);
  });

  test('forwarders refuse a bad port or socket path before starting anything', async () => {
    await expect(HostForwarder.start('/tmp/x.sock', 70000)).rejects.toThrow("'port' is not a TCP port: got 70000; pass an integer from 1 to 65535");
    await expect(HostForwarder.start('relative.sock', 6443)).rejects.toThrow(/^'socketPath' is not a unix socket path of the run: got "relative.sock"/);
    expect(() => startNodeForwarder('nfv1234-node0', 6443, '/tmp/$(reboot).sock')).toThrow(/^'socketPath' is not a unix socket path of the run/);
    expect(() => startNodeForwarder('../../etc', 6443, '/tmp/x.sock')).toThrow();
  });

  test('findMultusToolchain: the highest version of each binary present, or what is missing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'toolchain-find-'));
    try {
      expect(findMultusToolchain(dir)).toEqual({ missing: ['multus', 'etcd', 'kube-apiserver'] });
      for (const [d, b] of [['multus-v4.2.0', 'multus'], ['multus-v4.10.0', 'multus'], ['etcd-v3.6.16', 'etcd'], ['kube-apiserver-v1.34.4', 'kube-apiserver']]) {
        fs.mkdirSync(path.join(dir, d, 'bin'), { recursive: true });
        fs.writeFileSync(path.join(dir, d, 'bin', b), '', { mode: 0o755 });
      }
      fs.mkdirSync(path.join(dir, 'multus-v4.11.0', 'bin'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'multus-v4.11.0', 'bin', 'multus'), '', { mode: 0o644 }); // not executable
      expect(findMultusToolchain(dir)).toEqual({
        missing: [],
        toolchain: { multus: path.join(dir, 'multus-v4.10.0', 'bin', 'multus'), etcd: path.join(dir, 'etcd-v3.6.16', 'bin', 'etcd'), kubeApiserver: path.join(dir, 'kube-apiserver-v1.34.4', 'bin', 'kube-apiserver') },
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
