export * from './selection-element';
