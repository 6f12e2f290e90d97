import type { RuleDefinition } from './rule-text.ts';
import { parseRule } from './rule-text.ts';

/**
 * Every optimizer written in the rule language (docs/rules.md), in one place.
 *
 * The first group restates the TypeScript rules (`sgd`, `momentum`, `rmsprop`, `adam`) in each
 * formulation the workbook's sheets and the trainer use; tests/optimizers/library-twins.test.ts
 * proves each gives the same formula text and bit-identical numbers as its TypeScript twin.
 * The second group is the starter library beyond the lesson, each checked against PyTorch
 * (tests/optimizers/fixtures/rule-references.json, made by scripts/rule-references.py) or,
 * for Lion, against the paper's algorithm worked by hand.
 */
export const RULE_TEXTS = {
  sgd: `# SGD: the workbook's basic tab, miniai's SGD
name sgd
param = param - grad*lr`,

  'sgd-wd': `# SGD with decoupled weight decay (miniai's reg_step)
name sgd-wd
hyper weightDecay = 0.01
param = param*(1-lr*weightDecay) - grad*lr`,

  momentum: `# Momentum as an EMA of the gradient: the workbook's momentum tab, miniai's Momentum
name momentum
hyper beta1 = 0.9
state avg = 0
avg = avg*beta1 + (1-beta1)*grad
param = param - avg*lr`,

  'momentum-l2': `# Momentum with L2 regularisation added to the gradient
name momentum-l2
hyper beta1 = 0.9
hyper weightDecay = 0.01
state avg = 0
let g = grad + weightDecay*param
avg = avg*beta1 + (1-beta1)*g
param = param - avg*lr`,

  'rmsprop-workbook': `# RMSProp as the workbook's rmsprop tab: the step divides by the previous row's average
name rmsprop
hyper beta2 = 0.9
state sqr = 0
param = param - grad*lr/sqrt(sqr)
sqr = sqr*beta2 + (1-beta2)*grad^2`,

  rmsprop: `# RMSProp as miniai's: the average starts at the first g², eps outside the root
name rmsprop
hyper beta2 = 0.99
hyper eps = 0.00001
state sqr = grad^2
sqr = sqr*beta2 + (1-beta2)*grad^2
param = param - grad*lr/(sqrt(sqr)+eps)`,

  'adam-workbook': `# Adam as the workbook's adam tab: no bias correction, no eps
name adam
hyper beta1 = 0.9
hyper beta2 = 0.9
state avg = 0
state sqr = 0
avg = avg*beta1 + (1-beta1)*grad
sqr = sqr*beta2 + (1-beta2)*grad^2
param = param - avg*lr/sqrt(sqr)`,

  adam: `# Adam as miniai's: bias-corrected, eps inside the root
name adam
hyper beta1 = 0.9
hyper beta2 = 0.99
hyper eps = 0.00001
state avg = 0
state sqr = 0
avg = avg*beta1 + (1-beta1)*grad
sqr = sqr*beta2 + (1-beta2)*grad^2
param = param - avg/(1-beta1^step)*lr/sqrt(sqr/(1-beta2^step)+eps)`,

  adamw: `# AdamW as PyTorch's (Loshchilov & Hutter 2019): decoupled weight decay, eps outside the root
name adamw
hyper beta1 = 0.9
hyper beta2 = 0.999
hyper eps = 1e-8
hyper weightDecay = 0.01
state avg = 0
state sqr = 0
avg = avg*beta1 + (1-beta1)*grad
sqr = sqr*beta2 + (1-beta2)*grad^2
param = param*(1-lr*weightDecay) - avg/(1-beta1^step)*lr/(sqrt(sqr/(1-beta2^step))+eps)`,

  nesterov: `# Nesterov momentum as PyTorch's SGD(momentum, nesterov=True), no dampening
# (Sutskever et al. 2013)
name nesterov
hyper beta1 = 0.9
state buf = 0
buf = beta1*buf + grad
param = param - lr*(grad + beta1*buf)`,

  adagrad: `# Adagrad (Duchi et al. 2011) as PyTorch's: the sum of every squared gradient so far
name adagrad
hyper eps = 1e-10
state sum = 0
sum = sum + grad^2
param = param - lr*grad/(sqrt(sum) + eps)`,

  adamax: `# Adamax (Kingma & Ba 2015, section 7.1) as PyTorch's: Adam with an infinity norm
name adamax
hyper beta1 = 0.9
hyper beta2 = 0.999
hyper eps = 1e-8
state m = 0
state u = 0
m = beta1*m + (1-beta1)*grad
u = max(beta2*u, abs(grad) + eps)
param = param - lr/(1-beta1^step)*m/u`,

  amsgrad: `# AMSGrad (Reddi et al. 2018) as PyTorch's Adam(amsgrad=True): divide by the largest average yet
name amsgrad
hyper beta1 = 0.9
hyper beta2 = 0.999
hyper eps = 1e-8
state m = 0
state v = 0
state vmax = 0
m = beta1*m + (1-beta1)*grad
v = beta2*v + (1-beta2)*grad^2
vmax = max(vmax, v)
param = param - lr/(1-beta1^step)*m/(sqrt(vmax)/sqrt(1-beta2^step) + eps)`,

  nadam: `# NAdam (Dozat 2016) as PyTorch's: Nesterov momentum in Adam, with momentum decay
name nadam
hyper beta1 = 0.9
hyper beta2 = 0.999
hyper eps = 1e-8
hyper momentumDecay = 0.004
state m = 0
state v = 0
state muProduct = 1
let mu = beta1*(1 - 0.5*0.96^(step*momentumDecay))
let muNext = beta1*(1 - 0.5*0.96^((step+1)*momentumDecay))
muProduct = muProduct*mu
m = beta1*m + (1-beta1)*grad
v = beta2*v + (1-beta2)*grad^2
let denom = sqrt(v/(1-beta2^step)) + eps
param = param - lr*(1-mu)/(1-muProduct)*grad/denom - lr*muNext/(1-muProduct*muNext)*m/denom`,

  radam: `# RAdam (Liu et al. 2020) as PyTorch's: plain momentum until the variance is tractable
name radam
hyper beta1 = 0.9
hyper beta2 = 0.999
hyper eps = 1e-8
state m = 0
state v = 0
m = beta1*m + (1-beta1)*grad
v = beta2*v + (1-beta2)*grad^2
let mhat = m/(1-beta1^step)
let rhoInf = 2/(1-beta2) - 1
let rho = rhoInf - 2*step*beta2^step/(1-beta2^step)
let rect = sqrt((rho-4)*(rho-2)*rhoInf/((rhoInf-4)*(rhoInf-2)*rho))
param = rho > 5 ? param - mhat*lr*sqrt(1-beta2^step)/(sqrt(v)+eps)*rect : param - mhat*lr`,

  lion: `# Lion (Chen et al. 2023, Algorithm 2, without weight decay): step by the sign of an
# interpolation of momentum and gradient, then update the momentum
name lion
hyper beta1 = 0.9
hyper beta2 = 0.99
state m = 0
param = param - lr*sign(beta1*m + (1-beta1)*grad)
m = beta2*m + (1-beta2)*grad`,
} as const;

export type RuleTextName = keyof typeof RULE_TEXTS;

export const RULE_TEXT_NAMES = Object.keys(RULE_TEXTS) as RuleTextName[];

/** A library rule, parsed. A library text that does not parse is gradsheet's bug. */
export const libraryRule = (name: RuleTextName): RuleDefinition => {
  const { rule, errors } = parseRule(RULE_TEXTS[name]);
  if (!rule) throw new Error(`library rule ${name}: ${errors.map((e) => e.message).join('; ')}`);
  return rule;
};

/**
 * Schedules typed as formulas (see `parseSchedules`): the lesson's homework, equal to the
 * built-in `cosineAnnealing` and `oneCycle` to 1e-12 at every step
 * (tests/optimizers/schedule-text.test.ts).
 */
export const SCHEDULE_TEXTS = {
  cosine: `# Cosine annealing from lr to 0 over the run (PyTorch's CosineAnnealingLR, T_max = total)
lr = lr * (1 + cos(pi * pct)) / 2`,

  'one-cycle': `# 1cycle (Smith 2018) as PyTorch's OneCycleLR with its defaults: warm up from lr/25 to lr
# over the first 30% of steps, then anneal to lr/25/1e4; beta1 cycles 0.95 -> 0.85 -> 0.95
let up = 0.3*total - 1
let down = total - 1 - up
let warm = (1 + cos(pi*step/up))/2
let cool = (1 + cos(pi*(step - up)/down))/2
lr = step <= up ? lr + (lr/25 - lr)*warm : lr/25/10000 + (lr - lr/25/10000)*cool
beta1 = step <= up ? 0.85 + (0.95 - 0.85)*warm : 0.95 + (0.85 - 0.95)*cool`,
} as const;

export type ScheduleTextName = keyof typeof SCHEDULE_TEXTS;
