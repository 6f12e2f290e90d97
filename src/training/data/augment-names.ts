/** The batch augmentations by name (implemented in `augment.ts`); no tfjs here. */
export const AUGMENTS = ['crop', 'flip', 'erase', 'copy'] as const;
export type AugmentName = (typeof AUGMENTS)[number];
