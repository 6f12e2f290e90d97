import { byId } from './dom.ts';

/** Shows a line in the message bar: information, or a refusal in red. */
export type Say = (text: string, kind?: 'info' | 'error') => void;

export interface Messages {
  readonly say: Say;
  /** The red line under the message that names the first error cell of the sheet, or none. */
  readonly showFault: (problem: string | null) => void;
}

export const createMessages = (): Messages => {
  const message = byId('message');
  const fault = byId('fault');
  return {
    say: (text, kind = 'info') => {
      message.textContent = text;
      message.className = `message ${kind}`;
    },
    showFault: (problem) => {
      fault.hidden = problem === null;
      fault.textContent = problem ?? '';
    },
  };
};
