// ESLint with type information (shared/DESIGN.md §5).
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "coverage/**", "bench/**", "steward-demo/**", "**/steward-report/**", "*.config.*", ".stryker-tmp/**", "reports/**"] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true, allowBoolean: true, allowNullish: true }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      // The CLI may import only the library entry point and the reporters (DESIGN §2).
      "no-restricted-imports": "off",
    },
  },
  {
    files: ["src/cli/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["../analyzers/*", "../git/*", "../demo/*", "../errors.js"], message: "src/cli imports only src/index.ts and src/report/**" }] },
      ],
    },
  },
  {
    files: ["test/**"],
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },
);
