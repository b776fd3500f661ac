import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { toolchainCacheDir } from '../../lib/toolchain/cache-dir';
import { binariesOf, binaryNameOf, loadToolchainVersions, parseToolchainVersions } from '../../lib/toolchain/versions';

const TOOLCHAIN_DIR = path.resolve(__dirname, '..', '..', 'toolchain');
const versions = loadToolchainVersions(TOOLCHAIN_DIR);

function goMod(name: string): string {
  return fs.readFileSync(path.join(TOOLCHAIN_DIR, name, 'go.mod'), 'utf8');
}

describe('toolchain/versions.json and the wrapper modules', () => {
  test('names the four real consumers at the issue\'s versions', () => {
    const byName = Object.fromEntries(versions.components.map((c) => [c.name, `${c.module}@${c.version}`]));
    expect(byName).toEqual({
      'etcd': 'go.etcd.io/etcd/server/v3@v3.6.16',
      'kube-apiserver': 'k8s.io/kubernetes@v1.34.4',
      'multus': 'gopkg.in/k8snetworkplumbingwg/multus-cni.v4@v4.3.0',
      'cni-plugins': 'github.com/containernetworking/plugins@v1.10.0',
      'pulumi': 'github.com/pulumi/pulumi/pkg/v3@v3.248.0',
      'pulumi-resource-kubernetes': 'github.com/pulumi/pulumi-kubernetes/provider/v4@v4.0.0-20260115033456-f47bc2d6f199',
    });
  });

  test('each wrapper go.mod requires its module at the version versions.json names, and has a go.sum and no vendored sources', () => {
    for (const c of versions.components) {
      const mod = goMod(c.name);
      const required = new RegExp(`^\\s*(require\\s+)?${c.module.replace(/[.]/g, '\\.')} (v\\S+)`, 'm').exec(mod);
      expect([c.name, required?.[2]]).toEqual([c.name, c.version]);
      expect(fs.statSync(path.join(TOOLCHAIN_DIR, c.name, 'go.sum')).size).toBeGreaterThan(1000);
      expect(fs.existsSync(path.join(TOOLCHAIN_DIR, c.name, 'vendor'))).toBe(false);
    }
  });

  test('kube-apiserver\'s wrapper replaces every staging module with the release matching the Kubernetes version', () => {
    const k = versions.components.find((c) => c.name === 'kube-apiserver')!;
    const staging = `v0${k.version.slice(2)}`; // v1.34.4 → v0.34.4
    const replaces = [...goMod('kube-apiserver').matchAll(/^\s*(k8s\.io\/\S+) => (k8s\.io\/\S+) (v\S+)$/gm)];
    expect(replaces.length).toBeGreaterThanOrEqual(31);
    for (const [, from, to, version] of replaces) expect([from, to, version]).toEqual([from, from, staging]);
    for (const m of ['api', 'apimachinery', 'apiserver', 'apiextensions-apiserver', 'client-go', 'kube-aggregator']) {
      expect(replaces.map((r) => r[1])).toContain(`k8s.io/${m}`);
    }
  });

  test('the CNI plugins component builds every Linux main, IPAM and meta plugin', () => {
    const cni = versions.components.find((c) => c.name === 'cni-plugins')!;
    expect(binariesOf(cni).sort()).toEqual([
      'bandwidth', 'bridge', 'dhcp', 'dummy', 'firewall', 'host-device', 'host-local', 'ipvlan', 'loopback',
      'macvlan', 'portmap', 'ptp', 'sbr', 'static', 'tap', 'tuning', 'vlan', 'vrf',
    ]);
    expect(binariesOf(versions.components.find((c) => c.name === 'etcd')!)).toEqual(['etcd']);
  });
});

describe('parseToolchainVersions', () => {
  const good = { goMinimum: '1.26.8', components: { x: { module: 'example.com/x', version: 'v1.0.0', packages: ['example.com/x/cmd/x'] } } };

  test('accepts a well-formed file', () => {
    expect(parseToolchainVersions(good).components).toEqual([{ name: 'x', module: 'example.com/x', version: 'v1.0.0', packages: ['example.com/x/cmd/x'] }]);
  });

  test.each([
    [{ ...good, goMinimum: 'latest' }, '\'goMinimum\' is not a Go version: got "latest"; write it as "1.26.8"'],
    [{ ...good, components: [] }, '\'components\' is not an object of components by name: got []; write {"etcd": {"module": ..., "version": ..., "packages": [...]}}'],
    [{ ...good, components: { x: { ...good.components.x, version: 'master' } } }, '\'components.x.version\' is not a release tag or pseudo-version: got "master"; pin a release, e.g. "v3.6.16"'],
    [{ ...good, components: { x: { ...good.components.x, version: 'v1.0.0-2026-abc' } } }, '\'components.x.version\' is not a release tag or pseudo-version: got "v1.0.0-2026-abc"; pin a release, e.g. "v3.6.16"'],
    [{ ...good, components: { x: { ...good.components.x, packages: ['.'] } } }, '\'components.x.packages\' holds a package outside example.com/x: got "."; list main packages of the component\'s module, or "." with "binary" for the wrapper\'s own main'],
    [{ ...good, components: { x: { ...good.components.x, moduleFiles: ['../../etc/passwd'] } } }, '\'components.x.moduleFiles\' is not a list of paths inside the module: got ["../../etc/passwd"]; write relative paths such as "cmd/x/schema.json"'],
    [{ ...good, components: { x: { ...good.components.x, moduleFiles: ['/etc/passwd'] } } }, '\'components.x.moduleFiles\' is not a list of paths inside the module: got ["/etc/passwd"]; write relative paths such as "cmd/x/schema.json"'],
    [{ ...good, components: { x: { ...good.components.x, moduleFiles: ['a/s.json', 'b/s.json'] } } }, '\'components.x.moduleFiles\' names two files of the same name: got ["a/s.json","b/s.json"]; they are copied into one folder: keep the names distinct'],
    [{ ...good, components: { x: { ...good.components.x, packages: ['example.com/y/cmd'] } } }, '\'components.x.packages\' holds a package outside example.com/x: got "example.com/y/cmd"; list main packages of the component\'s module, or "." with "binary" for the wrapper\'s own main'],
    [{ ...good, components: { x: { ...good.components.x, module: 'x; rm -rf /' } } }, '\'components.x.module\' is not a Go module path: got "x; rm -rf /"; write it as in go.mod, e.g. "go.etcd.io/etcd/server/v3"'],
    [{ ...good, components: { X: good.components.x } }, '\'components.X\' is not a component name: got "X"; use lower-case letters, digits and dashes'],
  ])('refuses %j', (raw, message) => {
    expect(() => parseToolchainVersions(raw)).toThrow(message);
  });

  test('accepts a pseudo-version, the wrapper\'s own main with a binary name, and module files', () => {
    const own = { module: 'example.com/x/v4', version: 'v4.0.0-20260115033456-f47bc2d6f199', packages: ['.'], binary: 'x-own', moduleFiles: ['cmd/x/schema.json'] };
    expect(parseToolchainVersions({ ...good, components: { x: own } }).components).toEqual([{ name: 'x', ...own }]);
  });

  test('a binary name follows go build: the last path element, the one before a major-version suffix', () => {
    expect(binaryNameOf('k8s.io/kubernetes/cmd/kube-apiserver')).toBe('kube-apiserver');
    expect(binaryNameOf('go.etcd.io/etcd/server/v3')).toBe('server');
  });
});

describe('toolchainCacheDir', () => {
  test('CDK8S_NFV_TOOLCHAIN_DIR, else $XDG_CACHE_HOME/cdk8s-nfv/toolchain, else ~/.cache/cdk8s-nfv/toolchain', () => {
    expect(toolchainCacheDir({ CDK8S_NFV_TOOLCHAIN_DIR: '/srv/tc', XDG_CACHE_HOME: '/x' }, '/home/u')).toBe('/srv/tc');
    expect(toolchainCacheDir({ XDG_CACHE_HOME: '/x' }, '/home/u')).toBe('/x/cdk8s-nfv/toolchain');
    expect(toolchainCacheDir({ XDG_CACHE_HOME: 'relative' }, '/home/u')).toBe('/home/u/.cache/cdk8s-nfv/toolchain');
    expect(toolchainCacheDir({}, '/home/u')).toBe('/home/u/.cache/cdk8s-nfv/toolchain');
    expect(toolchainCacheDir({})).toBe(path.join(os.homedir(), '.cache', 'cdk8s-nfv', 'toolchain'));
  });
});
