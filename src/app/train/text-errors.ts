import type { TextError } from '../../optimizers/index.ts';
import { byId } from '../dom.ts';

/** Lists a text's errors under its box, each with its line and column; empty when it parses. */
export const showTextErrors = (id: string, what: string, errors: readonly TextError[]): void => {
  byId(id).replaceChildren(
    ...errors.map((e) => {
      const li = document.createElement('li');
      li.textContent = `${what}: ${e.message}`;
      return li;
    }),
  );
};
