export * from './netns';
export * from './cni-exec';
export * from './capabilities';
export * from './attachment';
export * from './argv-values';
