import { ConfigError } from '../errors';
import { isDateMath, resolveDateMath } from '../rules';

/** A time option of the CLI: date math resolved against `now` (now-1h, now-1d/d) or an ISO time. */
export function parseTimeArg(text: string, option: string, now: Date): Date {
  if (isDateMath(text)) {
    try {
      return resolveDateMath(text, now);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new ConfigError(`${option} "${text}": ${why}`, { key: option });
    }
  }
  const ms = Date.parse(text);
  if (Number.isNaN(ms))
    throw new ConfigError(`${option} must be date math (now-1h) or an ISO time, got "${text}"`, {
      key: option,
    });
  return new Date(ms);
}
