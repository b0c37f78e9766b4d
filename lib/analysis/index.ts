// Discovery: the application dependency graph over a business cycle. See ./types.ts for the model
// and docs/discovery.md for how each part is decided.
export * from './types';
export { analyze, type AnalysisStores } from './analyze';
export { portName } from '../flow/record';
export { foldEdge, startFold, type EdgeFold, type FoldableEdge } from './fold';
export { graphAtLevel, type LevelOptions } from './levels';
export { analysisJsonSchema, protocolJson, toAnalysisJson, type AnalysisJson } from './json';
export { saveSuggestions } from './suggestions';
export { resolveWindow, periodicityWindow, CYCLE_DAYS, WindowError } from './window';
export { adjustedMutualInfo, adjustedRandIndex } from './metrics';
