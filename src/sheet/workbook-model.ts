import type { ModelSpec } from './expression.ts';

/** The workbook's: y = a·x + b, squared error. Apart from expression.ts, so usage text loads no mathjs. */
export const workbookModel: ModelSpec = { model: 'a*x + b', loss: '(pred - y)^2' };
