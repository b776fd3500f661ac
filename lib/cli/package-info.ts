import * as fs from 'fs';
import * as path from 'path';

/** The name and version of the installed cdk8s-nfv package. */
export interface PackageInfo {
  readonly name: string;
  readonly version: string;
}

let cached: PackageInfo | undefined;

/**
 * Reads this package's package.json, found by walking up from this file (lib/cli in a clone,
 * build/lib/cli in the installed package).
 */
export function packageInfo(): PackageInfo {
  if (cached) return cached;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
      if (json.name === 'cdk8s-nfv' && typeof json.version === 'string') {
        cached = { name: json.name, version: json.version };
        return cached;
      }
    }
    if (path.dirname(dir) === dir) throw new Error(`cdk8s-nfv: its package.json was not found above ${__dirname}`);
  }
}
