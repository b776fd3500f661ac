// ESLint flat config: typescript-eslint's recommended rules; generated CRD classes are not linted.
const tseslint = require('typescript-eslint');

module.exports = tseslint.config(
  { ignores: ['lib/imports/**', 'build/**', 'dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.d.ts'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }],
      'quotes': ['error', 'single', { avoidEscape: true }],
      'semi': ['error', 'always'],
      'eqeqeq': ['error', 'always'],
      // empty props interfaces are declared on purpose, so they can grow without breaking users
      '@typescript-eslint/no-empty-object-type': 'off',
    },
  },
);
