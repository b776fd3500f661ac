#!/usr/bin/env node
// The cdk8s-nfv command. Runs the compiled library when it is built (npm run build), otherwise
// the TypeScript sources through ts-node (a fresh clone right after `npm ci`).
const fs = require('fs');
const path = require('path');

const built = path.join(__dirname, '..', 'build', 'lib', 'cli', 'main.js');
let main;
if (fs.existsSync(built)) {
  main = require(built);
} else {
  require('ts-node').register({ transpileOnly: true, project: path.join(__dirname, '..', 'tsconfig.json') });
  main = require(path.join(__dirname, '..', 'lib', 'cli', 'main.ts'));
}
main.run(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err) => {
  process.stderr.write(`cdk8s-nfv: ${err && err.stack ? err.stack : err}\n`);
  process.exitCode = 2;
});
