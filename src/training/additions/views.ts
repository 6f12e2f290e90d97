/** Which test-time views to predict: the mirror image, and how many 1-pixel shifts (0–4). */
export interface TtaViews {
  readonly flip: boolean;
  readonly shifts: number;
}

/** The views a run's settings ask for: the mirror with `tta`, and `ttaViews` shifts. */
export const ttaViewsOf = (c: { readonly tta: boolean; readonly ttaViews?: number }): TtaViews => ({
  flip: c.tta,
  shifts: c.ttaViews ?? 0,
});

/** Whether two sets of views are the same. */
export const sameViews = (a: TtaViews, b: TtaViews): boolean =>
  a.flip === b.flip && a.shifts === b.shifts;

/** The views in words, as the CLI and the Train tab name them: 'flip, 2 shifts'; 'none'. */
export const viewsText = (v: TtaViews): string =>
  [
    ...(v.flip ? ['flip'] : []),
    ...(v.shifts ? [`${v.shifts} shift${v.shifts === 1 ? '' : 's'}`] : []),
  ].join(', ') || 'none';
