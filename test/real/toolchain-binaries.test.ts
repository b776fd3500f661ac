import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { buildToolchain } from '../../lib/toolchain/build';
import { toolchainCacheDir } from '../../lib/toolchain/cache-dir';
import { binariesOf, loadToolchainVersions } from '../../lib/toolchain/versions';
import { BUILD_TIMEOUT_MS, TOOLCHAIN_DIR, describeWithToolchain, ensureToolchain } from '../util/toolchain';

/** The binaries the toolchain builds are the pinned releases, and run. */

const ALL = ['etcd', 'kube-apiserver', 'multus', 'cni-plugins'];
const versions = loadToolchainVersions(TOOLCHAIN_DIR);

function run(bin: string, args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; out: string } {
  const r = spawnSync(bin, args, { env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', ...env }, encoding: 'utf8', input: '', timeout: 30_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describeWithToolchain('the toolchain: real consumers built from pinned Go modules', ALL, () => {
  let bins: Record<string, string>;
  beforeAll(async () => {
    bins = await ensureToolchain(ALL);
  }, BUILD_TIMEOUT_MS);

  test('a second build run does nothing and says so for every component', async () => {
    const lines: string[] = [];
    const started = Date.now();
    const results = await buildToolchain({
      toolchainDir: TOOLCHAIN_DIR, cacheDir: toolchainCacheDir(process.env), versions, env: process.env, only: ALL, log: (l) => lines.push(l),
    });
    expect(results.map((r) => [r.component.name, r.built])).toEqual(ALL.map((n) => [n, false]));
    expect(lines.every((l) => / up to date \(/.test(l))).toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  test('etcd and kube-apiserver report the pinned versions', () => {
    const etcd = run(bins.etcd, ['--version']);
    expect(etcd.status).toBe(0);
    expect(etcd.out).toMatch(/^etcd Version: 3\.6\.16$/m);
    const api = run(bins['kube-apiserver'], ['--version']);
    expect(api.status).toBe(0);
    expect(api.out.trim()).toBe('Kubernetes v1.34.4');
  });

  test('every CNI plugin and Multus answer the CNI VERSION command with spec 1.1.0 among their versions', () => {
    const plugins = binariesOf(versions.components.find((c) => c.name === 'cni-plugins')!);
    const binDir = bins['cni-plugins:binDir'];
    expect(fs.readdirSync(binDir).sort()).toEqual([...plugins].sort());
    for (const bin of [...plugins.map((p) => path.join(binDir, p)), bins.multus]) {
      const r = run(bin, [], { CNI_COMMAND: 'VERSION' });
      const answer = JSON.parse(r.out);
      expect([path.basename(bin), r.status, answer.supportedVersions.includes('1.1.0')]).toEqual([path.basename(bin), 0, true]);
    }
  });
});
