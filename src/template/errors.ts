import { TsrunError } from '../util/errors.js';

/** A template or expression that cannot be parsed or evaluated; the message names the expression. */
export class TemplateError extends TsrunError {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'TemplateError';
  }
}

/** Use of a variable (or attribute / key) that does not exist. */
export class UndefinedVariableError extends TemplateError {
  readonly variable: string;
  constructor(message: string, variable: string) {
    super(message);
    this.name = 'UndefinedVariableError';
    this.variable = variable;
  }
}

/** A with_ loop's lookup failed: the message is the plugin's own, shown as it is (Ansible adds no position). */
export class LoopLookupError extends TemplateError {
  constructor(message: string) {
    super(message);
    this.name = 'LoopLookupError';
  }
}

/** A filter or test name that does not exist. */
export class PluginNotFoundError extends TemplateError {
  constructor(
    readonly kind: 'filter' | 'test',
    readonly pluginName: string,
  ) {
    super(`no ${kind} named '${pluginName}'`);
    this.name = 'PluginNotFoundError';
  }

  /** What Ansible's Jinja plugin loader says (its KeyError, quoted), which playbooks may match on. */
  get ansibleText(): string {
    const n = this.pluginName.replace(/^ansible\.builtin\./, '');
    const why = /^\w+$/.test(n) ? n : `invalid plugin name: ansible.builtin.${n}`;
    return `Could not load "${this.pluginName}": '${why}'`;
  }
}

/** The first PluginNotFoundError in an error's cause chain. */
export function pluginNotFound(err: unknown): PluginNotFoundError | undefined {
  for (let e = err; e instanceof Error; e = e.cause) if (e instanceof PluginNotFoundError) return e;
  return undefined;
}

/** Raised inside the interpreter; render/evaluate add the expression text and env.context. */
export class EvalError extends Error {}

/**
 * A Python exception Jinja lets through (ZeroDivisionError): Ansible does not turn it into an
 * AnsibleError, so a task whose arguments raise it fails with `exception`, item by item in a loop.
 */
export class PythonException extends EvalError {
  constructor(
    readonly pyClass: string,
    message: string,
  ) {
    super(message);
  }
}

/** The PythonException in an error's cause chain, if any. */
export function pythonException(err: unknown): PythonException | undefined {
  for (let e = err; e instanceof Error; e = e.cause) if (e instanceof PythonException) return e;
  return undefined;
}
