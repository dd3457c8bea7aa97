import type { EsConnectionSettings } from '../es/connection';
import type { LogLevel } from './schema';

/** The worker configuration, typed, validated once at start (src/config/load.ts). Durations in ms. */
export interface WorkerConfig {
  readonly elasticsearch: EsConnectionSettings;
  readonly rules: { readonly paths: readonly string[]; readonly reloadIntervalMs: number };
  readonly alertsIndex: string;
  readonly executionsIndex: string;
  readonly checkpointsIndex: string;
  readonly leasesIndex: string;
  readonly space: string;
  readonly maxCatchUpMs: number;
  readonly concurrency: number;
  readonly leaseTtlMs: number;
  readonly shutdownTimeoutMs: number;
  readonly workerId: string;
  readonly http: { readonly host: string; readonly port: number };
  readonly log: { readonly level: LogLevel };
  /** the files and environment variables the values came from, for the start-up log (no values) */
  readonly sources: readonly string[];
}
