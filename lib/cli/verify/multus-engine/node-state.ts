/**
 * Per-node plugin state under the Multus engine. A NAD is one object, so its config names one
 * state directory (host-local's dataDir...) for every node; on a real cluster each node keeps its
 * own. With several nodes, Multus runs through this wrapper: `ip netns exec` gives the process its
 * own mount namespace (slave propagation: nothing reaches the host's), the wrapper bind-mounts the
 * node's directory over the shared one there, then runs Multus with the same stdin, stdout,
 * stderr and environment. The script is this constant; its values are checked paths passed as
 * argv elements.
 */

/** `node -e` script: argv = [nodeDir, sharedDir, multus]. Exits with Multus's status. */
export const BIND_WRAPPER_SOURCE = `
const { spawnSync } = require('child_process');
const [nodeDir, sharedDir, multus] = process.argv.slice(1);
const m = spawnSync('mount', ['--bind', nodeDir, sharedDir], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
if (m.status !== 0) {
  process.stdout.write(JSON.stringify({ cniVersion: '1.0.0', code: 999, msg: 'the per-node state mount failed: ' + String(m.stderr || m.error).trim() }));
  process.exit(1);
}
const r = spawnSync(multus, [], { stdio: 'inherit', env: process.env });
process.exit(r.status === null ? 1 : r.status);
`;

/** Checks a path the wrapper gets: absolute, plain characters, no `..`. */
export function runPath(v: unknown, field: string): string {
  if (typeof v !== 'string' || !v.startsWith('/') || !/^[A-Za-z0-9_./+-]+$/.test(v) || v.split('/').includes('..') || v.length > 1024) {
    throw new Error(`'${field}' is not a plain absolute path: got ${JSON.stringify(v)}; use letters, digits, '_', '.', '+', '-' and '/' without '..'`);
  }
  return v;
}
