// `--json`: the same model the text shows, for scripts and tickets. `schemaVersion` changes only when a
// field changes meaning or goes away.
import type { Diagnosis } from './diagnosis.ts';
import type { DiagnoseError } from './errors.ts';
import type { Summary } from './summary.ts';

export const renderJson = (value: Diagnosis | Summary): string => `${JSON.stringify(value, null, 2)}\n`;

export const renderJsonError = (err: DiagnoseError): string =>
  `${JSON.stringify({ error: { code: err.code, message: err.message } }, null, 2)}\n`;
