import { byId } from '../dom.ts';

/** Says something on the Train tab's message line; an error shows in red. */
export const say = (text: string, kind: 'info' | 'error' = 'info'): void => {
  const message = byId('t-message');
  message.textContent = text;
  message.className = `message ${kind}`;
};
