#!/usr/bin/env node
// The cdk8s-nfv command. An installed package always runs the compiled library (build/, made by
// `prepare`/`prepack`). A clone that has not been built yet (no build/lib/cli/main.js) runs the
// TypeScript sources through tsx, a development dependency; without it, says how to build.
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const built = path.join(root, 'build', 'lib', 'cli', 'main.js');

function load() {
  if (fs.existsSync(built)) return require(built);
  let tsx;
  try {
    tsx = require('tsx/cjs/api');
  } catch {
    process.stderr.write('cdk8s-nfv: the compiled command is missing (build/lib/cli/main.js); run `npm run build` in ' + root + '\n');
    process.exit(2);
  }
  tsx.register();
  return require(path.join(root, 'lib', 'cli', 'main.ts'));
}

load().run(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err) => {
  process.stderr.write(`cdk8s-nfv: ${err && err.stack ? err.stack : err}\n`);
  process.exitCode = 2;
});
