/**
 * `cdk8s-nfv verify`: the plan, the engines, the checks and the report live in `./verify/`.
 */
export * from './verify/index';
