/**
 * Loads a scenario by built-in name or file path and validates it. Every failure is a KubeproofError of
 * type InvalidScenario whose message names the file, the field path and line, and what is expected;
 * `details.issues` holds the same as data.
 */
import { existsSync, readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';

import { LineCounter, parseDocument } from 'yaml';

import { ErrorType, KubeproofError } from '../errors';
import { builtinScenarioNames, builtinScenarios } from './builtins';
import { formatIssues, scenarioErrorMap, sortByPosition, toScenarioIssues } from './issues';
import type { ScenarioIssue, ScenarioSource } from './issues';
import { ScenarioSchema } from './schema';
import type { Scenario } from './schema';
import { closest } from './suggest';

const fileExtensions = ['.yaml', '.yml', '.json'];

function invalid(file: string, issues: ScenarioIssue[], message = formatIssues(file, issues)): KubeproofError {
  return new KubeproofError(ErrorType.InvalidScenario, message, { file, issues });
}

/**
 * Validates already-parsed data (a built-in, or the JSON value of a file). `file` names the source in
 * messages; `source` adds line and column to each issue.
 */
export function parseScenarioData(data: unknown, file: string, source?: ScenarioSource): Scenario {
  if (data === null || data === undefined) {
    throw invalid(file, [{ path: '(root)', message: 'is empty; expected a Scenario (apiVersion: kubeproof.dev/v1)' }]);
  }
  const result = ScenarioSchema.safeParse(data, { error: scenarioErrorMap, reportInput: true });
  if (result.success) return result.data;
  throw invalid(file, sortByPosition(result.error.issues.flatMap((issue) => toScenarioIssues(issue, source))));
}

/** Parses YAML or JSON text (JSON is YAML) and validates it; `file` names the source in messages. */
export function parseScenarioText(text: string, file: string): Scenario {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const syntaxIssues = doc.errors.map((error): ScenarioIssue => {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    return { path: '(root)', message: `invalid YAML: ${error.message}`, line, column: col };
  });
  if (syntaxIssues.length > 0) {
    const message = syntaxIssues.map((issue) => `${file}:${issue.line}:${issue.column}: ${issue.message}`).join('\n');
    throw invalid(file, syntaxIssues, message);
  }
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (error) {
    // e.g. an alias to an anchor that does not exist; yaml reports these only when converting.
    const reason = error instanceof Error ? error.message : String(error);
    throw invalid(file, [{ path: '(root)', message: `invalid YAML: ${reason}` }], `${file}: invalid YAML: ${reason}`);
  }
  return parseScenarioData(data, file, { doc, lineCounter });
}

function loadBuiltin(name: string): Scenario {
  const input = builtinScenarios[name];
  if (!input) throw new Error(`no built-in scenario ${name}`);
  return parseScenarioData(input, `builtin:${name}`);
}

function loadFile(ref: string, path: string): Scenario {
  const fail = (message: string) => invalid(ref, [{ path: '(root)', message }], `${ref}: ${message}`);
  if (!fileExtensions.includes(extname(path).toLowerCase())) {
    throw fail(`scenario files must end in ${fileExtensions.join(', ')}`);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw fail(`no such file (looked for ${path}); check the path`);
    if (code === 'EISDIR') throw fail(`is a directory; pass a ${fileExtensions.join(', ')} file`);
    throw fail(`cannot read the file: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseScenarioText(text, ref);
}

function looksLikePath(ref: string): boolean {
  return (
    ref.includes('/') || ref.includes('\\') || fileExtensions.some((extension) => ref.toLowerCase().endsWith(extension))
  );
}

/**
 * Loads a built-in scenario by name or a scenario file by path (relative paths resolve against `cwd`).
 * A ref with a slash or a .yaml, .yml or .json ending is always a path; any other ref is a built-in name,
 * or failing that an existing file.
 */
export function loadScenario(ref: string, cwd: string = process.cwd()): Scenario {
  const path = resolve(cwd, ref);
  if (looksLikePath(ref)) return loadFile(ref, path);
  if (builtinScenarioNames.includes(ref)) return loadBuiltin(ref);
  if (existsSync(path)) return loadFile(ref, path);

  const suggestion = closest(ref, builtinScenarioNames);
  const message =
    `unknown scenario "${ref}": not a built-in and no such file` +
    (suggestion === undefined ? '.' : `; did you mean "${suggestion}"?`) +
    ` Built-in scenarios: ${builtinScenarioNames.join(', ')}; or pass the path of a .yaml, .yml or .json scenario file.`;
  throw new KubeproofError(ErrorType.InvalidScenario, message, {
    file: ref,
    issues: [{ path: '(root)', message }],
    ...(suggestion === undefined ? {} : { suggestion }),
  });
}
