// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const restricted = (patterns) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: patterns.map((group) => ({
        group: [group],
        message: 'Layer boundary: see STYLE.md.',
      })),
    },
  ],
});

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'bin/', 'gpu-bundle/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
    },
  },
  {
    files: ['src/optimizers/**'],
    rules: restricted([
      '@tensorflow/*',
      'handsontable*',
      'hyperformula',
      'chart.js*',
      'mathjs',
      '../sheet/*',
      '../training/*',
      '../app/*',
    ]),
  },
  {
    files: ['src/sheet/**'],
    rules: restricted(['@tensorflow/*', 'handsontable*', 'chart.js*', '../app/*', '../training/*']),
  },
  { files: ['eslint.config.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  prettier,
);
