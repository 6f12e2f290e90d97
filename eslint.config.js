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
  {
    // The settings tables: read by the Train page's own script and by the CLI's --help, both of
    // which must start without tfjs or the sheet engine.
    files: ['src/settings/**', 'src/app/train/settings.ts', 'src/app/train/link.ts'],
    rules: restricted([
      '@tensorflow/*',
      'handsontable*',
      'hyperformula',
      'chart.js*',
      'mathjs*',
      'exceljs',
      'node:*',
      '../cli/*',
    ]),
  },
  { files: ['eslint.config.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  prettier,
);
