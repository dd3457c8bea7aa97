import type { Writable } from 'node:stream';
import { ecsFormat } from '@elastic/ecs-winston-format';
import winston from 'winston';
import type { LogLevel } from '../config';
import { redact } from '../errors';

export type Logger = winston.Logger;

export interface LoggerOptions {
  readonly level: LogLevel;
  /** where the JSON lines go (default: stdout) */
  readonly stream?: Writable;
  readonly serviceVersion?: string;
  readonly workerId?: string;
}

/** Every string of a log record passes through redact(): a credential never reaches a log line. */
const redactSecrets = winston.format((info) => {
  for (const [key, value] of Object.entries(info)) {
    if (typeof value === 'string') info[key] = redact(value);
  }
  return info;
});

/**
 * kdw's logger: JSON lines in ECS format (@elastic/ecs-winston-format). Created once by the command and
 * passed in; modules take a child per rule (`logger.child({ rule: { id, name } })`), never a singleton.
 */
export function createLogger(options: LoggerOptions): Logger {
  const transport =
    options.stream === undefined
      ? new winston.transports.Console()
      : new winston.transports.Stream({ stream: options.stream });
  return winston.createLogger({
    level: options.level,
    format: winston.format.combine(
      redactSecrets(),
      ecsFormat({
        serviceName: 'kdw',
        ...(options.serviceVersion === undefined ? {} : { serviceVersion: options.serviceVersion }),
        ...(options.workerId === undefined ? {} : { serviceNodeName: options.workerId }),
        apmIntegration: false,
      }),
    ),
    transports: [transport],
  });
}

/** A logger that drops everything (tests that do not look at logs). */
export function silentLogger(): Logger {
  return winston.createLogger({
    silent: true,
    transports: [new winston.transports.Console({ silent: true })],
  });
}
