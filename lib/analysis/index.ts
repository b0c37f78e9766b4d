// Discovery: the application dependency graph over a business cycle. See ./types.ts for the model
// and docs/discovery.md for how each part is decided.
export * from './types';
