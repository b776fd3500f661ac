// Preloaded (node --require) by test/readme/readme.test.ts for README blocks that use the Pulumi
// entry point: Pulumi's own mock engine, recording every registered resource (type and name) in the
// file named by README_PULUMI_RECORD, so the test can assert what the block registered.
const fs = require('fs');
const pulumi = require('@pulumi/pulumi');

const record = process.env.README_PULUMI_RECORD;
pulumi.runtime.setMocks({
  newResource: (args) => {
    if (record) fs.appendFileSync(record, `${JSON.stringify({ type: args.type, name: args.name })}\n`);
    return { id: `${args.name}-id`, state: args.inputs };
  },
  call: (args) => args.inputs,
}, 'readme', 'test', false);
