// Policy: label-based allow rules proposed from discovery, reviewed by application owners,
// simulated against observed traffic, measured by blast radius, monitored for drift, snapshot
// as baselines. docs/policy.md explains each part; ./model.ts is the rule model.
export * from './model';
export * from './ports';
export * from './selectors';
export * from './labels';
export * from './propose';
export * from './rules';
export * from './workflow';
export * from './simulate';
export * from './blast';
export * from './baselines';
export * from './monitor';
export * from './service';
