/**
 * `node --import tsx toolchain/control-plane.ts`: builds what is missing, starts a private control
 * plane (etcd + kube-apiserver on 127.0.0.1), prints its kubeconfig path, and stops it and removes
 * its files on Ctrl-C or SIGTERM.
 */
import * as path from 'path';
import { buildToolchain } from '../lib/toolchain/build';
import { toolchainCacheDir } from '../lib/toolchain/cache-dir';
import { startControlPlane } from '../lib/toolchain/control-plane';
import { loadToolchainVersions } from '../lib/toolchain/versions';

async function main(): Promise<number> {
  const toolchainDir = path.resolve(__dirname);
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  process.once('SIGTERM', () => controller.abort());
  const log = (line: string): void => console.error(`[control-plane] ${line}`);
  try {
    const results = await buildToolchain({
      toolchainDir, cacheDir: toolchainCacheDir(process.env), versions: loadToolchainVersions(toolchainDir),
      env: process.env, only: ['etcd', 'kube-apiserver'], log, signal: controller.signal,
    });
    const bin = (name: string): string => path.join(results.find((r) => r.component.name === name)!.binDir, name);
    const cp = await startControlPlane({ etcd: bin('etcd'), kubeApiserver: bin('kube-apiserver'), signal: controller.signal, log });
    console.log(`KUBECONFIG=${cp.kubeconfig}`);
    log('running; Ctrl-C stops it and removes its files');
    await new Promise<void>((resolve) => controller.signal.addEventListener('abort', () => resolve(), { once: true }));
    await cp.stop();
    log('stopped');
    return 0;
  } catch (e) {
    log((e as Error).message);
    return 1;
  }
}

void main().then((code) => process.exit(code));
