import * as path from 'path';
import { buildToolchain, goAtLeast, goVersionOf, locate, staleReason } from '../../lib/toolchain/build';
import { toolchainCacheDir } from '../../lib/toolchain/cache-dir';
import { ControlPlane, startControlPlane } from '../../lib/toolchain/control-plane';
import { binariesOf, loadToolchainVersions } from '../../lib/toolchain/versions';

/**
 * Gating for tests that need the real consumers built from toolchain/ (kube-apiserver, etcd,
 * Multus, CNI plugins). Decided synchronously at module load: when every needed component is in
 * the cache, or Go is here to build it (in beforeAll, with a long timeout), the tests run; else
 * they are skipped with the reason, and with CDK8S_NFV_REQUIRE_TOOLCHAIN=1 (CI) they fail instead.
 */

/** Whether CI demands the real-consumer tests run. */
export const REQUIRE_TOOLCHAIN = process.env.CDK8S_NFV_REQUIRE_TOOLCHAIN === '1';

/** The project's toolchain/ folder. */
export const TOOLCHAIN_DIR = path.resolve(__dirname, '..', '..', 'toolchain');

/** The longest a cold build of everything may take in a test's beforeAll. */
export const BUILD_TIMEOUT_MS = 60 * 60 * 1000;

const versions = loadToolchainVersions(TOOLCHAIN_DIR);
const cacheDir = toolchainCacheDir(process.env);
/** The Go here (`go env GOVERSION`), asked once at load. */
const goVersion = goVersionOf('go', process.env);

/** Why tests needing `components` cannot run here, or undefined when they can (maybe after a build). */
export function toolchainBlocker(components: readonly string[]): string | undefined {
  const have = goVersion;
  const stale = components
    .map((name) => versions.components.find((c) => c.name === name))
    .map((c) => (c ? staleReason(TOOLCHAIN_DIR, locate(cacheDir, c), have) : 'unknown component'))
    .filter((r): r is string => r !== undefined);
  if (stale.length === 0) return undefined;
  if (have && goAtLeast(have, versions.goMinimum)) return undefined; // beforeAll builds it
  const goProblem = have ? `Go here is ${have}, older than ${versions.goMinimum}` : 'Go is not installed';
  return `${goProblem}, and ${stale.join('; ')} (run \`npm run toolchain\` where Go ${versions.goMinimum}+ is)`;
}

/**
 * `describe` for tests needing the real consumers: runs, skips with the reason, or (CI) fails
 * with the reason.
 */
export function describeWithToolchain(name: string, components: readonly string[], fn: () => void): void {
  const blocker = toolchainBlocker(components);
  if (!blocker) {
    describe(name, fn);
    return;
  }
  if (REQUIRE_TOOLCHAIN) {
    describe(`${name} [required by CDK8S_NFV_REQUIRE_TOOLCHAIN=1]`, () => {
      test('the toolchain is available', () => {
        throw new Error(`real-consumer tests required but cannot run: ${blocker}`);
      });
    });
    return;
  }
  describe.skip(`${name} [skipped: ${blocker}]`, fn);
}

/** Builds what is missing (progress on stderr) and returns the binaries' paths by name. */
export async function ensureToolchain(components: readonly string[]): Promise<Record<string, string>> {
  const results = await buildToolchain({
    toolchainDir: TOOLCHAIN_DIR,
    cacheDir,
    versions,
    env: process.env,
    only: components,
    log: (line) => process.stderr.write(`[toolchain] ${line}\n`),
  });
  const out: Record<string, string> = {};
  for (const r of results) {
    for (const b of binariesOf(r.component)) out[b] = path.join(r.binDir, b);
    out[`${r.component.name}:binDir`] = r.binDir;
  }
  return out;
}

/** Builds what is needed and starts a private control plane (stop it in afterAll). */
export async function startTestControlPlane(): Promise<ControlPlane> {
  const bins = await ensureToolchain(['etcd', 'kube-apiserver']);
  return startControlPlane({ etcd: bins.etcd, kubeApiserver: bins['kube-apiserver'] });
}
