/** A value the user typed that the sheet refuses; `message` says what is accepted. */
export class InputError extends Error {
  override name = 'InputError';
}
