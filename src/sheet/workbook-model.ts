/** The regression the sheet fits: a model of x with parameters a and b, and a loss of pred and y. */
export interface ModelSpec {
  readonly model: string;
  readonly loss: string;
}

/** The workbook's: y = a·x + b, squared error. Apart from expression.ts, so usage text loads no mathjs. */
export const workbookModel: ModelSpec = { model: 'a*x + b', loss: '(pred - y)^2' };
