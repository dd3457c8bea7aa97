/** The worker configuration: one typed schema, documented defaults, validated once at start. */
export { configTableMarkdown } from './docs';
export { loadConfig, readConfigFile, type LoadConfigOptions } from './load';
export { CONFIG_KEYS, LOG_LEVELS, type KeySpec, type LogLevel } from './schema';
export type { WorkerConfig } from './types';
export { parseDuration } from './values';
