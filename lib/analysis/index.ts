// Discovery: the application dependency graph over a business cycle. See ./types.ts for the model
// and docs/discovery.md for how each part is decided.
export * from './types';
export { analyze, portName, type AnalysisStores } from './analyze';
export { graphAtLevel, type LevelOptions } from './levels';
export { analysisJsonSchema, protocolJson, toAnalysisJson, type AnalysisJson } from './json';
export { saveSuggestions } from './suggestions';
export { resolveWindow, periodicityWindow, CYCLE_DAYS, WindowError } from './window';
export { adjustedMutualInfo, adjustedRandIndex } from './metrics';
