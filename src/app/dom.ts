/** The element with this id, checked to be of the expected kind, or a clear error naming it. */
export function byId(id: string): HTMLElement;
export function byId<T extends HTMLElement>(id: string, kind: new () => T): T;
export function byId(id: string, kind: new () => HTMLElement = HTMLElement): HTMLElement {
  const el = document.getElementById(id);
  if (!(el instanceof kind)) throw new Error(`page is missing #${id} (${kind.name})`);
  return el;
}

export const valueOf = (id: string): string => {
  const el = document.getElementById(id);
  if (!(el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement))
    throw new Error(`page is missing input #${id}`);
  return el.value;
};
