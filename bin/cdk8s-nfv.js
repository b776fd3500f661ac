#!/usr/bin/env node
// The cdk8s-nfv command. The installed package has no TypeScript sources and runs the compiled
// library (build/, made by `prepare`/`prepack`). A clone has its sources beside this file and runs
// them through tsx (a development dependency), so the command never runs a build older than the
// code it sits next to.
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const sources = path.join(root, 'lib', 'cli', 'main.ts');
const built = path.join(root, 'build', 'lib', 'cli', 'main.js');

function load() {
  if (fs.existsSync(sources)) {
    try {
      require('tsx/cjs/api').register();
      return require(sources);
    } catch (e) {
      if (e && e.code === 'MODULE_NOT_FOUND' && /tsx/.test(String(e.message)) && fs.existsSync(built)) return require(built);
      throw e;
    }
  }
  if (fs.existsSync(built)) return require(built);
  process.stderr.write(`cdk8s-nfv: the compiled command is missing (${built}); run \`npm run build\` in ${root}\n`);
  process.exit(2);
}

load().run(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err) => {
  process.stderr.write(`cdk8s-nfv: ${err && err.stack ? err.stack : err}\n`);
  process.exitCode = 2;
});
