// ESLint flat config: typescript-eslint's recommended rules without type information (a full
// run stays fast), tuned to catch mistakes rather than restate the code's style (Prettier's job).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['out/', 'dist/', '.tools/', 'node_modules/', 'test-output/', 'test-artifacts/', '.bench/', '.demo/', '**/fixtures/'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'webview/**/*.ts', 'scripts/**/*.mjs', 'test/**/*.mjs', '*.mjs'],
    extends: [tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // `cond ? a() : b()` as a statement is a deliberate idiom here.
      '@typescript-eslint/no-unused-expressions': ['error', { allowTernary: true }],
      // Walking a parent chain starts from `this` (`for (let s = this; s; s = s.parent)`).
      '@typescript-eslint/no-this-alias': 'off',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // Only the extension host has the editor API: the core, the CLI, the shared protocol and
    // the webviews run without it.
    files: ['src/**/*.ts', 'webview/**/*.ts'],
    ignores: ['src/extension/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'Only src/extension/ may use the editor API.' }] }],
    },
  },
);
