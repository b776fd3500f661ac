import * as fs from 'fs';
import * as path from 'path';

/**
 * Where the Multus engine's binaries are: the toolchain cache (`npm run toolchain` builds
 * `<cache>/<component>-<version>/bin/<binary>`). The caller passes the cache directory (the
 * command reads the environment for it; library code does not).
 */

/** The binaries the Multus engine needs. */
export interface MultusToolchain {
  readonly multus: string;
  readonly etcd: string;
  readonly kubeApiserver: string;
}

const NEEDED: ReadonlyArray<readonly [keyof MultusToolchain, string, string]> = [
  ['multus', 'multus', 'multus'],
  ['etcd', 'etcd', 'etcd'],
  ['kubeApiserver', 'kube-apiserver', 'kube-apiserver'],
];

function executable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The binary of a component in the cache (the highest version present), or undefined. */
function findComponent(cacheDir: string, component: string, binary: string): string | undefined {
  let entries: string[];
  try {
    entries = fs.readdirSync(cacheDir);
  } catch {
    return undefined;
  }
  const dirs = entries.filter((e) => e.startsWith(`${component}-v`)).sort((a, b) => b.localeCompare(a, 'en', { numeric: true }));
  for (const d of dirs) {
    const file = path.join(cacheDir, d, 'bin', binary);
    if (executable(file)) return file;
  }
  return undefined;
}

/** The binaries, or why the Multus engine cannot run (which are missing). */
export function findMultusToolchain(cacheDir: string): { toolchain?: MultusToolchain; missing: string[] } {
  const found: Partial<Record<keyof MultusToolchain, string>> = {};
  const missing: string[] = [];
  for (const [key, component, binary] of NEEDED) {
    const f = findComponent(cacheDir, component, binary);
    if (f) found[key] = f;
    else missing.push(component);
  }
  return missing.length === 0 ? { toolchain: found as MultusToolchain, missing } : { missing };
}
