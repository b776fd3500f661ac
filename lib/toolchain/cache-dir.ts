import * as os from 'os';
import * as path from 'path';

/** The environment variable naming the toolchain cache root (read by callers, never here). */
export const TOOLCHAIN_DIR_VARIABLE = 'CDK8S_NFV_TOOLCHAIN_DIR';

/**
 * The toolchain cache root for an environment the caller passes:
 * `$CDK8S_NFV_TOOLCHAIN_DIR`, else `${XDG_CACHE_HOME:-~/.cache}/cdk8s-nfv/toolchain`.
 */
export function toolchainCacheDir(env: Readonly<Record<string, string | undefined>>, home: string = os.homedir()): string {
  const explicit = env[TOOLCHAIN_DIR_VARIABLE];
  if (explicit) return path.resolve(explicit);
  const xdg = env.XDG_CACHE_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.cache'), 'cdk8s-nfv', 'toolchain');
}
