// Secrets from the environment (or from files the environment names) that never reach a log line, a span
// attribute or an error message: a Secret prints as `[redacted NAME]` through String(), JSON.stringify,
// util.inspect (console.log, pino, vitest) and template literals. Only `reveal()` gives the value, and
// only the code that hands it to a client library calls it.
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { z } from 'zod';

export class Secret {
  readonly #value: string;
  /** The setting it came from (e.g. KAFKA_SASL_PASSWORD), for messages. */
  readonly setting: string;

  constructor(setting: string, value: string) {
    this.setting = setting;
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return `[redacted ${this.setting}]`;
  }

  toJSON(): string {
    return this.toString();
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/**
 * Makes an options object that carries secrets for a client library (e.g. Temporal's `apiKey`, kafkajs's
 * `sasl.password`) print redacted: JSON.stringify and util.inspect show `[redacted: <what>]`. The library
 * still reads the real fields (they stay enumerable and are copied by a spread).
 */
export function redactedView<T extends object>(options: T, what: string): T {
  const shown = `[redacted: ${what}]`;
  Object.defineProperty(options, 'toJSON', { value: () => shown, enumerable: false });
  Object.defineProperty(options, inspect.custom, { value: () => shown, enumerable: false });
  return options;
}

/** An optional secret setting: unset or empty is undefined. */
export const secret = (setting: string) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v === '' ? undefined : new Secret(setting, v)));

/**
 * A secret given directly (`NAME`) or as a file (`NAME_FILE`, e.g. a mounted Kubernetes Secret): both set is
 * an error; the file's content, without a trailing newline, is the value. Returns undefined when neither is set.
 */
export function secretFromEnvOrFile(
  setting: string,
  env: NodeJS.ProcessEnv = process.env,
): Secret | undefined {
  const direct = env[setting];
  const file = env[`${setting}_FILE`];
  if (direct && file) throw new Error(`${setting} and ${setting}_FILE are both set: set one of them`);
  if (file) return new Secret(setting, readSettingFile(`${setting}_FILE`, file).replace(/\r?\n$/, ''));
  return direct ? new Secret(setting, direct) : undefined;
}

/** A file a setting names; an unreadable file stops the process with the setting's name in the message. */
export function readSettingFile(setting: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    // A value that does not look like a path may be key material pasted without its PEM header: not shown.
    const shown = /^[\w./~@:+-]{1,256}$/.test(path) ? path : '(value not shown)';
    throw new Error(
      `${setting}: cannot read the file ${shown} (${code}); give a readable file or inline PEM`,
    );
  }
}

/**
 * PEM material given inline (a value that starts with `-----BEGIN`) or as a file path. Returns the PEM
 * text; anything else that is not PEM stops the process naming the setting.
 */
export function pemFromSetting(setting: string, value: string): string {
  const pem = value.trimStart().startsWith('-----BEGIN') ? value : readSettingFile(setting, value);
  if (!pem.includes('-----BEGIN'))
    throw new Error(`${setting}: the file ${value} holds no PEM block (-----BEGIN …)`);
  return pem;
}
