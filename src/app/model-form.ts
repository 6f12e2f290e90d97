import { workbookModel } from '../sheet/index.ts';
import { byId } from './dom.ts';
import type { SheetPage } from './page.ts';
import { noted } from './perform.ts';

export interface ModelForm {
  /** Shows the workbook's model and loss in the inputs (after a link is opened). */
  readonly sync: () => void;
}

/** The model and loss inputs: a new model re-derives the gradients and rebuilds every formula. */
export const createModelForm = (page: SheetPage): ModelForm => {
  const modelInput = byId('model', HTMLInputElement);
  const lossInput = byId('loss', HTMLInputElement);

  const changeModel = (spec: { model: string; loss: string }, done: string): void => {
    // on a refusal the inputs keep what was typed
    page.act(
      'rebuilding the formulas',
      noted(page.workbook().setModelSteps(spec), () => done),
    );
  };

  byId('model-form').addEventListener('submit', (e) => {
    e.preventDefault();
    if (page.refuseWhileBusy()) return;
    const spec = { model: modelInput.value, loss: lossInput.value };
    changeModel(
      spec,
      `model ${spec.model}, loss ${spec.loss}: gradients re-derived, formulas rebuilt`,
    );
  });

  byId('model-default').addEventListener('click', () => {
    if (page.refuseWhileBusy()) return;
    modelInput.value = workbookModel.model;
    lossInput.value = workbookModel.loss;
    changeModel(workbookModel, 'back to the workbook’s model');
  });

  return {
    sync() {
      modelInput.value = page.workbook().model.model;
      lossInput.value = page.workbook().model.loss;
    },
  };
};
