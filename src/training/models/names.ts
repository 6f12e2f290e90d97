/** The lesson's models by name (built in `zoo.ts`); no tfjs here, so a page can list them cheaply. */
export const MODEL_NAMES = [
  'cnn',
  'deep-cnn',
  'resnet',
  'resnet-wide',
  'resnet-gap',
  'resnet-small',
  'resnet-stem',
  'resnet-drop',
] as const;
export type ModelName = (typeof MODEL_NAMES)[number];
export const isModelName = (s: string): s is ModelName =>
  (MODEL_NAMES as readonly string[]).includes(s);
