export * from './host-local';
