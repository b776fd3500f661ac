/**
 * `npm run toolchain [component...]`: builds the real consumers that are missing from the cache
 * (see lib/toolchain/build.ts); a second run prints "up to date" for each and does nothing.
 */
import * as path from 'path';
import { buildToolchain } from '../lib/toolchain/build';
import { toolchainCacheDir } from '../lib/toolchain/cache-dir';
import { loadToolchainVersions } from '../lib/toolchain/versions';

async function main(): Promise<number> {
  const toolchainDir = path.resolve(__dirname);
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const started = Date.now();
  try {
    const results = await buildToolchain({
      toolchainDir,
      cacheDir: toolchainCacheDir(process.env),
      versions: loadToolchainVersions(toolchainDir),
      env: process.env,
      only: process.argv.slice(2).length ? process.argv.slice(2) : undefined,
      log: (line) => console.log(`[toolchain] ${line}`),
      signal: controller.signal,
    });
    const built = results.filter((r) => r.built).length;
    console.log(`[toolchain] ${built ? `built ${built} component(s)` : 'everything up to date'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return 0;
  } catch (e) {
    console.error(`[toolchain] ${(e as Error).message}`);
    return 1;
  }
}

void main().then((code) => process.exit(code));
