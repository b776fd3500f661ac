export * from './cdk8s-deployment';
export * from './deployment-plan';
export * from './kinds';
export * from './provider-annotations';
