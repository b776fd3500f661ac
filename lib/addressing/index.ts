export * from './ip';
export * from './mac';
