/**
 * An empty cdk8s app: what `npx cdk8s synth` costs with a given TypeScript runner before any
 * construct of the library is loaded (bench/cold-start.ts compares it with examples/main.ts).
 */
import { App } from 'cdk8s';

new App().synth();
