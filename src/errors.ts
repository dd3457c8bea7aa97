/**
 * The error base of kdw. Every error that leaves a module is a KdwError subclass with a stable `code` and a
 * `context` object that names what failed (rule id, file, line/column, index, window). Context values pass
 * through `redact` so that no credential reaches a log line.
 */
export type ErrorContext = Readonly<
  Record<string, string | number | boolean | undefined | readonly string[]>
>;

export class KdwError extends Error {
  readonly code: string;
  readonly context: ErrorContext;
  /** true when trying again later may succeed (network, overload); false for bad input. */
  readonly retryable: boolean;

  constructor(
    code: string,
    message: string,
    context: ErrorContext = {},
    options: { cause?: unknown; retryable?: boolean } = {},
  ) {
    super(redact(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.context = redactContext(context);
    this.retryable = options.retryable ?? false;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      context: this.context,
      retryable: this.retryable,
    };
  }
}

/** Bad configuration: a key, a file or an environment variable. Never retryable. */
export class ConfigError extends KdwError {
  constructor(message: string, context: ErrorContext = {}) {
    super('config_invalid', message, context);
  }
}

const SECRET_PATTERNS: readonly RegExp[] = [
  // user:password@ in URLs
  /(?<=\/\/[^/:@\s]+:)[^@\s/]+(?=@)/g,
  // Authorization headers and api keys
  /(?<=\b(?:authorization|api[-_]?key|apikey)["']?\s*[:=]\s*["']?(?:basic |apikey |bearer )?)[A-Za-z0-9+/=._-]{6,}/gi,
  // password=..., "password":"..."
  /(?<=\bpassword["']?\s*[:=]\s*["']?)[^"'\s,}&]+/gi,
];

/** Removes credentials from free text (URLs with user:pass@, Authorization values, password fields). */
export function redact(text: string): string {
  return SECRET_PATTERNS.reduce((acc, pattern) => acc.replace(pattern, '***'), text);
}

function redactContext(context: ErrorContext): ErrorContext {
  const out: Record<string, string | number | boolean | undefined | readonly string[]> = {};
  for (const [key, value] of Object.entries(context)) {
    if (/password|secret|api_?key|authorization|token/i.test(key)) {
      out[key] = '***';
    } else if (typeof value === 'string') {
      out[key] = redact(value);
    } else {
      out[key] = value;
    }
  }
  return out;
}
